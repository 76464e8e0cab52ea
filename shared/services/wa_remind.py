"""Reminders for invoices picked one by one (the invoice list's checkboxes), queued under the pacing.

`send-bulk` picks each customer's latest unpaid invoice; here the caller names the invoices. The rules are
send-bulk's: a mitra names only its own invoices (another owner's is reported as unknown, 422, never reminded);
the superadmin any invoice, each reminded from its owner's number (DESIGN §7), skipped when that number is not
connected. Logged as `manual`, so the automatic H-1 reminder (`reminder`) is still owed.
"""

import uuid
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import Invalid
from shared.models import Customer, CustomerStatus, Invoice, PaymentStatus, User
from shared.services.activity import record_activity
from shared.services.tenancy import scope_to_actor
from shared.services.wa_queue import (
    BulkResult,
    _with_connected_sender,
    manual_reminder_items,
    queue_per_owner,
    reminders_planned,
)
from shared.timeutil import WIB, today_wib


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
    states = reminders_planned(session, list(wanted),
                               sent_since=datetime.combine(today_wib(), time.min, tzinfo=WIB))
    skipped["alreadyQueued"] = sum(1 for status in states.values() if status != "sent")
    skipped["sentToday"] = sum(1 for status in states.values() if status == "sent")
    items = manual_reminder_items(session, [invoice_id for invoice_id in wanted if invoice_id not in states])
    queued = queue_per_owner(session, actor=actor, items=items, owner_of=lambda item: wanted[item.invoice_id].owner_id)
    times = [row.scheduled_at for row in queued]
    record_activity(session, actor=actor, action="wa.remind_invoices", resource="wa_message_queue", metadata={
        "queued": len(queued), "skipped": skipped})
    return BulkResult(queued=len(queued), skipped={k: v for k, v in skipped.items() if v},
                      first_at=min(times, default=None), last_at=max(times, default=None)).view()
