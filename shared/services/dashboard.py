"""Dashboard figures in a handful of grouped queries, scoped to what the actor may see.

Money figures use finance's definitions: "this month" is the collection month (invoices due in the WIB
calendar month); paid money includes partial payments. They are whole due months, so they are read from the
invoice_monthly_totals rollup (see finance). Money received (this month, today, per month of the series) counts
payments by their WIB payment date, from payment_daily_totals (finance.money_received). Customer counts and the
growth series are sums of customer_monthly_counts (migration 0020); what is due in the next 7 days is summed off
invoice_daily_totals (0019). Only the ten invoices due soonest are read from the invoices themselves.
"""

import uuid
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, literal, select, true
from sqlalchemy.orm import Session

from shared.models import (
    Customer,
    CustomerMonthlyCount,
    CustomerStatus,
    Invoice,
    InvoiceDailyTotal,
    InvoiceMonthlyTotal,
    Package,
    PaymentStatus,
    User,
    UserRole,
)
from shared.services.finance import (
    Month,
    check_owner_filter,
    collection_month,
    money,
    money_received,
    months_ending,
    no_money,
    owner_conditions,
    received_by_month,
    rollup_money_columns,
)
from shared.timeutil import today_wib

SERIES_MONTHS = 12
DUE_SOON_DAYS = 7
DUE_SOON_ITEMS = 10


def _global_figures(actor: User) -> dict[str, ColumnElement]:
    """Figures that do not depend on the owner filter; mitra counts are the superadmin's business only."""
    mitra_count = (select(func.count()).where(User.role == UserRole.mitra, User.is_active.is_(True))
                   .scalar_subquery() if actor.is_superadmin else literal(None))
    return {
        "package_count": select(func.count()).where(Package.is_active.is_(True)).scalar_subquery(),
        "mitra_count": mitra_count,
    }


def dashboard_stats(session: Session, *, actor: User, owner_id: uuid.UUID | None = None) -> dict:
    """Customer counts, this month's money, 12-month revenue and customer series, and invoices due soon."""
    # A mitra asking for another owner learns nothing more than from a missing id.
    check_owner_filter(session, actor=actor, owner_id=owner_id)
    today = today_wib()
    month = collection_month(today)
    months = months_ending(month, SERIES_MONTHS)
    revenue = _revenue_series(session, actor=actor, owner_id=owner_id, months=months)
    this_month = revenue.pop("this_month")
    counts = _customer_counts(session, actor=actor, owner_id=owner_id, window_start=months[0].start)
    registered_before = counts.pop("registered_before")
    return {
        **counts,
        "month": month.key,
        "month_label": month.label,
        "billed_amount": this_month["total_amount"],
        "paid_amount": this_month["paid_amount"],
        "unpaid_amount": this_month["unpaid_amount"],
        "invoice_count": this_month["invoice_count"],
        "paid_count": this_month["paid_count"],
        "unpaid_count": this_month["unpaid_count"],
        "collection_rate": this_month["collection_rate"],
        "received_amount": money_received(session, actor=actor, owner_id=owner_id, start=month.start,
                                          end=month.end)["amount"],
        "received_today": money_received(session, actor=actor, owner_id=owner_id, start=today, end=today)["amount"],
        "revenue_series": revenue["series"],
        "customer_growth": _customer_growth(session, actor=actor, owner_id=owner_id, months=months,
                                            starting=registered_before),
        "due_soon": _due_soon(session, actor=actor, owner_id=owner_id, today=today),
    }


def _customer_counts(session: Session, *, actor: User, owner_id: uuid.UUID | None, window_start: date) -> dict:
    """The customer figures, and how many customers registered before the growth window (its starting count), off
    the customer_monthly_counts rollup: a few rows per owner and register month, not every customer."""
    counts = CustomerMonthlyCount

    def total(*conditions: ColumnElement) -> ColumnElement:
        summed = func.sum(counts.customer_count)
        return func.coalesce(summed.filter(*conditions) if conditions else summed, 0)

    columns = {
        "total_customers": total(),
        "active_customers": total(counts.status == CustomerStatus.active),
        "isolated_customers": total(counts.status == CustomerStatus.isolated),
        "inactive_customers": total(counts.status == CustomerStatus.inactive),
        # From the same rows as the totals, so the growth series starts from exactly these customers.
        "registered_before": total(counts.register_month < window_start),
        **_global_figures(actor),
    }
    stmt = (select(*(expr.label(name) for name, expr in columns.items())).select_from(counts)
            .where(*owner_conditions(actor, owner_id, counts)))
    return {name: None if value is None else int(value) for name, value in session.execute(stmt).one()._mapping.items()}


def _revenue_series(session: Session, *, actor: User, owner_id: uuid.UUID | None, months: list[Month]) -> dict:
    """Billed and paid per due month; the last month's full figures are this month's cards."""
    rollup = InvoiceMonthlyTotal
    rows = session.execute(select(rollup.due_month.label("bucket"), *rollup_money_columns())
                           .where(*owner_conditions(actor, owner_id, rollup),
                                  rollup.due_month.between(months[0].start, months[-1].start))
                           .group_by(rollup.due_month)).all()
    found = {Month.of(row.bucket): money(row) for row in rows}
    received = received_by_month(session, actor=actor, owner_id=owner_id, months=months)
    empty = no_money()
    series = [{"month": m.key, "label": m.short_label, "billed": found.get(m, empty)["total_amount"],
               "paid": found.get(m, empty)["paid_amount"], "received": received.get(m, 0)} for m in months]
    return {"series": series, "this_month": found.get(months[-1], empty)}


def _customer_growth(session: Session, *, actor: User, owner_id: uuid.UUID | None, months: list[Month],
                     starting: int) -> list:
    """New customers per register month, and how many there were in all by the end of each month."""
    # The window's register months off the rollup; `starting` counts the customers registered before it.
    rollup = CustomerMonthlyCount
    stmt = (select(rollup.register_month, func.sum(rollup.customer_count).label("n"))
            .where(*owner_conditions(actor, owner_id, rollup),
                   rollup.register_month.between(months[0].start, months[-1].start))
            .group_by(rollup.register_month))
    counts = {row.register_month: int(row.n) for row in session.execute(stmt)}
    cumulative = starting
    growth = []
    for m in months:
        new = counts.get(m.start, 0)
        cumulative += new
        growth.append({"month": m.key, "label": m.short_label, "new_customers": new, "total_customers": cumulative})
    return growth


def _due_soon(session: Session, *, actor: User, owner_id: uuid.UUID | None, today: date) -> dict:
    """Unpaid invoices due in the next 7 days (today included): the first 10, and how many and how much in all."""
    last = today + timedelta(days=DUE_SOON_DAYS - 1)
    due = [*owner_conditions(actor, owner_id), Invoice.due_date.between(today, last),
           Invoice.status != PaymentStatus.paid]
    # How many and how much off the daily rollup (a week of rows per owner, not every invoice due that week), in
    # the same statement; only the first due dates' invoices are joined to customers to pick the ten shown.
    daily = InvoiceDailyTotal
    totals = (select(func.sum(daily.invoice_count).label("n"), func.sum(daily.total_amount).label("amount"))
              .where(*owner_conditions(actor, owner_id, daily), daily.due_date.between(today, last),
                     daily.status != PaymentStatus.paid).subquery())
    stmt = (select(Invoice.id, Invoice.customer_id, Customer.name.label("customer_name"), Invoice.due_date,
                   Invoice.total_amount, Invoice.status, totals.c.n, totals.c.amount)
            .join(Customer, Customer.id == Invoice.customer_id).join(totals, true())
            .where(*due)
            .order_by(Invoice.due_date, Customer.name, Invoice.id).limit(DUE_SOON_ITEMS))
    rows = session.execute(stmt).all()
    return {"date_from": today, "date_to": last, "count": int(rows[0].n) if rows else 0,
            "total_amount": int(rows[0].amount) if rows else 0,
            "items": [{"id": row.id, "customer_id": row.customer_id, "customer_name": row.customer_name,
                       "due_date": row.due_date, "total_amount": row.total_amount, "status": row.status.value}
                      for row in rows]}
