"""A collector's day on the dashboard: what falls due today, what is overdue, and the money taken today (WIB).

Kept apart from the dashboard's monthly figures (shared/services/dashboard.py). `collected_today` is the one place
that says what "collected today" means: the day's payment rows (shared.services.finance.money_received).
"""

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.models import Invoice, PaymentStatus, User
from shared.services.finance import check_owner_filter, money_received, owner_conditions
from shared.services.invoices import invoice_views, view_query
from shared.timeutil import WIB, today_wib

LIST_ITEMS = 20


def wib_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants a WIB calendar day starts and ends at (end exclusive)."""
    start = datetime.combine(day, time.min, tzinfo=WIB)
    return start, start + timedelta(days=1)


def collected_today(session: Session, *, actor: User, owner_id: uuid.UUID | None = None,
                    day: date | None = None) -> dict:
    """Money received on the WIB day (default today): every payment that day, partial ones included."""
    day = day or today_wib()
    return money_received(session, actor=actor, start=day, end=day, owner_id=owner_id)


def _unpaid_list(session: Session, *, actor: User, owner_id: uuid.UUID | None, conditions: list) -> dict:
    """Count, sum and the first invoices (oldest due first) of the actor's unpaid invoices matching `conditions`."""
    where = [*owner_conditions(actor, owner_id), Invoice.status != PaymentStatus.paid, *conditions]
    # What is still owed: a part-paid invoice counts with its remainder.
    count, amount = session.execute(select(func.count(),
                                           func.coalesce(func.sum(Invoice.total_amount - Invoice.paid_amount), 0))
                                    .where(*where)).one()
    rows = session.execute(view_query().where(*where)
                           .order_by(Invoice.due_date, Invoice.id).limit(LIST_ITEMS)).all() if count else []
    return {"count": count, "total_amount": int(amount), "items": invoice_views(session, rows)}


def collector_today(session: Session, *, actor: User, owner_id: uuid.UUID | None = None) -> dict:
    """Unpaid invoices due today, overdue ones (due before today), and what was collected today."""
    check_owner_filter(session, actor=actor, owner_id=owner_id)
    today = today_wib()
    return {
        "date": today,
        "due_today": _unpaid_list(session, actor=actor, owner_id=owner_id, conditions=[Invoice.due_date == today]),
        "overdue": _unpaid_list(session, actor=actor, owner_id=owner_id, conditions=[Invoice.due_date < today]),
        "collected_today": collected_today(session, actor=actor, owner_id=owner_id, day=today),
    }
