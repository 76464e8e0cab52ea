"""Reminder planning for the 06:00 run: queue each owner's reminders on their number, earlier when a day is too small.

A number sends at most 300 paced messages a day, and only inside the send window (waking hours). When an owner's reminders for one due date do not fit between
now and the eve of the due date, the planner starts part of them today (generating those invoices now), so every
customer is reminded before the due date. The plan is visible per due date through `reminder_plan`.
"""

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from shared.models import Customer, CustomerStatus, Invoice, PaymentStatus, WaMessageQueue
from shared.services.periods import period_for_due_date
from shared.timeutil import WIB, utcnow
from shared.wa import outbox, pacing, templates

LOOKAHEAD_DAYS = 7

# Per owner: active customers billed on that day whose invoice for the period is missing, or unpaid and not yet
# reminded. Those are the reminders still to plan for the due date.
_DEMAND_SQL = text("""
SELECT c.owner_id, count(*) AS pending
FROM customers c
LEFT JOIN invoices i ON i.customer_id = c.id AND i.period = :period
WHERE c.status = 'active' AND c.billing_date = :billing_date
  AND (i.id IS NULL OR (i.status <> 'paid' AND NOT EXISTS (
       SELECT 1 FROM wa_message_queue q
       WHERE q.invoice_id = i.id AND q.message_type = 'reminder' AND q.kind = 'paced')))
GROUP BY c.owner_id
""")


def _wib_at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=WIB)


def run_start(run_date: date, now: datetime | None = None) -> datetime:
    """When a run's reminders may start: 06:00 WIB of the run day, or now when the run is late."""
    return max(now or utcnow(), _wib_at(run_date, pacing.DAY_START))


def queue_reminders(session: Session, invoice_ids: list[uuid.UUID], *, start: datetime,
                    now: datetime | None = None, rng: random.Random | None = None) -> list[uuid.UUID]:
    """Queue paced reminders for these invoices from each owner's number, from `start`; return the ids queued."""
    if not invoice_ids:
        return []
    rng = rng or random.Random()
    texts = templates.reminder_texts(session, list(invoice_ids), rng=rng, today=start.astimezone(WIB).date())
    by_owner: dict[uuid.UUID, list[outbox.PacedItem]] = defaultdict(list)
    for invoice_id in invoice_ids:
        message = texts.get(invoice_id)
        if message is None:
            continue
        # Written for the moment it is scheduled at: a reminder planned into the next morning greets for the
        # morning and counts "besok" from that day.
        by_owner[message.owner_id].append(outbox.PacedItem(
            phone=message.phone, content=message.content, message_type="reminder", customer_id=message.customer_id,
            invoice_id=invoice_id, due_date=message.due_date,
            render=lambda at, message=message: message.render_at(at, rng)))
    queued: list[uuid.UUID] = []
    for owner_id, items in by_owner.items():
        rows = outbox.queue_paced(session, owner_id=owner_id, items=items, earliest=start, now=now or start, rng=rng)
        queued += [row.invoice_id for row in rows]
    return queued


def _demand(session: Session, due_dates: list[date]) -> dict[uuid.UUID, dict[date, int]]:
    demand: dict[uuid.UUID, dict[date, int]] = defaultdict(dict)
    for due in due_dates:
        for owner_id, pending in session.execute(_DEMAND_SQL, {"period": period_for_due_date(due),
                                                                "billing_date": due.day}):
            demand[owner_id][due] = pending
    return demand


def allot_today(demand: dict[date, int], capacity: dict[date, int], today: date) -> dict[date, int]:
    """How many of each due date's reminders must go today so all fit, sending each as late as possible.

    Latest due date first, each fills the latest free days before it (days before `today` do not exist).
    """
    free = dict(capacity)
    today_share: dict[date, int] = {}
    for due in sorted(demand, reverse=True):
        left = demand[due]
        day = due - timedelta(days=1)
        while left > 0 and day >= today:
            take = min(left, free.get(day, 0))
            free[day] = free.get(day, 0) - take
            left -= take
            if day == today and take:
                today_share[due] = take
            day -= timedelta(days=1)
    return today_share


def _invoices_to_remind(session: Session, owner_id: uuid.UUID, due: date, limit: int) -> list[uuid.UUID]:
    reminded = select(WaMessageQueue.invoice_id).where(
        WaMessageQueue.invoice_id == Invoice.id, WaMessageQueue.message_type == "reminder",
        WaMessageQueue.kind == "paced").exists()
    return list(session.scalars(
        select(Invoice.id).join(Customer, Customer.id == Invoice.customer_id)
        .where(Invoice.owner_id == owner_id, Invoice.period == period_for_due_date(due), Invoice.due_date == due,
               Invoice.status != PaymentStatus.paid, Customer.status == CustomerStatus.active, ~reminded)
        .order_by(Invoice.id).limit(limit)))


def start_early(session: Session, *, run_date: date, start: datetime, now: datetime | None = None,
                rng: random.Random | None = None, lookahead: int = LOOKAHEAD_DAYS) -> dict[date, int]:
    """Queue today the share of later due dates' reminders that would not fit later; return {due date: queued}."""
    from shared.services.billing import generate_invoices  # billing calls this module

    due_dates = [run_date + timedelta(days=n) for n in range(2, lookahead + 1)]
    due_dates = [due for due in due_dates if due.day <= 28]
    today = start.astimezone(WIB).date()
    started: dict[date, int] = defaultdict(int)
    for owner_id, demand in _demand(session, due_dates).items():
        wa = outbox.get_or_create_session(session, owner_id)
        recent = outbox.paced_history(session, wa.id, _wib_at(today, time(0)) - timedelta(hours=1), planned=True)
        # Each day holds what its send window (waking hours) and the day cap allow: a short window, or a run
        # late in the day, starts more reminders earlier.
        window = outbox.send_window(session)
        capacity = {}
        for offset in range((max(demand) - today).days):
            day = today + timedelta(days=offset)
            day_start, day_end = _wib_at(day, time(0)), _wib_at(day + timedelta(days=1), time(0))
            capacity[day] = pacing.day_capacity(recent, day_start, day_end, start=start, window=window)
        for due, count in sorted(allot_today(demand, capacity, today).items()):
            generate_invoices(session, period=period_for_due_date(due), owner_id=owner_id, billing_date=due.day)
            ids = _invoices_to_remind(session, owner_id, due, count)
            started[due] += len(queue_reminders(session, ids, start=start, now=now, rng=rng))
    return dict(started)


def reminder_plan(session: Session, session_ids: list[uuid.UUID] | None, today: date) -> list[dict]:
    """Per due date from `today` on: how many reminders, how far along, and whether they started early."""
    moment = func.coalesce(WaMessageQueue.sent_at, WaMessageQueue.scheduled_at)
    stmt = (select(WaMessageQueue.due_date, func.count().label("total"),
                   func.count().filter(WaMessageQueue.status.in_(("pending", "sending"))).label("queued"),
                   func.count().filter(WaMessageQueue.status == "sent").label("sent"),
                   func.count().filter(WaMessageQueue.status == "failed").label("failed"),
                   func.min(moment).label("first_at"), func.max(moment).label("last_at"))
            .where(WaMessageQueue.message_type == "reminder", WaMessageQueue.kind == "paced",
                   WaMessageQueue.due_date >= today)
            .group_by(WaMessageQueue.due_date).order_by(WaMessageQueue.due_date))
    if session_ids is not None:
        stmt = stmt.where(WaMessageQueue.session_id.in_(session_ids))
    return [{"due_date": row.due_date, "total": row.total, "queued": row.queued, "sent": row.sent,
             "failed": row.failed,
             "started_early": row.first_at.astimezone(WIB).date() < row.due_date - timedelta(days=1),
             "first_at": row.first_at, "last_at": row.last_at}
            for row in session.execute(stmt)]
