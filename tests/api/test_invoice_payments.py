# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""Partial payments: record part of an invoice, pay the rest, undo one payment; receipts, locks and tenancy."""

from datetime import date

import pytest
from sqlalchemy import select, text

from shared.models import ActivityLog, InvoicePayment, WaMessageQueue
from shared.services.invoices import VERSION_CONFLICT
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def ani(make_customer, make_package, mitra):
    return make_customer(owner=mitra, package=make_package(price=150_000), name="Ani Lestari", phone="6281211110001",
                         discount=0)


@pytest.fixture
def bill(make_invoice, ani):
    """An unpaid Rp 150.000 invoice of the mitra's customer Ani."""
    return make_invoice(customer=ani, due=date(2030, 3, 5))


def part(client, invoice_id, amount, version, method="cash", **extra):
    return client.post(f"/api/invoices/{invoice_id}/payments",
                       json={"amount": amount, "version": version, "paymentMethod": method, **extra})


def undo(client, invoice_id, payment_id, version):
    return client.delete(f"/api/invoices/{invoice_id}/payments/{payment_id}", query_string={"version": version})


def test_part_payment_makes_the_invoice_partial_and_the_rest_makes_it_paid(mitra_client, mitra, bill, db):
    res = part(mitra_client, bill.id, 50_000, 1, paymentNote="DP dulu")
    assert res.status_code == 200, res.json
    body = res.json
    assert (body["status"], body["paidAmount"], body["remainingAmount"], body["version"]) == ("partial", 50_000,
                                                                                              100_000, 2)
    # paidAt / paymentMethod mean "paid in full": not yet.
    assert (body["paidAt"], body["paidBy"], body["paymentMethod"]) == (None, None, None)
    [payment] = body["payments"]
    assert (payment["amount"], payment["paymentMethod"], payment["paymentNote"]) == (50_000, "cash", "DP dulu")
    assert (payment["paidBy"], payment["paidByName"]) == (str(mitra.id), mitra.name)
    assert payment["paidAt"]

    res = part(mitra_client, bill.id, 100_000, 2, method="transfer")
    assert res.status_code == 200, res.json
    body = res.json
    assert (body["status"], body["paidAmount"], body["remainingAmount"], body["version"]) == ("paid", 150_000, 0, 3)
    assert (body["paymentMethod"], body["paidBy"]) == ("transfer", str(mitra.id))
    assert body["paidAt"]
    assert [p["amount"] for p in body["payments"]] == [50_000, 100_000]
    assert mitra_client.get(f"/api/invoices/{bill.id}").json["payments"] == body["payments"]
    actions = db.scalars(select(ActivityLog.action).where(ActivityLog.resource_id == bill.id)
                         .order_by(ActivityLog.created_at)).all()
    assert sorted(actions) == ["invoice.pay", "invoice.pay_partial"]


def test_pay_on_a_partial_invoice_pays_the_remainder_as_one_payment(mitra_client, bill):
    part(mitra_client, bill.id, 40_000, 1)
    res = mitra_client.patch(f"/api/invoices/{bill.id}/pay", json={"version": 2, "paymentMethod": "qris"})
    assert res.status_code == 200, res.json
    assert (res.json["status"], res.json["paidAmount"], res.json["remainingAmount"]) == ("paid", 150_000, 0)
    assert [(p["amount"], p["paymentMethod"]) for p in res.json["payments"]] == [(40_000, "cash"), (110_000, "qris")]


def test_pay_on_an_unpaid_invoice_records_one_payment_of_the_total(mitra_client, bill):
    res = mitra_client.patch(f"/api/invoices/{bill.id}/pay", json={"version": 1, "paymentMethod": "cash"})
    assert res.status_code == 200
    assert [p["amount"] for p in res.json["payments"]] == [150_000]


def test_more_than_the_remainder_is_422_with_the_remaining_amount(mitra_client, bill):
    part(mitra_client, bill.id, 100_000, 1)
    res = part(mitra_client, bill.id, 60_000, 2)
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "amount_exceeds_remaining"
    assert error["message"] == "Jumlah bayar melebihi sisa tagihan (Rp 50.000)."
    assert error["details"]["fields"] == {"amount": ["Jumlah bayar melebihi sisa tagihan (Rp 50.000)."]}
    assert error["details"]["remainingAmount"] == 50_000
    assert mitra_client.get(f"/api/invoices/{bill.id}").json["paidAmount"] == 100_000


@pytest.mark.parametrize("amount", [0, -5_000, "50000", 1.5, None])
def test_an_amount_that_is_not_a_positive_whole_rupiah_is_422(mitra_client, bill, amount):
    res = part(mitra_client, bill.id, amount, 1)
    assert res.status_code == 422
    assert "amount" in res.json["error"]["details"]["fields"]


def test_zero_amount_message_is_indonesian(mitra_client, bill):
    res = part(mitra_client, bill.id, 0, 1)
    assert res.json["error"]["details"]["fields"]["amount"] == ["Jumlah bayar harus lebih dari Rp 0."]


def test_stale_version_is_409_and_paying_a_paid_invoice_is_409_already_paid(mitra_client, bill):
    part(mitra_client, bill.id, 50_000, 1)
    res = part(mitra_client, bill.id, 10_000, 1)
    assert res.status_code == 409
    assert (res.json["error"]["code"], res.json["error"]["message"]) == ("version_conflict", VERSION_CONFLICT)
    part(mitra_client, bill.id, 100_000, 2)
    res = part(mitra_client, bill.id, 1, 3)
    assert (res.status_code, res.json["error"]["code"]) == (409, "already_paid")


def test_undo_one_payment_goes_back_to_partial_then_unpaid(mitra_client, bill, db):
    first = part(mitra_client, bill.id, 50_000, 1).json["payments"][0]["id"]
    second = part(mitra_client, bill.id, 100_000, 2).json["payments"][1]["id"]

    res = undo(mitra_client, bill.id, second, 3)
    assert res.status_code == 200, res.json
    body = res.json
    assert (body["status"], body["paidAmount"], body["remainingAmount"], body["version"]) == ("partial", 50_000,
                                                                                              100_000, 4)
    assert (body["paidAt"], body["paymentMethod"]) == (None, None)
    assert [p["id"] for p in body["payments"]] == [first]

    res = undo(mitra_client, bill.id, first, 4)
    assert (res.json["status"], res.json["paidAmount"], res.json["payments"]) == ("unpaid", 0, [])
    assert db.scalars(select(InvoicePayment).where(InvoicePayment.invoice_id == bill.id)).all() == []
    assert "invoice.undo_payment" in db.scalars(select(ActivityLog.action)
                                                .where(ActivityLog.resource_id == bill.id)).all()


def test_undo_with_a_stale_version_is_409_and_keeps_the_payment(mitra_client, bill):
    payment = part(mitra_client, bill.id, 50_000, 1).json["payments"][0]["id"]
    res = undo(mitra_client, bill.id, payment, 1)
    assert (res.status_code, res.json["error"]["code"]) == (409, "version_conflict")
    assert mitra_client.get(f"/api/invoices/{bill.id}").json["paidAmount"] == 50_000


def test_undo_needs_a_version(mitra_client, bill):
    payment = part(mitra_client, bill.id, 50_000, 1).json["payments"][0]["id"]
    res = mitra_client.delete(f"/api/invoices/{bill.id}/payments/{payment}")
    assert res.status_code == 422
    assert "version" in res.json["error"]["details"]["fields"]


def test_undo_of_an_unknown_payment_or_one_of_another_invoice_is_404(mitra_client, bill, make_invoice, ani):
    other = make_invoice(customer=ani, due=date(2030, 4, 5))
    payment = part(mitra_client, other.id, 50_000, 1).json["payments"][0]["id"]
    res = undo(mitra_client, bill.id, payment, 1)
    assert (res.status_code, res.json["error"]["message"]) == (404, "Pembayaran tidak ditemukan.")
    res = undo(mitra_client, bill.id, "7b0c3c5e-2f7a-4e43-9a4a-1d2b3c4d5e6f", 1)
    assert res.status_code == 404


def test_another_mitra_can_neither_pay_nor_undo_nor_see_the_payments(mitra_client, as_user, other_mitra, bill):
    payment = part(mitra_client, bill.id, 50_000, 1).json["payments"][0]["id"]
    intruder = as_user(other_mitra)
    res = part(intruder, bill.id, 10_000, 2)
    assert (res.status_code, res.json["error"]["message"]) == (404, "Tagihan tidak ditemukan.")
    res = undo(intruder, bill.id, payment, 2)
    assert (res.status_code, res.json["error"]["message"]) == (404, "Tagihan tidak ditemukan.")
    assert intruder.get(f"/api/invoices/{bill.id}").status_code == 404
    assert mitra_client.get(f"/api/invoices/{bill.id}").json["paidAmount"] == 50_000


def test_superadmin_may_record_and_undo_a_mitras_payment(superadmin_client, superadmin, bill):
    res = part(superadmin_client, bill.id, 20_000, 1)
    assert res.json["payments"][0]["paidByName"] == superadmin.name
    res = undo(superadmin_client, bill.id, res.json["payments"][0]["id"], 2)
    assert res.json["status"] == "unpaid"


def test_unpay_undoes_every_payment(mitra_client, bill, db):
    part(mitra_client, bill.id, 50_000, 1)
    res = mitra_client.patch(f"/api/invoices/{bill.id}/unpay", json={"version": 2})
    assert res.status_code == 200, res.json
    assert (res.json["status"], res.json["paidAmount"], res.json["remainingAmount"], res.json["payments"]) == (
        "unpaid", 0, 150_000, [])
    assert db.scalars(select(InvoicePayment).where(InvoicePayment.invoice_id == bill.id)).all() == []


def test_invoice_list_shows_partial_invoices_with_their_payments(mitra_client, bill):
    part(mitra_client, bill.id, 50_000, 1)
    res = mitra_client.get("/api/invoices", query_string={"status": "partial"})
    assert [(i["id"], i["paidAmount"], i["remainingAmount"], len(i["payments"])) for i in res.json["items"]] == [
        (str(bill.id), 50_000, 100_000, 1)]


def test_the_database_refuses_a_paid_amount_above_the_total(db, bill):
    with pytest.raises(Exception, match="paid_amount_within_total"), db.begin_nested():
        db.execute(text("UPDATE invoices SET paid_amount = total_amount + 1 WHERE id = :id"), {"id": bill.id})


# ---------------------------------------------------------------------------------------------
# Each payment sends its own WhatsApp receipt


def _receipts(db, invoice):
    db.expire_all()
    return list(db.scalars(select(WaMessageQueue).where(WaMessageQueue.invoice_id == invoice.id,
                                                        WaMessageQueue.message_type == "receipt")
                           .order_by(WaMessageQueue.created_at)))


def test_each_payment_queues_its_own_receipt_with_paid_now_paid_in_all_and_remaining(mitra_client, mitra, db,
                                                                                     bill, wa_state, wa_bus):
    wa_state(mitra, "connected")
    res = part(mitra_client, bill.id, 50_000, 1)
    assert res.json["waReceipt"]["status"] == "queued"
    [first] = _receipts(db, bill)
    assert "Nota Pembayaran Sebagian" in first.content
    assert "Dibayar Sekarang: *Rp 50.000*" in first.content
    assert "Total Dibayar: Rp 50.000" in first.content
    assert "Sisa Tagihan: *Rp 100.000*" in first.content

    res = mitra_client.patch(f"/api/invoices/{bill.id}/pay", json={"version": 2, "paymentMethod": "transfer"})
    assert res.json["waReceipt"]["status"] == "queued"
    first_again, second = _receipts(db, bill)
    assert first_again.id == first.id
    assert "✅ *Nota Pembayaran WiFi*" in second.content
    assert "Dibayar Sekarang: *Rp 100.000*" in second.content
    assert "Total Dibayar: Rp 150.000" in second.content
    assert "Sisa Tagihan: *Rp 0* (LUNAS)" in second.content


def test_a_single_full_payment_keeps_the_plain_receipt(mitra_client, mitra, db, bill, wa_state, wa_bus):
    wa_state(mitra, "connected")
    mitra_client.patch(f"/api/invoices/{bill.id}/pay", json={"version": 1, "paymentMethod": "cash"})
    [receipt] = _receipts(db, bill)
    assert "Total Bayar: *Rp 150.000*" in receipt.content
    assert "Sisa Tagihan" not in receipt.content


# ---------------------------------------------------------------------------------------------
# The public receipt of a partial invoice


def test_public_receipt_of_a_partial_invoice_lists_payments_and_what_remains(mitra_client, client, bill, db):
    part(mitra_client, bill.id, 50_000, 1)
    db.refresh(bill)
    body = client.get(f"/api/receipt/{bill.receipt_token}").json
    assert (body["status"], body["paidAmount"], body["remainingAmount"]) == ("partial", 50_000, 100_000)
    assert [p["amount"] for p in body["payments"]] == [50_000]
    assert set(body["payments"][0]) <= {"amount", "paidAt", "paymentMethodLabel"}
    assert "paidAt" not in body and "paidByName" not in body  # not a receipt of the whole bill yet
