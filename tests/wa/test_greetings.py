"""Greetings that fit the hour in WIB, and the spec's variation for bulk custom texts (pure, no database)."""

import random
from datetime import UTC, datetime

import pytest

from shared.timeutil import WIB
from shared.wa import templates
from shared.wa.templates import (
    CLOSINGS,
    ReminderContext,
    day_part,
    fit_greeting,
    greetings_at,
    render_bulk_custom,
)


def wib(hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 3, 4, hour, minute, tzinfo=WIB)


@pytest.mark.parametrize(("hour", "minute", "part"), [
    (4, 0, "pagi"), (6, 0, "pagi"), (10, 59, "pagi"), (11, 0, "siang"), (14, 59, "siang"), (15, 0, "sore"),
    (17, 59, "sore"), (18, 0, "malam"), (23, 0, "malam"), (0, 30, "malam"), (3, 59, "malam"),
])
def test_the_time_of_day_has_indonesian_boundaries_in_wib(hour, minute, part):
    assert day_part(wib(hour, minute)) == part
    # The same moment given in UTC is judged in WIB.
    assert day_part(wib(hour, minute).astimezone(UTC)) == part


def test_no_selamat_siang_at_six_in_the_morning():
    rng = random.Random(1)
    ctx = ReminderContext(customer_name="Siti", package_name="Rumah", package_speed="20 Mbps", period="2030-04",
                          total_amount=150_000, due_date=datetime(2030, 3, 5).date(), bank=templates.Bank(None, None, None),
                          business_name="Budi Net", today=datetime(2030, 3, 4).date())
    texts = [templates.render_reminder(ctx, rng, at=wib(6)) for _ in range(200)]
    assert not any("Selamat siang" in text or "Selamat malam" in text for text in texts)
    assert any("Selamat pagi *Siti*" in text for text in texts)
    assert set(greetings_at(wib(6))) == {"Halo", "Hai", "Assalamualaikum", "Selamat pagi"}
    assert "Selamat malam" in greetings_at(wib(20))


def test_fit_greeting_moves_only_the_templates_own_greeting():
    text = "🔔 *Pengingat*\n\nSelamat pagi *Budi*,\n\nSelamat pagi, kata pelanggan."
    assert fit_greeting(text, wib(19)) == "🔔 *Pengingat*\n\nSelamat malam *Budi*,\n\nSelamat pagi, kata pelanggan."
    assert fit_greeting("Halo *Budi*,", wib(19)) == "Halo *Budi*,"


def test_bulk_custom_texts_vary_per_recipient_around_the_operators_unchanged_body():
    body = "Besok ada pemeliharaan jaringan pukul 10.00–12.00, {nama}.\nMohon maaf atas gangguannya."
    rng = random.Random(4)
    texts = [render_bulk_custom(body, customer_name="Siti", business_name="Budi Net", rng=rng, at=wib(9))
             for _ in range(40)]
    expected_body = "Besok ada pemeliharaan jaringan pukul 10.00–12.00, Siti.\nMohon maaf atas gangguannya."
    assert all(expected_body in text for text in texts)
    assert len(set(texts)) >= 6  # not one identical text for everyone
    greetings = {text.split(" *Siti*,")[0] for text in texts}
    assert greetings <= {"Halo", "Hai", "Assalamualaikum", "Selamat pagi"} and len(greetings) >= 3
    closings = {text.splitlines()[-2] for text in texts}
    assert closings <= set(CLOSINGS) and len(closings) >= 3
    assert all(text.endswith("_Budi Net_") for text in texts)


def test_a_bulk_text_that_already_greets_or_signs_off_gets_no_second_one():
    rng = random.Random(2)
    greeted = render_bulk_custom("Assalamualaikum {nama}, tagihan sudah bisa dibayar.", customer_name="Siti",
                                 business_name="Budi Net", rng=rng, at=wib(9))
    assert greeted.startswith("Assalamualaikum Siti, tagihan sudah bisa dibayar.")
    signed = render_bulk_custom("Jaringan sudah normal.\n\nTerima kasih, Budi Net", customer_name="Siti",
                                business_name="Budi Net", rng=rng, at=wib(9))
    assert signed.endswith("Jaringan sudah normal.\n\nTerima kasih, Budi Net")
    assert signed.count("Terima kasih") == 1
