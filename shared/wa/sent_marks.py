"""What was delivered, recorded where the operator looks: an invoice's receipt, reminder and isolation notice times.

Written by the sender when WhatsApp accepted the message (not when it was queued; a failed attempt writes nothing),
in the same transaction as the send's log row.
"""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from shared.models import Invoice, PaymentStatus, WaMessageQueue

_COLUMN_BY_TYPE = {"receipt": Invoice.receipt_sent_at, "reminder": Invoice.reminder_sent_at}


def mark_invoice_sent(session: Session, row: WaMessageQueue, now: datetime) -> int:
    """Stamp the invoice(s) a delivered message was about; return how many invoices were stamped."""
    if row.message_type in _COLUMN_BY_TYPE and row.invoice_id is not None:
        where = Invoice.id == row.invoice_id
        column = _COLUMN_BY_TYPE[row.message_type]
    elif row.message_type == "isolation" and row.customer_id is not None:
        # The notice is about the customer's arrears: every invoice still (partly) unpaid when it went out.
        where = (Invoice.customer_id == row.customer_id) & (Invoice.status != PaymentStatus.paid)
        column = Invoice.isolir_sent_at
    else:
        return 0
    # No version bump: a sent-at stamp is bookkeeping, not an edit that should make a pay form stale.
    return session.execute(update(Invoice).where(where).values({column.key: now})
                           .execution_options(synchronize_session=False)).rowcount
