"""Reminders for invoices picked one by one (the invoice list's checkboxes), queued under the pacing.

`send-bulk` picks each customer's latest unpaid invoice; here the caller names the invoices. Like the rest of the
WhatsApp services, only the caller's own invoices go out from the caller's own number: another owner's invoice
is reported as unknown (422), never reminded.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Invalid
from shared.models import (
    Customer,
    CustomerStatus,
    Invoice,
    PaymentStatus,
    User,
    WaMessageQueue,
    WaSessionStatus,
)
from shared.services.activity import record_activity
from shared.services.wa_queue import BulkResult
from shared.services.whatsapp import own_session
from shared.wa import outbox, templates


def remind_invoices(session: Session, *, actor: User, invoice_ids: list[uuid.UUID]) -> dict:
    """Queue one paced reminder per named unpaid invoice; paid, not-active and already-planned ones are skipped."""
    if own_session(session, actor).status != WaSessionStatus.connected:
        raise outbox.WaNotConnected()
    ids = list(dict.fromkeys(invoice_ids))
    rows = session.execute(select(Invoice.id, Invoice.status, Customer.status)
                           .join(Customer, Customer.id == Invoice.customer_id)
                           .where(Invoice.id.in_(ids), Invoice.owner_id == actor.id)).all()
    found = {invoice_id: (status, customer_status) for invoice_id, status, customer_status in rows}
    unknown = [str(invoice_id) for invoice_id in ids if invoice_id not in found]
    if unknown:
        message = f"{len(unknown)} tagihan tidak ditemukan atau bukan milik Anda."
        raise Invalid(message, details={"fields": {"invoiceIds": [message]}, "unknownIds": unknown})
    skipped = {"alreadyPaid": 0, "notActive": 0, "alreadyQueued": 0}
    wanted: list[uuid.UUID] = []
    for invoice_id in ids:
        status, customer_status = found[invoice_id]
        if status == PaymentStatus.paid:
            skipped["alreadyPaid"] += 1
        elif customer_status != CustomerStatus.active:
            skipped["notActive"] += 1
        else:
            wanted.append(invoice_id)
    # One paced reminder per invoice (uq_wa_queue_reminder_invoice): an invoice already planned is skipped.
    planned = set(session.scalars(select(WaMessageQueue.invoice_id).where(
        WaMessageQueue.invoice_id.in_(wanted), WaMessageQueue.message_type == "reminder",
        WaMessageQueue.kind == "paced"))) if wanted else set()
    skipped["alreadyQueued"] = len(planned)
    texts = templates.reminder_texts(session, [invoice_id for invoice_id in wanted if invoice_id not in planned])
    items = [outbox.PacedItem(message_type="reminder", phone=text.phone, content=text.content,
                              customer_id=text.customer_id, invoice_id=invoice_id, due_date=text.due_date)
             for invoice_id, text in texts.items()]
    queued = outbox.queue_paced(session, owner_id=actor.id, items=items, created_by=actor.id) if items else []
    times = [row.scheduled_at for row in queued]
    record_activity(session, actor=actor, action="wa.remind_invoices", resource="wa_message_queue", metadata={
        "queued": len(queued), "skipped": skipped})
    return BulkResult(queued=len(queued), skipped={k: v for k, v in skipped.items() if v},
                      first_at=min(times, default=None), last_at=max(times, default=None)).view()
