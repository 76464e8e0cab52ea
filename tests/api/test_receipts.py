"""Public receipts: no login, unguessable token, only the fields the superadmin's toggles allow."""

import pytest
from sqlalchemy import select

from shared.models import Invoice
from shared.services import billing
from shared.services.invoices import mark_paid, mark_unpaid
from shared.services.receipts import mask_digits, mask_name
from shared.services.settings import TOGGLE_KEYS

ALWAYS = {"invoiceNumber", "period", "periodLabel", "dueDate", "totalAmount", "paidAmount", "remainingAmount",
          "payments", "status", "customerName",
          "receiptUrl", "footerText"}
PAID_ALWAYS = ALWAYS | {"paidAt"}
# Never on the public page of an unpaid bill, whatever the toggles say.
PAYMENT = {"paidAt", "paymentMethod", "paymentMethodLabel", "paidByName", "paymentNote", "paidBy"}
PERSONAL = {"customerPhone", "nik", "address"}
MASK_KEY = "receipt_mask_customer_name"
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
                             nik="3201010101010001", discount=25_000, billing_date=7, address="Jl. Melati 7 RT 02")
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    invoice = db.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).one()
    mark_paid(db, actor=mitra, invoice_id=invoice.id, version=1, payment_method="qris",
              payment_note="titip ke tetangga, uang di laci")
    db.refresh(invoice)
    return invoice


@pytest.fixture
def unpaid_invoice(db, mitra, make_customer, make_package):
    package = make_package(name="Paket 20 Mbps", speed="20 Mbps", price=150_000)
    customer = make_customer(owner=mitra, package=package, name="Budi Santoso", phone="6281299990002",
                             nik="3201010101010002", discount=10_000, billing_date=7, address="Jl. Mawar 9 RT 03")
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    invoice = db.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).one()
    db.refresh(invoice)
    return invoice


def all_toggles(superadmin_client, value: str, **extra):
    """Every field toggle to `value`; the name mask stays as it is unless passed in `extra`."""
    toggles = {key: value for key in TOGGLE_KEYS if key != MASK_KEY}
    res = superadmin_client.patch("/api/settings", json={**toggles, **extra})
    assert res.status_code == 200, res.json


def assert_matches_schema(client, body: dict):
    """The body against the documented ReceiptOut: no undocumented key, every required one, null only if nullable."""
    schema = client.get("/api/openapi.json").json["components"]["schemas"]["ReceiptOut"]
    properties = schema["properties"]
    assert set(body) <= set(properties), set(body) - set(properties)
    assert set(schema["required"]) <= set(body)
    assert [key for key, value in body.items() if value is None and not properties[key].get("nullable")] == []


def test_receipt_is_public_and_shows_every_field_when_all_toggles_are_on(client, superadmin_client, paid_invoice,
                                                                         mitra):
    all_toggles(superadmin_client, "true", app_name="WiFi Kita", logo_url="/uploads/logo.webp",
                receipt_footer_text="Terima kasih!")
    res = client.get(f"/api/receipt/{paid_invoice.receipt_token}")
    assert res.status_code == 200, res.json
    body = res.json
    assert set(body) == PAID_ALWAYS | set().union(*TOGGLED.values())
    assert_matches_schema(client, body)
    assert body["invoiceNumber"] == f"INV-203003-{paid_invoice.id.hex[:8].upper()}"
    assert (body["period"], body["periodLabel"], body["dueDate"]) == ("2030-03", "Maret 2030", "2030-02-07")
    assert (body["totalAmount"], body["amount"], body["discount"]) == (175_000, 200_000, 25_000)
    assert body["status"] == "paid" and body["paidAt"]
    # In public the phone and NIK are told by their last digits only; the address and payment note never.
    assert (body["customerName"], body["customerPhone"], body["nik"]) == ("Citra Dewi", "*********0001",
                                                                          "************0001")
    assert "6281299990001" not in str(body) and "3201010101010001" not in str(body)
    assert "Melati" not in str(body) and "laci" not in str(body)
    assert (body["companyName"], body["businessName"], body["area"]) == ("WiFi Kita", mitra.business_name,
                                                                         mitra.business_name)
    assert (body["logoUrl"], body["footerText"]) == ("/uploads/logo.webp", "Terima kasih!")
    assert (body["packageName"], body["packageSpeed"]) == ("Paket 30 Mbps", "30 Mbps")
    assert (body["paymentMethod"], body["paymentMethodLabel"], body["paidByName"]) == ("qris", "QRIS", mitra.name)
    assert body["receiptUrl"] == f"/receipt/{paid_invoice.receipt_token}"


def test_every_field_but_the_always_ones_is_absent_when_all_toggles_are_off(client, superadmin_client, paid_invoice):
    all_toggles(superadmin_client, "false")
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert set(body) == PAID_ALWAYS
    assert_matches_schema(client, body)


@pytest.mark.parametrize("toggle", sorted(TOGGLED))
def test_each_toggle_off_removes_exactly_its_fields(client, superadmin_client, paid_invoice, toggle):
    all_toggles(superadmin_client, "true")
    superadmin_client.patch("/api/settings", json={toggle: "false"})
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert set(body) == (PAID_ALWAYS | set().union(*TOGGLED.values())) - TOGGLED[toggle]
    for field in TOGGLED[toggle]:
        assert field not in body  # absent, not null


def test_toggles_cover_every_receipt_setting():
    assert set(TOGGLED) | {MASK_KEY} == set(TOGGLE_KEYS)


def test_nik_is_hidden_by_default(client, paid_invoice):
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert "nik" not in body and "3201010101010001" not in str(body)


def test_unpaid_invoice_is_a_bill_without_payment_or_personal_fields(client, superadmin_client, unpaid_invoice,
                                                                     mitra):
    all_toggles(superadmin_client, "true", app_name="WiFi Kita", logo_url="/uploads/logo.webp")
    res = client.get(f"/api/receipt/{unpaid_invoice.receipt_token}")
    assert res.status_code == 200, res.json
    body = res.json
    # What the customer needs to pay, and whom: name, period, amount, due date, the business and its logo.
    assert body["status"] == "unpaid"
    assert (body["customerName"], body["periodLabel"], body["dueDate"]) == ("Budi Santoso", "Maret 2030", "2030-02-07")
    assert (body["totalAmount"], body["amount"], body["discount"]) == (140_000, 150_000, 10_000)
    assert (body["companyName"], body["businessName"], body["logoUrl"]) == ("WiFi Kita", mitra.business_name,
                                                                            "/uploads/logo.webp")
    # Nothing about payment (not even a null paidAt) and nothing personal, although every toggle is on.
    assert set(body) & (PAYMENT | PERSONAL) == set()
    assert set(body) == ALWAYS | set().union(*TOGGLED.values()) - {"paymentMethod", "paymentMethodLabel",
                                                                  "paidByName", "customerPhone", "nik"}
    text = res.get_data(as_text=True)
    for secret in ("6281299990002", "81299990002", "3201010101010002", "Mawar", mitra.name):
        assert secret not in text, secret
    assert_matches_schema(client, body)


def test_an_unpaid_again_invoice_shows_nothing_of_the_cancelled_payment(client, db, superadmin_client, mitra,
                                                                        paid_invoice):
    all_toggles(superadmin_client, "true")
    mark_unpaid(db, actor=mitra, invoice_id=paid_invoice.id, version=paid_invoice.version)
    body = client.get(f"/api/receipt/{paid_invoice.receipt_token}").json
    assert body["status"] == "unpaid"
    assert set(body) & (PAYMENT | PERSONAL) == set()


def test_superadmin_can_mask_the_customer_name_in_the_public_json(client, superadmin_client, paid_invoice,
                                                                  unpaid_invoice):
    assert client.get(f"/api/receipt/{paid_invoice.receipt_token}").json["customerName"] == "Citra Dewi"
    assert superadmin_client.get("/api/settings").json[MASK_KEY] == "false"  # off by default
    res = superadmin_client.patch("/api/settings", json={MASK_KEY: True})
    assert res.status_code == 200 and res.json[MASK_KEY] == "true"
    paid = client.get(f"/api/receipt/{paid_invoice.receipt_token}")
    unpaid = client.get(f"/api/receipt/{unpaid_invoice.receipt_token}")
    assert paid.json["customerName"] == "Ci***a De***i"
    assert unpaid.json["customerName"] == "Bu***i Sa***o"
    for res in (paid, unpaid):
        assert "Citra" not in res.get_data(as_text=True) and "Budi" not in res.get_data(as_text=True)
        assert_matches_schema(client, res.json)


def test_a_mitra_cannot_switch_the_name_mask(client, mitra_client, superadmin_client, paid_invoice):
    res = mitra_client.patch("/api/settings", json={MASK_KEY: "true"})
    assert res.status_code == 403, res.json
    assert superadmin_client.get("/api/settings").json[MASK_KEY] == "false"
    superadmin_client.patch("/api/settings", json={MASK_KEY: "true"})
    res = mitra_client.patch("/api/settings", json={MASK_KEY: "false"})
    assert res.status_code == 403
    assert client.get(f"/api/receipt/{paid_invoice.receipt_token}").json["customerName"] == "Ci***a De***i"


def test_the_whatsapp_receipt_to_the_customer_keeps_the_full_name(db, superadmin_client, paid_invoice):
    from shared.wa.templates import receipt_text

    superadmin_client.patch("/api/settings", json={MASK_KEY: "true"})
    assert "Citra Dewi" in receipt_text(db, paid_invoice.id)


@pytest.mark.parametrize(("name", "masked"), [
    ("Budi Santoso", "Bu***i Sa***o"), ("Siti", "Si***i"), ("Ani", "A***i"), ("Al", "A***"), ("M. Yusuf", "M. Yu***f"),
    ("  Dewi   Lestari ", "De***i Le***i"), ("I", "I"), ("Ñoño Çağrı", "Ño***o Ça***ı"),
])
def test_mask_name_keeps_names_recognisable(name, masked):
    assert mask_name(name) == masked


def test_mask_digits_keeps_the_last_four():
    assert mask_digits("6281234567890") == "*********7890"
    assert mask_digits("123") == "***"


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
