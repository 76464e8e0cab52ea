# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""The WhatsApp texts: the spec's content, Indonesian months and money, the owner's bank, the receipt toggles."""

import itertools
import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from shared.models import Setting
from shared.wa import templates
from shared.wa.templates import CLOSINGS, GREETINGS
from tests.fixtures.invoices import make_invoice  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def owner(make_user):
    return make_user(name="Budi Mitra", business_name="Budi Net", bank_name="BCA", bank_account="1234567890",
                     bank_holder="Budi Santoso")


@pytest.fixture
def customer(make_customer, make_package, owner):
    package = make_package(name="Paket Rumah", speed="20 Mbps", price=150_000)
    return make_customer(owner=owner, package=package, discount=25_000, name="Siti Aminah", nik="3201010101010001")


def _toggle(db, key: str, on: bool) -> None:
    db.execute(update(Setting).where(Setting.key == key).values(value="true" if on else "false"))


def test_money_and_dates_are_indonesian():
    assert templates.rupiah(1_250_000) == "Rp 1.250.000"
    assert templates.rupiah(0) == "Rp 0"
    assert templates.tanggal(date(2026, 3, 5)) == "5 Maret 2026"
    assert templates.waktu(datetime(2026, 11, 24, 7, 5, tzinfo=UTC)) == "24 November 2026 14:05 WIB"


def test_reminder_has_the_spec_content_and_the_owners_bank(db, customer, make_invoice):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5), period="2026-03")
    text = templates.reminder_text(db, invoice.id, rng=random.Random(1), today=date(2026, 2, 4))
    assert text.startswith("🔔 *Pengingat Tagihan WiFi*")
    assert "*Siti Aminah*" in text
    assert "Tagihan WiFi Anda untuk *Maret 2026* (pra-bayar) akan jatuh tempo besok:" in text
    assert "• Paket: Paket Rumah (20 Mbps)" in text
    assert "• Nominal: Rp 125.000" in text
    assert "• Jatuh Tempo: 5 Februari 2026" in text
    assert "Bank: BCA\nNo. Rek: 1234567890\nA/N: Budi Santoso\nNominal: Rp 125.000" in text
    assert text.endswith("_Budi Net_")


def test_reminder_of_a_part_paid_invoice_asks_for_what_is_left(db, customer, make_invoice):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5), period="2026-03", status="partial",
                           paid_amount=50_000)
    text = templates.reminder_text(db, invoice.id, rng=random.Random(1), today=date(2026, 2, 4))
    assert "• Nominal: Rp 125.000\n• Sudah Dibayar: Rp 50.000\n• Sisa Tagihan: *Rp 75.000*" in text
    assert "A/N: Budi Santoso\nNominal: Rp 75.000" in text


def test_a_reminder_started_early_names_the_due_date_instead_of_tomorrow(db, customer, make_invoice):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5), period="2026-03")
    text = templates.reminder_text(db, invoice.id, rng=random.Random(1), today=date(2026, 2, 3))
    assert "akan jatuh tempo pada 5 Februari 2026:" in text


def test_an_owner_without_bank_details_gets_no_empty_bank_lines(db, make_user, make_customer, make_invoice):
    owner = make_user(business_name="Tanpa Bank Net")
    invoice = make_invoice(customer=make_customer(owner=owner), due=date(2026, 2, 5))
    text = templates.reminder_text(db, invoice.id, today=date(2026, 2, 4))
    assert "Bank: None" not in text and "No. Rek:" not in text
    assert "Silakan hubungi kami untuk informasi pembayaran." in text


def test_greetings_and_closings_vary_between_messages(db, customer, make_invoice):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5))
    rng = random.Random(7)
    texts = [templates.reminder_text(db, invoice.id, rng=rng, today=date(2026, 2, 4)) for _ in range(30)]
    greetings = {line.split(" *")[0] for text in texts for line in text.splitlines() if "*Siti Aminah*," in line}
    closings = {text.splitlines()[-2] for text in texts}
    assert greetings <= set(GREETINGS) and len(greetings) >= 3
    assert closings <= set(CLOSINGS) and len(closings) >= 3
    assert any(a != b for a, b in itertools.pairwise(texts))


def test_receipt_shows_the_toggled_fields_the_payer_and_an_absolute_link(db, customer, owner, make_invoice):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5), period="2026-03", status="paid", paid_by=owner,
                           paid_at=datetime(2026, 2, 4, 3, 0, tzinfo=UTC), payment_method="transfer",
                           receipt_url="/receipt/abc123abc123abc123")
    _toggle(db, "receipt_show_nik", True)
    text = templates.receipt_text(db, invoice.id, rng=random.Random(3))
    assert text.startswith("✅ *Nota Pembayaran WiFi*")
    assert "Pembayaran Anda telah dikonfirmasi oleh *Budi Mitra*." in text
    for line in ("• Nama: Siti Aminah", "• NIK: 3201010101010001", "• Area: Budi Net", "• Paket: Paket Rumah (20 Mbps)",
                 "• Periode: Maret 2026 (pra-bayar)", "• Diskon: Rp 25.000", "• Total Bayar: *Rp 125.000*",
                 "• Metode: Transfer bank", "• Tanggal Bayar: 4 Februari 2026 10:00 WIB"):
        assert line in text
    assert "🧾 Lihat nota lengkap: http://localhost:8000/receipt/abc123abc123abc123" in text
    assert text.endswith("_Budi Net_")


@pytest.mark.parametrize(("toggle", "line"), [
    ("receipt_show_nik", "• NIK:"),
    ("receipt_show_area", "• Area:"),
    ("receipt_show_package", "• Paket:"),
    ("receipt_show_discount", "• Diskon:"),
    ("receipt_show_payment_method", "• Metode:"),
    ("receipt_show_paid_by", "dikonfirmasi oleh"),
])
def test_a_receipt_field_switched_off_is_not_in_the_message(db, customer, owner, make_invoice, toggle, line):
    invoice = make_invoice(customer=customer, due=date(2026, 2, 5), status="paid", paid_by=owner,
                           payment_method="cash")
    _toggle(db, "receipt_show_nik", True)
    assert line in templates.receipt_text(db, invoice.id)
    _toggle(db, toggle, False)
    text = templates.receipt_text(db, invoice.id)
    assert line not in text
    assert "• Total Bayar: *Rp 125.000*" in text  # the always-on fields stay


def test_isolation_notice_is_the_owners(db, customer):
    text = templates.isolation_text(db, customer.id, rng=random.Random(2))
    assert text.startswith("⚠️ *Pemberitahuan Isolir*")
    assert "*Siti Aminah*" in text
    assert "Layanan WiFi Anda telah di-*isolir* karena tunggakan pembayaran." in text
    assert "Bank: BCA\nNo. Rek: 1234567890\nA/N: Budi Santoso" in text
    assert text.endswith("Hubungi kami jika ada pertanyaan.\n_Budi Net_")


def test_a_zero_discount_is_not_listed(db, make_customer, owner, make_invoice):
    invoice = make_invoice(customer=make_customer(owner=owner), due=date(2026, 2, 5), status="paid", paid_by=owner)
    text = templates.receipt_text(db, invoice.id)
    assert "Diskon" not in text and "• Total Bayar: *Rp 100.000*" in text


def test_custom_text_fills_in_the_name():
    assert templates.custom_text("Halo {nama}, jaringan sedang perbaikan. ", customer_name="Siti") == \
        "Halo Siti, jaringan sedang perbaikan."


def test_reminder_texts_loads_many_at_once_with_their_owner_and_phone(db, customer, owner, make_customer,
                                                                        make_invoice):
    other = make_customer(owner=owner, name="Joko")
    first = make_invoice(customer=customer, due=date(2026, 2, 5))
    second = make_invoice(customer=other, due=date(2026, 2, 5))
    messages = templates.reminder_texts(db, [first.id, second.id], today=date(2026, 2, 4))
    assert set(messages) == {first.id, second.id}
    assert messages[second.id].phone == other.phone and messages[second.id].owner_id == owner.id
    assert messages[second.id].due_date == date(2026, 2, 5) and "*Joko*" in messages[second.id].content
