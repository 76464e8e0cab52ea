# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""Automatic messages: the receipt on pay and the isolation notice go from the customer's owner's number."""

from datetime import date

import pytest
from sqlalchemy import select

from shared.models import CustomerStatus, PaymentStatus, WaMessageLog, WaMessageQueue
from shared.wa import outbox
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def ani(make_customer, mitra):
    return make_customer(owner=mitra, name="Ani Lestari", phone="6281211110001")


def _pay(client, invoice):
    return client.patch(f"/api/invoices/{invoice.id}/pay", json={"version": invoice.version, "paymentMethod": "cash"})


def _queue(db, customer):
    db.expire_all()
    return list(db.scalars(select(WaMessageQueue).where(WaMessageQueue.customer_id == customer.id)
                           .order_by(WaMessageQueue.created_at, WaMessageQueue.scheduled_at)))


def _logs(db, customer):
    db.expire_all()
    return list(db.scalars(select(WaMessageLog).where(WaMessageLog.customer_id == customer.id)))


def test_pay_queues_the_receipt_from_the_owners_number(mitra_client, mitra, db, ani, make_invoice, wa_state,
                                                       wa_bus):
    wa = wa_state(mitra, "connected")
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    res = _pay(mitra_client, invoice)
    assert res.status_code == 200, res.json
    assert res.json["status"] == "paid"
    [row] = _queue(db, ani)
    assert res.json["waReceipt"] == {"status": "queued", "reason": None, "queueId": str(row.id)}
    assert (row.session_id, row.kind, row.message_type) == (wa.id, "direct", "receipt")
    assert (row.customer_id, row.invoice_id, row.phone) == (ani.id, invoice.id, "6281211110001")
    assert "Nota Pembayaran" in row.content and "Rp" in row.content
    assert wa_bus.commands("wake") == [{"session_id": wa.id}]


def test_superadmin_paying_a_mitras_invoice_sends_from_the_mitras_number(superadmin_client, superadmin, mitra, db,
                                                                         ani, make_invoice, wa_state, wa_bus):
    mitra_wa = wa_state(mitra, "connected")
    wa_state(superadmin, "connected")
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    assert _pay(superadmin_client, invoice).json["waReceipt"]["status"] == "queued"
    [row] = _queue(db, ani)
    assert (row.session_id, row.created_by) == (mitra_wa.id, superadmin.id)


def test_pay_with_the_owner_disconnected_logs_the_failure_and_keeps_the_payment(mitra_client, mitra, db, ani,
                                                                                make_invoice, wa_bus):
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    res = _pay(mitra_client, invoice)
    assert res.status_code == 200
    assert res.json["waReceipt"]["status"] == "failed" and res.json["waReceipt"]["queueId"] is None
    db.expire_all()
    assert db.get(type(invoice), invoice.id).status == PaymentStatus.paid
    assert _queue(db, ani) == []
    [entry] = _logs(db, ani)
    assert (entry.user_id, entry.message_type, entry.status) == (mitra.id, "receipt", "failed")
    assert (entry.error_message, entry.invoice_id) == ("Session WA tidak terkoneksi", invoice.id)


def test_a_refused_payment_queues_no_receipt(mitra_client, mitra, db, ani, make_invoice, wa_state, wa_bus):
    wa_state(mitra, "connected")
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    res = mitra_client.patch(f"/api/invoices/{invoice.id}/pay", json={"version": 99, "paymentMethod": "cash"})
    assert res.status_code == 409
    assert _queue(db, ani) == [] and _logs(db, ani) == []


def test_superadmin_isolating_a_mitras_customer_notifies_from_the_mitras_number(superadmin_client, superadmin,
                                                                                mitra, db, ani, wa_state, wa_bus):
    mitra_wa = wa_state(mitra, "connected")
    wa_state(superadmin, "connected")
    res = superadmin_client.patch(f"/api/customers/{ani.id}/isolate")
    assert res.status_code == 200, res.json
    assert res.json["status"] == "isolated" and res.json["name"] == "Ani Lestari"
    [row] = _queue(db, ani)
    assert res.json["waNotice"] == {"status": "queued", "reason": None, "queueId": str(row.id)}
    assert (row.session_id, row.message_type, row.kind, row.customer_id) == (mitra_wa.id, "isolation", "direct",
                                                                             ani.id)
    assert "Isolir" in row.content

    res = superadmin_client.patch(f"/api/customers/{ani.id}/isolate")
    assert res.json["status"] == "active"
    reactivation = [r for r in _queue(db, ani) if r.id != row.id]
    assert [(r.session_id, r.message_type) for r in reactivation] == [(mitra_wa.id, "reactivation")]
    assert "aktif kembali" in reactivation[0].content


def test_isolation_with_the_owner_disconnected_is_logged_and_the_isolation_stands(superadmin_client, superadmin,
                                                                                   mitra, db, ani, wa_state,
                                                                                   wa_bus):
    wa_state(superadmin, "connected")  # the superadmin's own number is not the one that matters
    res = superadmin_client.patch(f"/api/customers/{ani.id}/isolate")
    assert res.status_code == 200
    assert res.json["waNotice"]["status"] == "failed"
    db.expire_all()
    assert db.get(type(ani), ani.id).status == CustomerStatus.isolated
    [entry] = _logs(db, ani)
    assert (entry.user_id, entry.message_type, entry.error_message) == (mitra.id, "isolation",
                                                                        outbox.NOT_CONNECTED_LOG)
    assert _queue(db, ani) == []
