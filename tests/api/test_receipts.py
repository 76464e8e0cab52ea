"""Public receipts: no login, unguessable token, only the fields the superadmin's toggles allow."""

import pytest
from sqlalchemy import select

from shared.models import Invoice
from shared.services import billing
from shared.services.invoices import mark_paid
from shared.services.settings import TOGGLE_KEYS

ALWAYS = {"invoiceNumber", "period", "periodLabel", "dueDate", "totalAmount", "status", "paidAt", "customerName",
          "receiptUrl", "footerText"}
TOGGLED = {
    "receipt_show_company_name": {"companyName", "businessName"},
    "receipt_logo_enabled": {"logoUrl"},
    "receipt_show_customer_phone": {"customerPhone"},
    "receipt_show_nik": {"nik"},
    "receipt_show_area": {"area"},
    "receipt_show_package": {"packageName", "packageSpeed"},
    "receipt_show_discount": {"amount", "discount"},
    "receipt_show_payment_method": {"paymentMethod", "paymentMethodLabel"},
    "receipt_show_paid_by": {"paidByName"},
}


@pytest.fixture
def paid_invoice(db, mitra, make_customer, make_package):
    package = make_package(name="Paket 30 Mbps", speed="30 Mbps", price=200_000)
    customer = make_customer(owner=mitra, package=package, name="Citra Dewi", phone="6281299990001",
                             nik="3201010101010001", discount=25_000, billing_date=7)
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    invoice = db.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).one()
    mark_paid(db, actor=mitra, invoice_id=invoice.id, version=1, payment_method="qris")
    db.refresh(invoice)
    return invoice


def all_toggles(superadmin_client, value: str, **extra):
    res = superadmin_client.patch("/api/settings", json={**{key: value for key in TOGGLE_KEYS}, **extra})
    assert res.status_code == 200, res.json


def test_receipt_is_public_and_shows_every_field_when_all_toggles_are_on(client, superadmin_client, paid_invoice,
                                                                         mitra):
    all_toggles(superadmin_client, "true", app_name="WiFi Kita", logo_url="/uploads/logo.webp",
                receipt_footer_text="Terima kasih!")
    res = client.get(f"/api/receipt/{paid_invoice.receipt_token}")
    assert res.status_code == 200, res.json
    body = res.json
    assert set(body) == ALWAYS | set().union(*TOGGLED.values())
    assert body["invoiceNumber"] == f"INV-203003-{paid_invoice.id.hex[:8].upper()}"
    assert (body["period"], body["periodLabel"], body["dueDate"]) == ("2030-03", "Maret 2030", "2030-02-07")
    assert (body["totalAmount"], body["amount"], body["discount"]) == (175_000, 200_000, 25_000)
    assert body["status"] == "paid" and body["paidAt"]
    assert (body["customerName"], body["customerPhone"], body["nik"]) == ("Citra Dewi", "6281299990001",
                                                                          "3201010101010001")
    assert (body["companyName"], body["businessName"], body["area"]) == ("WiFi Kita", mitra.business_name,
                                                                         mitra.business_name)
    assert (body["logoUrl"], body["footerText"]) == ("/uploads/logo.webp", "Terima kasih!")
    assert (body["packageName"], body["packageSpeed"]) == ("Paket 30 Mbps", "30 Mbps")
    assert (body["paymentMethod"], body["paymentMethodLabel"], body["paidByName"]) == ("qris", "QRIS", mitra.name)
    assert body["receiptUrl"] == f"/receipt/{paid_invoice.receipt_token}"


def test_every_field_but_the_always_ones_is_absent_when_all_toggles_are_off(client, superadmin_client, paid_invoice):
    all_toggles(superadmin_client, "false")
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert set(body) == ALWAYS


@pytest.mark.parametrize("toggle", sorted(TOGGLED))
def test_each_toggle_off_removes_exactly_its_fields(client, superadmin_client, paid_invoice, toggle):
    all_toggles(superadmin_client, "true")
    superadmin_client.patch("/api/settings", json={toggle: "false"})
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert set(body) == (ALWAYS | set().union(*TOGGLED.values())) - TOGGLED[toggle]
    for field in TOGGLED[toggle]:
        assert field not in body  # absent, not null


def test_toggles_cover_every_receipt_setting():
    assert set(TOGGLED) == set(TOGGLE_KEYS)


def test_nik_is_hidden_by_default(client, paid_invoice):
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert "nik" not in body and "3201010101010001" not in str(body)


def test_unpaid_invoice_receipt_says_unpaid(client, db, mitra, make_customer):
    customer = make_customer(owner=mitra, name="Belum Bayar")
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    invoice = db.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).one()
    body = client.get(f"/api/receipt/{invoice.receipt_token}").json
    assert body["status"] == "unpaid" and body["paidAt"] is None


@pytest.mark.parametrize("token", ["0" * 64, "abc", "x" * 101, "..%5C..%5Cetc", "%00", "a.b.c", "' OR 1=1 --"])
def test_unknown_and_malformed_tokens_are_the_same_404(client, token):
    res = client.get(f"/api/receipt/{token}")
    assert res.status_code == 404
    assert res.json["error"] == {"code": "not_found", "message": "Nota tidak ditemukan.", "details": {}}


def test_receipt_is_rate_limited_per_ip(client, paid_invoice):
    url = f"/api/receipt/{paid_invoice.receipt_token}"
    statuses = [client.get(url, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code for _ in range(62)]
    assert statuses.count(200) == 60 and statuses[-1] == 429
    assert client.get(url, environ_base={"REMOTE_ADDR": "10.9.9.10"}).status_code == 200


def test_receipt_is_documented_as_public(client):
    spec = client.get("/api/openapi.json").json
    assert spec["paths"]["/api/receipt/{token}"]["get"]["security"] == []
