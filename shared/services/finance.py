"""Finance figures: money billed, paid and unpaid, summed in the database over the invoices the actor may see.

"This month" is the collection month: the WIB calendar month of today, and its invoices are those *due* in it
(DESIGN.md §6: an invoice for period P is due in the month before P). Ranges (`from`/`to`) filter by due date.
`paidAmount` is the money paid toward the selected invoices, partial payments included (`invoices.paid_amount`,
the sum of invoice_payments); `unpaidAmount` is what remains; the counts stay by status (a partial invoice is not
a paid one). `receivedAmount` is money received by *payment date* (WIB) in the selected dates, whatever the
invoice (null for a `period`, which is invoices, not days): read from payment_daily_totals, the per owner and day sums that triggers keep equal to invoice_payments
(migration 0013); `money_received` is that figure for any caller.

Whole due months and invoice periods are read from `invoice_monthly_totals`, the per owner, due month, period
and status sums that triggers keep equal to the invoices (migration 0004): a few hundred rows instead of a
million. The days of a month a range cuts, and one day's totals, are read from `invoice_daily_totals`, the same
sums per due date (migration 0019). Only the rows of a list (one day's invoices, the exports) read invoices.
"""

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, Select, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from shared.errors import Forbidden, Invalid, NotFound
from shared.models import (
    Customer,
    Invoice,
    InvoiceDailyTotal,
    Package,
    PaymentDailyTotal,
    PaymentStatus,
    User,
)
from shared.models import InvoiceMonthlyTotal as Rollup
from shared.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from shared.services.periods import MONTH_NAMES, parse_period
from shared.timeutil import today_wib

SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
PAID = Invoice.status == PaymentStatus.paid


@dataclass(frozen=True)
class Month:
    """A calendar month of due dates."""

    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        return f"{SHORT_MONTHS[self.month - 1]} {self.year}"

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)


def collection_month(today: date | None = None) -> Month:
    """This month: the WIB calendar month of today; its figures cover the invoices due in it."""
    return Month.of(today or today_wib())


def months_ending(last: Month, count: int = 12) -> list[Month]:
    """`count` consecutive months, oldest first, ending with `last`."""
    return [last.shift(offset) for offset in range(1 - count, 1)]


@dataclass
class FinanceFilters:
    """Which invoices a figure covers: one invoice period, or a due-date range, or else this collection month."""

    period: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    owner_id: uuid.UUID | None = None


# ---------------------------------------------------------------------------------------------
# Building blocks shared by every finance figure, the dashboard and the recap export


def rollup_money_columns(rows=Rollup) -> list[ColumnElement]:
    """The same four figures off a rollup (the monthly one, or `rollup_rows(...).c`): its counts and totals summed
    (coalesced for an empty selection)."""
    return [
        func.coalesce(func.sum(rows.total_amount), 0).label("total_amount"),
        func.coalesce(func.sum(rows.paid_amount), 0).label("paid_amount"),
        func.coalesce(func.sum(rows.invoice_count), 0).label("invoice_count"),
        func.coalesce(func.sum(rows.invoice_count).filter(rows.status == PaymentStatus.paid), 0).label("paid_count"),
    ]


def money(row) -> dict:
    """The money fields of one aggregate row, with the unpaid side and the collection rate derived from it."""
    total, paid = int(row.total_amount), int(row.paid_amount)
    count, paid_count = int(row.invoice_count), int(row.paid_count)
    return {"total_amount": total, "paid_amount": paid, "unpaid_amount": total - paid, "invoice_count": count,
            "paid_count": paid_count, "unpaid_count": count - paid_count,
            "collection_rate": collection_rate(paid, total)}


def no_money() -> dict:
    """The money fields of an empty selection."""
    return money(_Sums())


def collection_rate(paid: int, total: int) -> float:
    """Paid as a percentage of billed, one decimal, half up; 0 when nothing was billed."""
    if not total:
        return 0.0
    return float((Decimal(paid) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def check_owner_filter(session: Session, *, actor: User, owner_id: uuid.UUID | None) -> None:
    """A superadmin may name any existing owner; a mitra only themselves (another owner's id is 'not found')."""
    if owner_id is None or owner_id == actor.id:
        return
    if not actor.is_superadmin or session.get(User, owner_id) is None:
        raise NotFound("Mitra tidak ditemukan.")


def owner_conditions(actor: User, owner_id: uuid.UUID | None, model=Invoice) -> list[ColumnElement]:
    """Tenancy for invoice figures (on invoices or the rollup): a mitra's own only; a superadmin's optionally one
    owner's."""
    conditions = [] if actor.is_superadmin else [model.owner_id == actor.id]
    if owner_id is not None:
        conditions.append(model.owner_id == owner_id)
    return conditions


# A part of a selection read off one rollup: the model (Rollup or InvoiceDailyTotal) and its conditions.
RollupPart = tuple[type, list[ColumnElement]]


@dataclass(frozen=True)
class Selection:
    """The invoices a filter covers, as conditions on invoices and as parts of the rollups (whole due months and
    periods off the monthly one, the days of a cut month off the daily one); and how to describe them to the UI
    (period / from / to / month)."""

    invoices: list[ColumnElement]
    rollup: list[RollupPart]
    described: dict


def rollup_rows(parts: list[RollupPart], *, actor: User | None = None, owner_id: uuid.UUID | None = None):
    """The rollup rows of a selection's parts, in one shape (owner_id, status, invoice_count, total_amount,
    paid_amount), each part under the actor's tenancy and the owner filter: a subquery to sum or group."""
    selects = []
    for model, conditions in parts:
        tenancy = owner_conditions(actor, owner_id, model) if actor is not None else []
        selects.append(select(model.owner_id, model.status, model.invoice_count, model.total_amount,
                              model.paid_amount).where(*tenancy, *conditions))
    return (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("rolled")


def selection(filters: FinanceFilters, *, today: date | None = None) -> Selection:
    """What a filter means: one invoice period, a due-date range, or else this collection month."""
    if filters.period and (filters.date_from or filters.date_to):
        raise Invalid("Pilih periode atau rentang tanggal, tidak keduanya.",
                      details={"fields": {"period": ["Tidak dapat digabung dengan from/to."]}})
    if filters.period:
        month = Month.of(parse_period(filters.period))
        return Selection([Invoice.period == month.key], [(Rollup, [Rollup.period == month.key])], {
            "period": month.key, "period_label": month.label, "date_from": None, "date_to": None, "month": None,
            "month_label": None})
    if filters.date_from or filters.date_to:
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise Invalid.field("from", "Tanggal mulai tidak boleh setelah tanggal akhir.")
        conditions = []
        if filters.date_from:
            conditions.append(Invoice.due_date >= filters.date_from)
        if filters.date_to:
            conditions.append(Invoice.due_date <= filters.date_to)
        return Selection(conditions, range_parts(filters.date_from, filters.date_to), {
            "period": None, "period_label": None, "date_from": filters.date_from, "date_to": filters.date_to,
            "month": None, "month_label": None})
    month = collection_month(today)
    return Selection([Invoice.due_date.between(month.start, month.end)],
                     [(Rollup, [Rollup.due_month == month.start])], {
        "period": None, "period_label": None, "date_from": month.start, "date_to": month.end, "month": month.key,
        "month_label": month.label})


def range_parts(date_from: date | None, date_to: date | None) -> list[RollupPart]:
    """A due-date range (either end may be open) as rollup parts: the days of the month at either end that the
    range cuts off the daily rollup, the whole months between off the monthly one. At most three parts."""
    daily, parts = InvoiceDailyTotal, []
    months_from, months_to = date_from, date_to
    if date_from and date_from.day != 1:
        head_end = Month.of(date_from).end
        if date_to and date_to <= head_end:  # within one month
            return [(daily, [daily.due_date.between(date_from, date_to)])]
        parts.append((daily, [daily.due_date.between(date_from, head_end)]))
        months_from = head_end + timedelta(days=1)
    if date_to and date_to != Month.of(date_to).end:
        tail_start = Month.of(date_to).start
        parts.append((daily, [daily.due_date.between(tail_start, date_to)]))
        months_to = tail_start - timedelta(days=1)
    if months_from and months_to and months_to < months_from:
        return parts
    conditions = []
    if months_from:
        conditions.append(Rollup.due_month >= months_from)
    if months_to:
        conditions.append(Rollup.due_month <= Month.of(months_to).start)
    return [(Rollup, conditions), *parts]


def invoice_filter(session: Session, *, actor: User, filters: FinanceFilters) -> tuple[list[ColumnElement], dict]:
    """Every condition (tenancy, owner, period or dates) for the invoices a finance figure covers."""
    check_owner_filter(session, actor=actor, owner_id=filters.owner_id)
    chosen = selection(filters)
    return owner_conditions(actor, filters.owner_id) + chosen.invoices, chosen.described


def money_received(session: Session, *, actor: User, start: date | None, end: date | None,
                   owner_id: uuid.UUID | None = None) -> dict:
    """Money received (every payment, partial ones included) with a WIB payment date in [start, end] (either may be
    open), that the actor may see: a mitra's own; a superadmin's all or one owner's. {amount, count}."""
    daily = PaymentDailyTotal
    conditions = owner_conditions(actor, owner_id, daily)
    if start is not None:
        conditions.append(daily.day >= start)
    if end is not None:
        conditions.append(daily.day <= end)
    row = session.execute(select(func.coalesce(func.sum(daily.amount), 0).label("amount"),
                                 func.coalesce(func.sum(daily.payment_count), 0).label("count"))
                          .where(*conditions)).one()
    return {"amount": int(row.amount), "count": int(row.count)}


def received_by_month(session: Session, *, actor: User, months: list[Month],
                      owner_id: uuid.UUID | None = None) -> dict[Month, int]:
    """Money received per WIB payment month over consecutive `months` (months without payments are absent)."""
    daily = PaymentDailyTotal
    bucket = func.date_trunc("month", daily.day).cast(daily.day.type)
    rows = session.execute(select(bucket.label("bucket"), func.sum(daily.amount).label("amount"))
                           .where(*owner_conditions(actor, owner_id, daily),
                                  daily.day.between(months[0].start, months[-1].end))
                           .group_by(bucket)).all()
    return {Month.of(row.bucket): int(row.amount) for row in rows}


# ---------------------------------------------------------------------------------------------
# Endpoints


def summary(session: Session, *, actor: User, filters: FinanceFilters) -> dict:
    """Billed, paid and unpaid money and counts over the selected invoices, in one aggregate query."""
    check_owner_filter(session, actor=actor, owner_id=filters.owner_id)
    chosen = selection(filters)
    rows = rollup_rows(chosen.rollup, actor=actor, owner_id=filters.owner_id)
    stmt = select(*rollup_money_columns(rows.c))
    received = {"amount": None, "count": None}
    if not chosen.described["period"]:  # a period is invoices, not days: its money in is paidAmount
        received = money_received(session, actor=actor, start=chosen.described["date_from"],
                                  end=chosen.described["date_to"], owner_id=filters.owner_id)
    return {**money(session.execute(stmt).one()), "received_amount": received["amount"],
            "received_count": received["count"], **chosen.described}


def by_period(session: Session, *, actor: User, view: str, year: int | None = None,
              owner_id: uuid.UUID | None = None) -> dict:
    """Money per due month of one year (12 rows, empty months as zeros), or per due year (years with invoices)."""
    check_owner_filter(session, actor=actor, owner_id=owner_id)
    conditions = owner_conditions(actor, owner_id, Rollup)
    if view == "year":
        bucket = func.extract("year", Rollup.due_month)
        # Rollup rows whose invoices are all gone stay behind at zero; a year of only those is no year.
        rows = session.execute(select(bucket.label("bucket"), *rollup_money_columns()).where(*conditions)
                               .group_by(bucket).having(func.sum(Rollup.invoice_count) > 0)
                               .order_by(bucket)).all()
        return {"view": "year", "year": None,
                "items": [{"year": int(row.bucket), "label": str(int(row.bucket)), **money(row)} for row in rows]}
    year = year or collection_month().year
    rows = session.execute(select(Rollup.due_month.label("bucket"), *rollup_money_columns())
                           .where(*conditions, Rollup.due_month.between(date(year, 1, 1), date(year, 12, 1)))
                           .group_by(Rollup.due_month)).all()
    found = {Month.of(row.bucket): money(row) for row in rows}
    empty = no_money()
    items = [{"month": month.key, "label": month.label, **found.get(month, empty)}
             for month in (Month(year, m) for m in range(1, 13))]
    return {"view": "month", "year": year, "items": items}


def by_date(session: Session, *, actor: User, day: date, owner_id: uuid.UUID | None = None,
            status: PaymentStatus | None = None, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> dict:
    """Who is due on one day, paid or not (one page, by customer name), and that day's totals."""
    check_owner_filter(session, actor=actor, owner_id=owner_id)
    conditions = [*owner_conditions(actor, owner_id), Invoice.due_date == day]
    rows = rollup_rows([(InvoiceDailyTotal, [InvoiceDailyTotal.due_date == day])], actor=actor, owner_id=owner_id)
    by_status = session.execute(select(rows.c.status, *rollup_money_columns(rows.c))
                                .group_by(rows.c.status)).all()
    day_summary = money(_sum_rows(by_status))
    total = sum(row.invoice_count for row in by_status if status is None or row.status == status)
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    stmt = detail_query(conditions + ([Invoice.status == status] if status else []))
    items = [dict(row) for row in session.execute(
        stmt.order_by(Customer.name, Invoice.id).limit(per_page).offset((page - 1) * per_page)).mappings()]
    return {"date": day, "summary": day_summary, "items": items, "total": total, "page": page, "per_page": per_page}


def by_mitra(session: Session, *, actor: User, filters: FinanceFilters) -> dict:
    """Money per owner (the superadmin's own customers included), for the superadmin only."""
    if not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat melihat keuangan per mitra.")
    check_owner_filter(session, actor=actor, owner_id=filters.owner_id)
    chosen = selection(filters)
    # Outer-joined so an owner without invoices still gets a row of zeros.
    rows = rollup_rows(chosen.rollup)
    stmt = (select(User.id, User.name, User.business_name, User.role, *rollup_money_columns(rows.c))
            .select_from(User).outerjoin(rows, rows.c.owner_id == User.id)
            .group_by(User.id)
            .having(or_(User.is_active.is_(True), func.sum(rows.c.invoice_count) > 0))
            .order_by(User.role, User.business_name))
    if filters.owner_id is not None:
        stmt = stmt.where(User.id == filters.owner_id)
    rows = session.execute(stmt).all()
    items = [{"owner_id": row.id, "owner_name": row.name, "area": row.business_name, "role": row.role.value,
              **money(row)} for row in rows]
    return {"items": items, "summary": money(_sum_rows(rows)), **chosen.described}


# ---------------------------------------------------------------------------------------------
# The invoice detail rows (finance by-date table, invoice export, recap export)

PAYER = aliased(User, name="payer")
OWNER = aliased(User, name="owner")


def detail_query(conditions: list[ColumnElement]) -> Select:
    """Invoice rows with customer, area, package and who recorded the payment, as plain columns."""
    return (select(Invoice.id, Invoice.customer_id, Customer.name.label("customer_name"),
                   Customer.phone.label("customer_phone"), OWNER.business_name.label("area"),
                   Package.name.label("package_name"), Package.speed.label("package_speed"), Invoice.period,
                   Invoice.due_date, Invoice.amount, Invoice.discount, Invoice.total_amount, Invoice.paid_amount,
                   Invoice.status,
                   Invoice.paid_at, PAYER.name.label("paid_by_name"), Invoice.payment_method, Invoice.payment_note)
            .join(Customer, Customer.id == Invoice.customer_id)
            .join(Package, Package.id == Customer.package_id)
            .join(OWNER, OWNER.id == Invoice.owner_id)
            .outerjoin(PAYER, PAYER.id == Invoice.paid_by)
            .where(*conditions))


@dataclass
class _Sums:
    total_amount: int = 0
    paid_amount: int = 0
    invoice_count: int = 0
    paid_count: int = 0


def _sum_rows(rows) -> _Sums:
    return _Sums(*(sum(getattr(row, name) for row in rows) for name in
                   ("total_amount", "paid_amount", "invoice_count", "paid_count")))
