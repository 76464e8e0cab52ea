# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""A client written to the spec works unchanged: customMessage on sends, the spec's log filters, customer history."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from shared.models import WaMessageLog, WaMessageQueue, WaSession
from shared.timeutil import utcnow
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def ani(make_customer, mitra):
    return make_customer(owner=mitra, name="Ani Lestari", phone="6281211110001")


@pytest.fixture
def connected(mitra, wa_state, wa_bus):
    return wa_state(mitra, "connected", phone_number="6281299990000")


def _contents(db, owner):
    db.expire_all()
    return [row.content for row in db.scalars(
        select(WaMessageQueue).join(WaSession, WaSession.id == WaMessageQueue.session_id)
        .where(WaSession.user_id == owner.id).order_by(WaMessageQueue.scheduled_at))]


# ---------------------------------------------------------------------------------------------
# customMessage (the spec) and message (the alias)


def test_send_manual_takes_the_specs_custom_message(mitra_client, mitra, db, ani, connected):
    res = mitra_client.post("/api/wa/send-manual", json={"customerId": str(ani.id), "template": "custom",
                                                          "customMessage": "Halo {nama}, ada gangguan."})
    assert res.status_code == 202, res.json
    assert _contents(db, mitra) == ["Halo Ani Lestari, ada gangguan."]


def test_send_manual_still_takes_message_and_both_when_equal(mitra_client, mitra, db, ani, connected):
    for body in ({"message": "Satu {nama}"}, {"message": "Dua {nama}", "customMessage": "Dua {nama}"}):
        res = mitra_client.post("/api/wa/send-manual", json={"customerId": str(ani.id), "template": "custom", **body})
        assert res.status_code == 202, res.json
    assert _contents(db, mitra) == ["Satu Ani Lestari", "Dua Ani Lestari"]


def test_custom_message_and_message_that_differ_are_a_clear_422(mitra_client, mitra, db, ani, connected):
    body = {"template": "custom", "customMessage": "A", "message": "B"}
    for url, target in (("/api/wa/send-manual", {"customerId": str(ani.id)}),
                        ("/api/wa/send-bulk", {"customerIds": [str(ani.id)]})):
        res = mitra_client.post(url, json={**body, **target})
        assert res.status_code == 422, (url, res.json)
        assert res.json["error"]["details"]["fields"]["customMessage"] == [
            "customMessage dan message berbeda; kirim salah satu saja."]
    assert _contents(db, mitra) == []


def test_custom_without_text_names_the_field_the_client_used(mitra_client, ani, connected):
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": [str(ani.id)], "template": "custom"})
    assert res.json["error"]["details"]["fields"] == {"customMessage": ["Tulis pesan untuk template custom."]}
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": [str(ani.id)], "template": "custom",
                                                        "message": "  "})
    assert res.json["error"]["details"]["fields"] == {"message": ["Tulis pesan untuk template custom."]}


def test_send_bulk_takes_the_specs_custom_message(mitra_client, mitra, db, ani, make_customer, connected):
    budi = make_customer(owner=mitra, name="Budi")
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": [str(ani.id), str(budi.id)],
                                                        "template": "custom", "customMessage": "Info {nama}"})
    assert (res.status_code, res.json["queued"]) == (202, 2), res.json
    # The operator's body, word for word, inside the bulk variation's greeting and closing.
    contents = _contents(db, mitra)
    assert len(contents) == 2
    for body in ("Info Ani Lestari", "Info Budi"):
        assert sum(f"\n\n{body}\n\n" in text for text in contents) == 1, contents


def test_preview_takes_the_specs_custom_message(mitra_client, ani):
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "custom",
                                                      "customMessage": "Hai {nama}"})
    assert (res.status_code, res.json["message"]) == (200, "Hai Ani Lestari")


# ---------------------------------------------------------------------------------------------
# GET /api/wa/logs: messageType, status, from/to (WIB days), customerId


@pytest.fixture
def add_log(db):
    def factory(user, *, status="delivered", message_type="custom", sent_at=None, customer=None, **fields):
        entry = WaMessageLog(user_id=user.id, status=status, message_type=message_type,
                             phone=fields.pop("phone", "6281200000001"), content=fields.pop("content", "Halo"),
                             customer_id=customer.id if customer else None, sent_at=sent_at or utcnow(), **fields)
        db.add(entry)
        db.flush()
        return entry

    return factory


def _total(client, **query):
    res = client.get("/api/wa/logs", query_string=query)
    assert res.status_code == 200, res.json
    return res.json["total"]


def test_logs_filter_by_the_specs_message_type_and_status(mitra_client, mitra, add_log):
    add_log(mitra, message_type="reminder", status="sent")
    add_log(mitra, message_type="receipt", status="failed")
    add_log(mitra, message_type="receipt", status="delivered")
    assert _total(mitra_client, messageType="receipt") == 2
    assert _total(mitra_client, messageType="receipt", status="failed") == 1
    assert _total(mitra_client, type="reminder") == 1  # the older name still works
    assert _total(mitra_client, messageType="receipt", type="receipt") == 2
    res = mitra_client.get("/api/wa/logs", query_string={"messageType": "receipt", "type": "reminder"})
    assert res.status_code == 422 and "messageType" in res.json["error"]["details"]["fields"]
    assert mitra_client.get("/api/wa/logs", query_string={"messageType": "promo"}).status_code == 422


def test_logs_from_and_to_are_wib_days(mitra_client, mitra, add_log):
    add_log(mitra, sent_at=datetime(2030, 3, 4, 16, 30, tzinfo=UTC))  # 23:30 WIB on the 4th
    add_log(mitra, sent_at=datetime(2030, 3, 4, 17, 30, tzinfo=UTC))  # 00:30 WIB on the 5th
    add_log(mitra, sent_at=datetime(2030, 3, 6, 2, 0, tzinfo=UTC))
    assert _total(mitra_client, **{"from": "2030-03-04", "to": "2030-03-04"}) == 1
    assert _total(mitra_client, **{"from": "2030-03-05"}) == 2
    assert _total(mitra_client, to="2030-03-05") == 2
    assert _total(mitra_client, dateFrom="2030-03-05", dateTo="2030-03-05") == 1  # the aliases
    assert mitra_client.get("/api/wa/logs", query_string={"from": "2030-03-05", "to": "2030-03-04"}).status_code == 422
    assert mitra_client.get("/api/wa/logs", query_string={"from": "2030-03-05",
                                                          "dateFrom": "2030-03-04"}).status_code == 422
    assert mitra_client.get("/api/wa/logs", query_string={"from": "kemarin"}).status_code == 422


def test_logs_of_one_customer_newest_first(mitra_client, mitra, ani, make_customer, add_log):
    budi = make_customer(owner=mitra, name="Budi")
    now = utcnow()
    add_log(mitra, customer=ani, message_type="reminder", sent_at=now - timedelta(days=2))
    add_log(mitra, customer=ani, message_type="receipt", status="failed", error_message="Nomor tidak terdaftar",
            sent_at=now - timedelta(days=1))
    add_log(mitra, customer=budi)
    res = mitra_client.get("/api/wa/logs", query_string={"customerId": str(ani.id)}).json
    assert [(item["messageType"], item["customerName"]) for item in res["items"]] == [
        ("receipt", "Ani Lestari"), ("reminder", "Ani Lestari")]
    assert res["items"][0]["errorMessage"] == "Nomor tidak terdaftar"
    assert mitra_client.get("/api/wa/logs", query_string={"customerId": "nope"}).status_code == 422


def test_a_mitra_cannot_read_another_mitras_customer_history(mitra_client, mitra, other_mitra, make_customer,
                                                             add_log):
    theirs = make_customer(owner=other_mitra, name="Milik Orang Lain")
    add_log(other_mitra, customer=theirs, content="Rahasia orang lain")
    res = mitra_client.get("/api/wa/logs", query_string={"customerId": str(theirs.id)})
    assert (res.status_code, res.json["total"], res.json["items"]) == (200, 0, [])
    assert "Rahasia" not in res.get_data(as_text=True)


def test_superadmin_reads_any_customers_history_across_numbers(superadmin_client, superadmin, mitra, ani, add_log):
    add_log(mitra, customer=ani, message_type="reminder", sent_at=utcnow() - timedelta(hours=2))
    add_log(mitra, customer=ani, message_type="manual")
    add_log(mitra, message_type="test")  # the mitra's own number, not about Ani
    assert _total(superadmin_client) == 0  # without customerId: the superadmin's own number
    assert _total(superadmin_client, customerId=str(ani.id)) == 2
    assert _total(superadmin_client, customerId=str(ani.id), messageType="manual") == 1


def test_log_filters_combine(mitra_client, mitra, ani, add_log):
    add_log(mitra, customer=ani, message_type="reminder", status="failed",
            sent_at=datetime(2030, 3, 4, 3, 0, tzinfo=UTC))
    add_log(mitra, customer=ani, message_type="reminder", status="sent", sent_at=datetime(2030, 3, 4, 4, 0, tzinfo=UTC))
    add_log(mitra, customer=ani, message_type="reminder", status="failed",
            sent_at=datetime(2030, 3, 9, 4, 0, tzinfo=UTC))
    assert _total(mitra_client, customerId=str(ani.id), messageType="reminder", status="failed",
                  **{"from": "2030-03-01", "to": str(date(2030, 3, 5))}) == 1
