"""Reminders for invoices picked one by one (the invoice list's checkboxes), queued under the pacing.

`send-bulk` picks each customer's latest unpaid invoice; here the caller names the invoices. The rules are
send-bulk's: a mitra names only its own invoices (another owner's is reported as unknown, 422, never reminded);
the superadmin any invoice, each reminded from its owner's number (DESIGN §7), skipped when that number is not
connected. Logged as `manual`, so the automatic H-1 reminder (`reminder`) is still owed.
"""

import random
import uuid
from datetime import datetime, time

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from shared.errors import Invalid
from shared.models import Customer, CustomerStatus, Invoice, PaymentStatus, User, WaMessageQueue
from shared.services.activity import record_activity
from shared.services.tenancy import scope_to_actor
from shared.services.wa_queue import BulkResult, _with_connected_sender
from shared.timeutil import WIB, today_wib
from shared.wa import outbox, templates


def remind_invoices(session: Session, *, actor: User, invoice_ids: list[uuid.UUID]) -> dict:
    """Queue one paced reminder per named unpaid invoice; paid, not-active and already-waiting ones are skipped."""
    ids = list(dict.fromkeys(invoice_ids))
    rows = session.execute(scope_to_actor(select(Invoice.id, Invoice.status, Customer)
                                          .join(Customer, Customer.id == Invoice.customer_id)
                                          .where(Invoice.id.in_(ids)), Invoice, actor)).all()
    found = {invoice_id: (status, customer) for invoice_id, status, customer in rows}
    unknown = [str(invoice_id) for invoice_id in ids if invoice_id not in found]
    if unknown:
        message = f"{len(unknown)} tagihan tidak ditemukan atau bukan milik Anda."
        raise Invalid(message, details={"fields": {"invoiceIds": [message]}, "unknownIds": unknown})
    skipped = {"alreadyPaid": 0, "notActive": 0, "alreadyQueued": 0, "sentToday": 0, "senderNotConnected": 0}
    sendable = {customer.id for customer in _with_connected_sender(
        session, actor, list({customer.id: customer for _, customer in found.values()}.values()), {"senderNotConnected": 0})}
    wanted: dict[uuid.UUID, Customer] = {}
    for invoice_id in ids:
        status, customer = found[invoice_id]
        if status == PaymentStatus.paid:
            skipped["alreadyPaid"] += 1
        elif customer.status != CustomerStatus.active:
            skipped["notActive"] += 1
        elif customer.id not in sendable:
            skipped["senderNotConnected"] += 1
        else:
            wanted[invoice_id] = customer
    # A reminder for the invoice still waiting in the queue (automatic or an earlier one) is not doubled, nor is
    # one already sent today (WIB): a second tap on "Kirim pengingat" must not message the customer twice.
    start_of_today = datetime.combine(today_wib(), time.min, tzinfo=WIB)
    reminded = select(WaMessageQueue.invoice_id, WaMessageQueue.status).where(
        WaMessageQueue.invoice_id.in_(list(wanted)), WaMessageQueue.kind == "paced",
        WaMessageQueue.message_type.in_(outbox.REMINDER_TYPES),
        or_(WaMessageQueue.status.in_(("pending", "sending")),
            and_(WaMessageQueue.status == "sent", WaMessageQueue.sent_at >= start_of_today)))
    states = {invoice_id: status for invoice_id, status in session.execute(reminded)} if wanted else {}
    waiting = set(states)
    skipped["alreadyQueued"] = sum(1 for status in states.values() if status != "sent")
    skipped["sentToday"] = sum(1 for status in states.values() if status == "sent")
    rng = random.Random()
    texts = templates.reminder_texts(session, [invoice_id for invoice_id in wanted if invoice_id not in waiting])
    items = [outbox.PacedItem(message_type="manual", phone=text.phone, content=text.content,
                              customer_id=text.customer_id, invoice_id=invoice_id, due_date=text.due_date,
                              render=lambda at, text=text: text.render_at(at, rng))
             for invoice_id, text in texts.items()]
    queued = []
    for owner_id in dict.fromkeys(wanted[item.invoice_id].owner_id for item in items):
        queued += outbox.queue_paced(session, owner_id=owner_id, created_by=actor.id,
                                     items=[item for item in items if wanted[item.invoice_id].owner_id == owner_id])
    times = [row.scheduled_at for row in queued]
    record_activity(session, actor=actor, action="wa.remind_invoices", resource="wa_message_queue", metadata={
        "queued": len(queued), "skipped": skipped})
    return BulkResult(queued=len(queued), skipped={k: v for k, v in skipped.items() if v},
                      first_at=min(times, default=None), last_at=max(times, default=None)).view()
