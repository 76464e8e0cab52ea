"""The queue of one's own number: bulk sends into it (paced), its rows and reminder plan, and the message logs.

Like shared/services/whatsapp.py, everything here is the actor's own number only; another number's rows are
reported as missing.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.errors import Invalid, NotFound
from shared.models import (
    Customer,
    CustomerStatus,
    Invoice,
    PaymentStatus,
    User,
    WaMessageLog,
    WaMessageQueue,
    WaSession,
    WaSessionStatus,
)
from shared.pagination import Page
from shared.services.activity import record_activity
from shared.services.tenancy import parse_id
from shared.services.whatsapp import own_session
from shared.timeutil import WIB, today_wib, utcnow
from shared.wa import outbox, planner, templates, testclock

BULK_MAX = 5000
BULK_TEMPLATES = ("reminder", "custom")
MESSAGE_TYPES = ("reminder", "receipt", "isolation", "reactivation", "manual", "custom", "test")
QUEUE_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
LOG_STATUSES = ("sent", "delivered", "failed")
QUEUE_NOT_FOUND = "Pesan tidak ditemukan di antrian."


# ---------------------------------------------------------------------------------------------
# Bulk sends (paced)


@dataclass
class BulkResult:
    queued: int
    skipped: dict[str, int]
    first_at: datetime | None
    last_at: datetime | None

    def view(self) -> dict:
        return {"queued": self.queued, "skipped": sum(self.skipped.values()), "skipped_reasons": self.skipped,
                "first_at": self.first_at, "last_at": self.last_at}


def _bulk_customers(session: Session, actor: User, customer_ids: list[uuid.UUID]) -> list[Customer]:
    ids = list(dict.fromkeys(customer_ids))
    customers = list(session.scalars(select(Customer).where(Customer.id.in_(ids), Customer.owner_id == actor.id)))
    found = {customer.id for customer in customers}
    unknown = [str(customer_id) for customer_id in ids if customer_id not in found]
    if unknown:
        message = f"{len(unknown)} pelanggan tidak ditemukan atau bukan milik Anda."
        raise Invalid(message, details={"fields": {"customerIds": [message]}, "unknownIds": unknown})
    order = {customer_id: n for n, customer_id in enumerate(ids)}
    return sorted(customers, key=lambda customer: order[customer.id])


def _latest_unpaid(session: Session, actor: User, *, customer_ids: list[uuid.UUID] | None = None,
                   due_date: date | None = None, period: str | None = None) -> dict[uuid.UUID, uuid.UUID]:
    """customer id → their latest unpaid invoice (by due date) among the actor's invoices matching the filter."""
    stmt = (select(Invoice.customer_id, Invoice.id)
            .where(Invoice.owner_id == actor.id, Invoice.status != PaymentStatus.paid)
            .order_by(Invoice.due_date.desc(), Invoice.id))
    if customer_ids is not None:
        stmt = stmt.where(Invoice.customer_id.in_(customer_ids))
    if due_date is not None:
        stmt = stmt.where(Invoice.due_date == due_date)
    if period is not None:
        stmt = stmt.where(Invoice.period == period)
    latest: dict[uuid.UUID, uuid.UUID] = {}
    for customer_id, invoice_id in session.execute(stmt):
        latest.setdefault(customer_id, invoice_id)
    return latest


def send_bulk(session: Session, *, actor: User, template: str, customer_ids: list[uuid.UUID] | None = None,
              filter: dict | None = None, message: str | None = None) -> dict:
    """Queue a reminder or a custom message for many of the actor's customers, under the pacing."""
    if own_session(session, actor).status != WaSessionStatus.connected:
        raise outbox.WaNotConnected()
    if customer_ids is not None:
        customers = _bulk_customers(session, actor, customer_ids)
        invoices = _latest_unpaid(session, actor, customer_ids=[c.id for c in customers]) \
            if template == "reminder" else {}
    else:
        filter = filter or {}
        invoices = _latest_unpaid(session, actor, due_date=filter.get("due_date"), period=filter.get("period"))
        customers = list(session.scalars(select(Customer).where(Customer.id.in_(list(invoices)))
                                          .order_by(Customer.name, Customer.id)))
    skipped = {"notActive": 0, "noUnpaidInvoice": 0, "alreadyQueued": 0}
    items: list[outbox.PacedItem] = []
    rng = random.Random()
    # Bulk sends are the operator's, not the automatic H-1 reminder: logged as `manual` (the reminder template)
    # or `custom` (their own text), so the `reminder` type and the reminder plan stay the 06:00 run's.
    if template == "reminder":
        wanted = {}
        for customer in customers:
            if customer.status != CustomerStatus.active:
                skipped["notActive"] += 1
            elif customer.id not in invoices:
                skipped["noUnpaidInvoice"] += 1
            else:
                wanted[invoices[customer.id]] = customer
        # A reminder for the invoice still waiting in the queue (automatic or an earlier bulk) is not doubled.
        waiting = set(session.scalars(select(WaMessageQueue.invoice_id).where(
            WaMessageQueue.invoice_id.in_(list(wanted)), WaMessageQueue.kind == "paced",
            WaMessageQueue.message_type.in_(outbox.REMINDER_TYPES),
            WaMessageQueue.status.in_(("pending", "sending")))))
        skipped["alreadyQueued"] = len(waiting)
        texts = templates.reminder_texts(session, [invoice_id for invoice_id in wanted if invoice_id not in waiting])
        items = [outbox.PacedItem(message_type="manual", phone=text.phone, content=text.content,
                                  customer_id=text.customer_id, invoice_id=invoice_id, due_date=text.due_date,
                                  render=lambda at, text=text: text.render_at(at, rng))
                 for invoice_id, text in texts.items()]
    else:
        # The operator's text as written, with the spec's greeting/closing variation per recipient, greeting for
        # the hour it is scheduled at.
        business_name = actor.business_name or ""
        items = [outbox.PacedItem(message_type="custom", phone=customer.phone,
                                  content=templates.custom_text(message or "", customer_name=customer.name),
                                  customer_id=customer.id, invoice_id=invoices.get(customer.id),
                                  render=lambda at, customer=customer: templates.render_bulk_custom(
                                      message or "", customer_name=customer.name, business_name=business_name,
                                      rng=rng, at=at))
                 for customer in customers]
    rows = outbox.queue_paced(session, owner_id=actor.id, items=items, created_by=actor.id) if items else []
    times = [row.scheduled_at for row in rows]
    record_activity(session, actor=actor, action="wa.send_bulk", resource="wa_message_queue", metadata={
        "template": template, "queued": len(rows), "skipped": skipped})
    result = BulkResult(queued=len(rows), skipped={k: v for k, v in skipped.items() if v},
                        first_at=min(times, default=None), last_at=max(times, default=None))
    return result.view()


# ---------------------------------------------------------------------------------------------
# The queue and the logs of the actor's own number


def _queue_view(row: WaMessageQueue, customer_name: str | None) -> dict:
    return {**{column.key: getattr(row, column.key) for column in WaMessageQueue.__mapper__.column_attrs},
            "customer_name": customer_name}


def _queue_query(wa: WaSession):
    return (select(WaMessageQueue, Customer.name).outerjoin(Customer, Customer.id == WaMessageQueue.customer_id)
            .where(WaMessageQueue.session_id == wa.id))


def list_queue(session: Session, *, actor: User, status: str | None = None, page: int = 1,
               per_page: int = 20) -> dict:
    """The actor's outbox: counts per status, one page of rows, and the reminder plan."""
    wa = own_session(session, actor)
    counts = outbox.queue_counts(session, [wa.id])
    stmt = _queue_query(wa)
    if status:
        stmt = stmt.where(WaMessageQueue.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    # Waiting rows in sending order; finished ones newest first.
    waiting = status in ("pending", "sending")
    order = WaMessageQueue.scheduled_at.asc() if waiting else WaMessageQueue.scheduled_at.desc()
    rows = session.execute(stmt.order_by(order, WaMessageQueue.id).limit(per_page).offset((page - 1) * per_page))
    window, now = outbox.send_window(session), testclock.now(wa.id)
    send_window = {"start": f"{window.start:%H:%M}", "end": f"{window.end:%H:%M}", "open": window.contains(now),
                   "opens_at": window.next_open(now)}
    return {"counts": counts, "items": [_queue_view(row, name) for row, name in rows], "total": total,
            "page": page, "per_page": per_page, "plan": planner.reminder_plan(session, [wa.id], today_wib()),
            "send_window": send_window}


def _own_queue_row(session: Session, actor: User, queue_id: uuid.UUID | str) -> tuple[WaMessageQueue, str | None]:
    stmt = (select(WaMessageQueue, Customer.name).outerjoin(Customer, Customer.id == WaMessageQueue.customer_id)
            .join(WaSession, WaSession.id == WaMessageQueue.session_id)
            .where(WaMessageQueue.id == parse_id(queue_id, QUEUE_NOT_FOUND), WaSession.user_id == actor.id))
    row = session.execute(stmt.execution_options(populate_existing=True)).one_or_none()
    if row is None:
        raise NotFound(QUEUE_NOT_FOUND)
    return row[0], row[1]


def get_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> dict:
    """One outbox row of the actor's number (the UI polls a direct send's outcome)."""
    return _queue_view(*_own_queue_row(session, actor, queue_id))


def retry_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> dict:
    """Send a failed row again, now; 409 unless it failed."""
    row, name = _own_queue_row(session, actor, queue_id)
    outbox.retry(session, row)
    record_activity(session, actor=actor, action="wa.queue_retry", resource="wa_message_queue", resource_id=row.id)
    return _queue_view(row, name)


def cancel_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> None:
    """Cancel a row still waiting; 409 once it is being sent or done."""
    row, _ = _own_queue_row(session, actor, queue_id)
    outbox.cancel(session, row)
    record_activity(session, actor=actor, action="wa.queue_cancel", resource="wa_message_queue", resource_id=row.id)


def _wib_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB)


def list_logs(session: Session, *, actor: User, message_type: str | None = None, status: str | None = None,
              date_from: date | None = None, date_to: date | None = None, page: int = 1, per_page: int = 20) -> dict:
    """The actor's message attempts, newest first, with the failures of the last 24 hours counted for the alert."""
    stmt = (select(WaMessageLog, Customer.name).outerjoin(Customer, Customer.id == WaMessageLog.customer_id)
            .where(WaMessageLog.user_id == actor.id))
    if message_type:
        stmt = stmt.where(WaMessageLog.message_type == message_type)
    if status:
        stmt = stmt.where(WaMessageLog.status == status)
    if date_from:
        stmt = stmt.where(WaMessageLog.sent_at >= _wib_start(date_from))
    if date_to:
        stmt = stmt.where(WaMessageLog.sent_at < _wib_start(date_to + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(WaMessageLog.sent_at.desc(), WaMessageLog.id)
                           .limit(per_page).offset((page - 1) * per_page))
    failed = session.scalar(select(func.count()).select_from(WaMessageLog).where(
        WaMessageLog.user_id == actor.id, WaMessageLog.status == "failed",
        WaMessageLog.sent_at >= utcnow() - timedelta(hours=24))) or 0
    items = [{**{column.key: getattr(log_row, column.key) for column in WaMessageLog.__mapper__.column_attrs},
              "customer_name": name} for log_row, name in rows]
    return Page(items=items, total=total, page=page, per_page=per_page).__dict__ | {"failed_last24h": failed}
