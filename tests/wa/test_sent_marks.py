"""An invoice's receiptSentAt / reminderSentAt / isolirSentAt are written when WhatsApp took the message, not when it
was queued, and never by a failed attempt."""
# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter

from datetime import date, datetime, timedelta

from shared.models import Invoice
from shared.wa import outbox
from shared.wa.outbox import PacedItem
from shared.wa.transport import TIMEOUT
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture


def _direct(db, wa, message_type, customer, invoice=None, phone=None):
    row = outbox.queue_direct(db, owner_id=wa.user_id, message_type=message_type, phone=phone or customer.phone,
                              content=f"{message_type} teks", customer_id=customer.id,
                              invoice_id=invoice.id if invoice else None)
    db.commit()
    return row


def _stamps(db, invoice):
    db.expire_all()
    fresh = db.get(Invoice, invoice.id)
    return fresh.receipt_sent_at, fresh.reminder_sent_at, fresh.isolir_sent_at


def test_a_delivered_receipt_stamps_its_invoice_at_delivery_not_at_queueing(db, wa_session, make_loop, fake_client,
                                                                            clock, make_customer, make_invoice, mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    paid = make_invoice(customer=ani, due=date(2030, 3, 5), status="paid")
    version = paid.version
    _direct(db, wa_session, "receipt", ani, paid)
    assert _stamps(db, paid) == (None, None, None)  # queued is not sent
    clock.advance(3)
    make_loop(wa_session, fake_client).step()
    assert _stamps(db, paid) == (clock(), None, None)
    assert db.get(Invoice, paid.id).version == version  # bookkeeping does not make an open pay form stale


def test_a_failed_send_stamps_nothing(db, wa_session, make_loop, fake_client, clock, make_customer, make_invoice,
                                     mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    nobody = make_customer(owner=mitra, name="Tanpa WA", phone="6281234500000")
    paid = make_invoice(customer=ani, due=date(2030, 3, 5), status="paid")
    unpaid = make_invoice(customer=nobody, due=date(2030, 3, 5))
    fake_client.fail_next(ani.phone, TIMEOUT)
    fake_client.not_on_whatsapp.add(nobody.phone)
    _direct(db, wa_session, "receipt", ani, paid)
    _direct(db, wa_session, "reminder", nobody, unpaid)
    loop = make_loop(wa_session, fake_client)
    loop.step()
    loop.step()
    assert fake_client.sent == []
    assert _stamps(db, paid) == (None, None, None) and _stamps(db, unpaid) == (None, None, None)


def test_a_paced_reminder_stamps_its_invoice_when_it_goes_out(db, wa_session, make_loop, fake_client, clock,
                                                             make_customer, make_invoice, mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    due = clock().date() + timedelta(days=1)
    invoice = make_invoice(customer=ani, due=due)
    outbox.queue_paced(db, owner_id=wa_session.user_id, now=clock(), items=[
        PacedItem(phone=ani.phone, content="Pengingat", message_type="reminder", customer_id=ani.id,
                  invoice_id=invoice.id, due_date=due)])
    db.commit()
    make_loop(wa_session, fake_client).step()
    assert [sent[1] for sent in fake_client.sent] == ["Pengingat"]
    assert _stamps(db, invoice) == (None, clock(), None)


def test_a_delivered_isolation_notice_stamps_the_customers_unpaid_invoices(db, wa_session, make_loop, fake_client,
                                                                          clock, make_customer, make_invoice, mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    budi = make_customer(owner=mitra, name="Budi", phone="6281234500002")
    owed = [make_invoice(customer=ani, due=date(2030, 2, 5)), make_invoice(customer=ani, due=date(2030, 3, 5))]
    paid = make_invoice(customer=ani, due=date(2030, 1, 5), status="paid")
    other = make_invoice(customer=budi, due=date(2030, 3, 5))
    _direct(db, wa_session, "isolation", ani)
    make_loop(wa_session, fake_client).step()
    assert [_stamps(db, invoice)[2] for invoice in owed] == [clock(), clock()]
    assert _stamps(db, paid)[2] is None and _stamps(db, other)[2] is None


def test_a_manual_custom_message_stamps_nothing(db, wa_session, make_loop, fake_client, clock, make_customer,
                                                make_invoice, mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    _direct(db, wa_session, "manual", ani, invoice)
    make_loop(wa_session, fake_client).step()
    assert len(fake_client.sent) == 1 and _stamps(db, invoice) == (None, None, None)


def test_the_invoice_api_returns_the_sent_stamps(mitra_client, db, wa_session, make_loop, fake_client, clock,
                                                 make_customer, make_invoice, mitra):
    ani = make_customer(owner=mitra, name="Ani", phone="6281234500001")
    paid = make_invoice(customer=ani, due=date(2030, 3, 5), status="paid")
    _direct(db, wa_session, "receipt", ani, paid)
    make_loop(wa_session, fake_client).step()
    body = mitra_client.get(f"/api/invoices/{paid.id}").json
    assert datetime.fromisoformat(body["receiptSentAt"]) == clock()
    assert (body["reminderSentAt"], body["isolirSentAt"]) == (None, None)
    listed = mitra_client.get("/api/invoices", query_string={"customerId": str(ani.id)}).json["items"]
    assert listed[0]["receiptSentAt"] == body["receiptSentAt"]
