"""Bulk sends (paced, from each customer's owner's number), the queue of one's own number, and the message logs.

A mitra reaches only its own customers, number, rows and logs; another's are reported as missing. The superadmin's
bulk sends reach any customer and go out from each customer's owner's number (DESIGN §7); its queue page is its
own number's, and it may also open the rows it queued on a mitra's number (to follow such a send).
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
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
from shared.pagination import Page, capped_count, count_cap
from shared.services.activity import record_activity
from shared.services.tenancy import parse_id, scope_to_actor
from shared.services.whatsapp import own_session, sender_view
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
    customers = list(session.scalars(scope_to_actor(select(Customer).where(Customer.id.in_(ids)), Customer, actor)))
    found = {customer.id for customer in customers}
    unknown = [str(customer_id) for customer_id in ids if customer_id not in found]
    if unknown:
        message = f"{len(unknown)} pelanggan tidak ditemukan atau bukan milik Anda."
        raise Invalid(message, details={"fields": {"customerIds": [message]}, "unknownIds": unknown})
    order = {customer_id: n for n, customer_id in enumerate(ids)}
    return sorted(customers, key=lambda customer: order[customer.id])


def _latest_unpaid(session: Session, actor: User, *, customer_ids: list[uuid.UUID] | None = None,
                   due_date: date | None = None, period: str | None = None) -> dict[uuid.UUID, uuid.UUID]:
    """customer id → their latest unpaid invoice (by due date) among the invoices the actor sees matching the filter."""
    stmt = scope_to_actor(select(Invoice.customer_id, Invoice.id)
                          .where(Invoice.status != PaymentStatus.paid)
                          .order_by(Invoice.due_date.desc(), Invoice.id), Invoice, actor)
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
    """Queue a reminder or a custom message for many customers, under the pacing, each from its owner's number.

    Customers whose owner's number is not connected are skipped (`senderNotConnected`); when no sending number is
    connected at all the request is refused (409 wa_not_connected) and nothing is queued.
    """
    if customer_ids is not None:
        customers = _bulk_customers(session, actor, customer_ids)
        invoices = _latest_unpaid(session, actor, customer_ids=[c.id for c in customers]) \
            if template == "reminder" else {}
    else:
        filter = filter or {}
        invoices = _latest_unpaid(session, actor, due_date=filter.get("due_date"), period=filter.get("period"))
        customers = list(session.scalars(select(Customer).where(Customer.id.in_(list(invoices)))
                                          .order_by(Customer.name, Customer.id)))
    skipped = {"notActive": 0, "noUnpaidInvoice": 0, "alreadyQueued": 0, "senderNotConnected": 0}
    customers = _with_connected_sender(session, actor, customers, skipped)
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
        waiting = reminders_planned(session, list(wanted))
        skipped["alreadyQueued"] = len(waiting)
        items = manual_reminder_items(session, [invoice_id for invoice_id in wanted if invoice_id not in waiting])
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
    owner_of = {customer.id: customer.owner_id for customer in customers}
    rows = queue_per_owner(session, actor=actor, items=items, owner_of=lambda item: owner_of[item.customer_id])
    times = [row.scheduled_at for row in rows]
    record_activity(session, actor=actor, action="wa.send_bulk", resource="wa_message_queue", metadata={
        "template": template, "queued": len(rows), "skipped": skipped})
    result = BulkResult(queued=len(rows), skipped={k: v for k, v in skipped.items() if v},
                        first_at=min(times, default=None), last_at=max(times, default=None))
    return result.view()


def reminders_planned(session: Session, invoice_ids: list[uuid.UUID], *,
                      sent_since: datetime | None = None) -> dict[uuid.UUID, str]:
    """Invoices with a paced reminder (automatic or the operator's) still waiting in the queue, or, given
    `sent_since`, sent since then: invoice id → that row's status."""
    if not invoice_ids:
        return {}
    planned = WaMessageQueue.status.in_(("pending", "sending"))
    if sent_since is not None:
        planned = or_(planned, and_(WaMessageQueue.status == "sent", WaMessageQueue.sent_at >= sent_since))
    return dict(session.execute(select(WaMessageQueue.invoice_id, WaMessageQueue.status).where(
        WaMessageQueue.invoice_id.in_(invoice_ids), WaMessageQueue.kind == "paced",
        WaMessageQueue.message_type.in_(outbox.REMINDER_TYPES), planned)).all())


def manual_reminder_items(session: Session, invoice_ids: list[uuid.UUID]) -> list[outbox.PacedItem]:
    """The operator's reminders (`manual`) for these invoices, each worded for the moment it is scheduled at."""
    rng = random.Random()
    return [outbox.PacedItem(message_type="manual", phone=text.phone, content=text.content,
                             customer_id=text.customer_id, invoice_id=invoice_id, due_date=text.due_date,
                             render=lambda at, text=text: text.render_at(at, rng))
            for invoice_id, text in templates.reminder_texts(session, invoice_ids).items()]


def queue_per_owner(session: Session, *, actor: User, items: list[outbox.PacedItem],
                    owner_of: Callable[[outbox.PacedItem], uuid.UUID]) -> list[WaMessageQueue]:
    """Queue each item under the pacing of its owner's number (DESIGN §7), owners in the items' order."""
    rows: list[WaMessageQueue] = []
    for owner_id in dict.fromkeys(owner_of(item) for item in items):
        rows += outbox.queue_paced(session, owner_id=owner_id, created_by=actor.id,
                                   items=[item for item in items if owner_of(item) == owner_id])
    return rows


def _with_connected_sender(session: Session, actor: User, customers: list[Customer],
                           skipped: dict[str, int]) -> list[Customer]:
    """The customers whose owner's number is connected; refuse when none is (nor the actor's own, for no one)."""
    owners = {customer.owner_id for customer in customers} or {actor.id}
    connected = set(session.scalars(select(WaSession.user_id).where(
        WaSession.user_id.in_(owners), WaSession.status == WaSessionStatus.connected)))
    if not connected:
        raise outbox.WaNotConnected()
    kept = [customer for customer in customers if customer.owner_id in connected]
    skipped["senderNotConnected"] += len(customers) - len(kept)
    return kept


def bulk_senders(session: Session, *, actor: User, customer_ids: list[uuid.UUID] | None = None,
                 filter: dict | None = None) -> dict:
    """The numbers a bulk send would go out from (each customer's owner's), with how many customers each reaches."""
    if customer_ids is not None:
        stmt = (select(Customer.owner_id, func.count()).where(Customer.id.in_(set(customer_ids)))
                .group_by(Customer.owner_id))
        stmt = scope_to_actor(stmt, Customer, actor)
    else:
        filter = filter or {}
        stmt = (select(Customer.owner_id, func.count(func.distinct(Invoice.customer_id)))
                .join(Customer, Customer.id == Invoice.customer_id)
                .where(Invoice.status != PaymentStatus.paid).group_by(Customer.owner_id))
        stmt = scope_to_actor(stmt, Invoice, actor)
        if filter.get("due_date") is not None:
            stmt = stmt.where(Invoice.due_date == filter["due_date"])
        if filter.get("period") is not None:
            stmt = stmt.where(Invoice.period == filter["period"])
    counts = dict(session.execute(stmt).all()) or {actor.id: 0}
    owners = session.scalars(select(User).where(User.id.in_(list(counts))).order_by(User.business_name))
    return {"items": [sender_view(session, actor=actor, owner=owner, customer_count=counts[owner.id])
                      for owner in owners]}


# ---------------------------------------------------------------------------------------------
# The queue of the actor's own number


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
            .where(WaMessageQueue.id == parse_id(queue_id, QUEUE_NOT_FOUND)))
    # The superadmin also follows the rows it queued through a mitra's number (sends to that mitra's customers).
    mine = WaSession.user_id == actor.id
    stmt = stmt.where(or_(mine, WaMessageQueue.created_by == actor.id) if actor.is_superadmin else mine)
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


# ---------------------------------------------------------------------------------------------
# The logs


def list_logs(session: Session, *, actor: User, message_type: str | None = None, status: str | None = None,
              from_: date | None = None, to: date | None = None, customer_id: uuid.UUID | None = None,
              page: int = 1, per_page: int = 20) -> dict:
    """The actor's number's message attempts, newest first, with its failures of the last 24 hours counted.

    With `customer_id`: that customer's history. A mitra still sees only its own number's logs (another mitra's
    customer gives nothing); the superadmin sees the customer's messages from any number.
    """
    stmt = select(WaMessageLog, Customer.name).outerjoin(Customer, Customer.id == WaMessageLog.customer_id)
    if customer_id is not None:
        stmt = stmt.where(WaMessageLog.customer_id == customer_id)
    if customer_id is None or not actor.is_superadmin:
        stmt = stmt.where(WaMessageLog.user_id == actor.id)
    if message_type:
        stmt = stmt.where(WaMessageLog.message_type == message_type)
    if status:
        stmt = stmt.where(WaMessageLog.status == status)
    if from_:
        stmt = stmt.where(WaMessageLog.sent_at >= _wib_start(from_))
    if to:
        stmt = stmt.where(WaMessageLog.sent_at < _wib_start(to + timedelta(days=1)))
    total, capped = capped_count(session, stmt, count_cap(page, per_page))
    rows = session.execute(stmt.order_by(WaMessageLog.sent_at.desc(), WaMessageLog.id)
                           .limit(per_page).offset((page - 1) * per_page))
    failed = session.scalar(select(func.count()).select_from(WaMessageLog).where(
        WaMessageLog.user_id == actor.id, WaMessageLog.status == "failed",
        WaMessageLog.sent_at >= utcnow() - timedelta(hours=24))) or 0
    items = [{**{column.key: getattr(log_row, column.key) for column in WaMessageLog.__mapper__.column_attrs},
              "customer_name": name} for log_row, name in rows]
    return Page(items=items, total=total, page=page, per_page=per_page,
                total_capped=capped).__dict__ | {"failed_last24h": failed}
