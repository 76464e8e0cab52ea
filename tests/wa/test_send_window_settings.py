"""The superadmin's send window (waking hours) through the settings API: validated, stored, read by the outbox."""

from datetime import time

import pytest

from shared.wa import outbox, pacing


@pytest.fixture(autouse=True)
def fresh_window():
    outbox.forget_send_window()
    yield
    outbox.forget_send_window()


def test_the_default_window_is_07_to_21_wib(superadmin_client, db):
    body = superadmin_client.get("/api/settings").json
    assert (body["wa_send_window_start"], body["wa_send_window_end"]) == ("07:00", "21:00")
    assert outbox.send_window(db) == pacing.SendWindow(time(7), time(21))


def test_the_superadmin_changes_it_and_the_outbox_uses_it(superadmin_client, db):
    res = superadmin_client.patch("/api/settings", json={"wa_send_window_start": "08.30", "wa_send_window_end": "20:00"})
    assert res.status_code == 200, res.json
    assert (res.json["wa_send_window_start"], res.json["wa_send_window_end"]) == ("08:30", "20:00")
    outbox.forget_send_window()
    assert outbox.send_window(db) == pacing.SendWindow(time(8, 30), time(20))


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"wa_send_window_start": "7 pagi"}, "wa_send_window_start", "Isi jam dengan format JJ:MM, misalnya 07:00."),
    ({"wa_send_window_end": "24:00"}, "wa_send_window_end", "Isi jam dengan format JJ:MM, misalnya 07:00."),
    ({"wa_send_window_start": "21:00", "wa_send_window_end": "07:00"}, "wa_send_window_end",
     "Jam selesai harus setelah jam mulai (di hari yang sama)."),
    # Only the end changes; the stored start (07:00) makes it too short.
    ({"wa_send_window_end": "09:00"}, "wa_send_window_end",
     "Jam kirim minimal 3 jam agar pengingat sempat terkirim semua."),
    ({"wa_send_window_start": None}, "wa_send_window_start", "Isi jam dengan format JJ:MM, misalnya 07:00."),
])
def test_a_bad_window_is_refused_with_an_indonesian_message(superadmin_client, change, field, message):
    res = superadmin_client.patch("/api/settings", json=change)
    assert res.status_code == 422, res.json
    assert res.json["error"]["details"]["fields"][field] == [message]
    body = superadmin_client.get("/api/settings").json
    assert (body["wa_send_window_start"], body["wa_send_window_end"]) == ("07:00", "21:00")


def test_a_mitra_cannot_change_it(mitra_client):
    assert mitra_client.patch("/api/settings", json={"wa_send_window_start": "05:00"}).status_code == 403


def test_an_unreadable_stored_window_falls_back_to_the_default(db, set_send_window):
    from sqlalchemy import update

    from shared.models import Setting

    set_send_window(db, "07:00", "21:00")
    db.execute(update(Setting).where(Setting.key == "wa_send_window_end").values(value="06:00"))
    assert outbox.load_send_window(db) == pacing.DEFAULT_WINDOW
