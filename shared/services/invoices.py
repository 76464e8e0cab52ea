"""Invoices: list with filters, one invoice, and marking payments under optimistic locking."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from shared.errors import Conflict, NotFound
from shared.models import Customer, Invoice, InvoiceMonthlyTotal, Package, PaymentStatus, User
from shared.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page
from shared.services.activity import record_activity
from shared.services.customers import phone_fragment
from shared.services.tenancy import parse_id, scope_to_actor

NOT_FOUND = "Tagihan tidak ditemukan."
VERSION_CONFLICT = "Data sudah diubah oleh user lain, silakan refresh."
PAYMENT_METHODS = ("cash", "transfer", "qris", "ewallet", "other")

_owner = aliased(User, name="owner")
_payer = aliased(User, name="payer")
SORTS = {
    "dueDate": (Invoice.due_date,),
    "paidAt": (Invoice.paid_at,),
    "customerName": (Customer.name,),
    "totalAmount": (Invoice.total_amount,),
    "period": (Invoice.period,),
    "createdAt": (Invoice.created_at,),
}


@dataclass
class InvoiceFilters:
    period: str | None = None
    status: PaymentStatus | None = None
    owner_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    from_: date | None = None
    to: date | None = None
    q: str | None = None
    sort: str = "dueDate"


def _view_query() -> Select:
    """Invoice rows with what the list shows beside them (customer, area, package, payer) in one query."""
    return (select(Invoice, Customer.name, Customer.phone, Customer.status, _owner.business_name, Package.name,
                   Package.speed, _payer.name)
            .join(Customer, Customer.id == Invoice.customer_id)
            .join(_owner, _owner.id == Invoice.owner_id)
            .join(Package, Package.id == Customer.package_id)
            .outerjoin(_payer, _payer.id == Invoice.paid_by))


def _view(row) -> dict:
    invoice, name, phone, status, area, package_name, package_speed, paid_by_name = row
    return {
        **{column.key: getattr(invoice, column.key) for column in Invoice.__mapper__.column_attrs},
        "customer": {"id": invoice.customer_id, "name": name, "phone": phone, "status": status},
        "area": area, "package_name": package_name, "package_speed": package_speed, "paid_by_name": paid_by_name,
    }


def _filtered(stmt: Select, actor: User, filters: InvoiceFilters) -> Select:
    stmt = scope_to_actor(stmt, Invoice, actor)
    if filters.period:
        stmt = stmt.where(Invoice.period == filters.period)
    if filters.status is not None:
        stmt = stmt.where(Invoice.status == filters.status)
    if filters.owner_id is not None:
        stmt = stmt.where(Invoice.owner_id == filters.owner_id)
    if filters.customer_id is not None:
        stmt = stmt.where(Invoice.customer_id == filters.customer_id)
    if filters.from_ is not None:
        stmt = stmt.where(Invoice.due_date >= filters.from_)
    if filters.to is not None:
        stmt = stmt.where(Invoice.due_date <= filters.to)
    if filters.q:
        term = filters.q.strip()
        condition = Customer.name.icontains(term, autoescape=True)
        if digits := phone_fragment(term):
            condition = or_(condition, Customer.phone.contains(digits, autoescape=True))
        stmt = stmt.where(condition)
    return stmt


def _count_from_rollup(session: Session, actor: User, filters: InvoiceFilters) -> int | None:
    """The list's total from invoice_monthly_totals when the filters are whole due months; else None.

    Counting 1.2M invoice rows for an unfiltered superadmin list costs ~80 ms; the trigger-kept rollup has
    the same numbers in a few hundred rows.
    """
    if filters.customer_id is not None or filters.q:
        return None
    if filters.from_ is not None and filters.from_.day != 1:
        return None
    if filters.to is not None and (filters.to + timedelta(days=1)).day != 1:
        return None
    rollup = InvoiceMonthlyTotal
    stmt = scope_to_actor(select(func.coalesce(func.sum(rollup.invoice_count), 0)), rollup, actor)
    if filters.period:
        stmt = stmt.where(rollup.period == filters.period)
    if filters.status is not None:
        stmt = stmt.where(rollup.status == filters.status)
    if filters.owner_id is not None:
        stmt = stmt.where(rollup.owner_id == filters.owner_id)
    if filters.from_ is not None:
        stmt = stmt.where(rollup.due_month >= filters.from_)
    if filters.to is not None:
        stmt = stmt.where(rollup.due_month <= filters.to)
    return int(session.scalar(stmt))


def list_invoices(session: Session, *, actor: User, filters: InvoiceFilters, page: int = 1,
                  per_page: int = DEFAULT_PER_PAGE) -> Page:
    """One page of the invoices the actor may see (a mitra: own), filtered and sorted; two queries."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    total = _count_from_rollup(session, actor, filters)
    if total is None:
        # The count needs the customers join only to search by name or phone.
        count_stmt = select(func.count()).select_from(Invoice)
        if filters.q:
            count_stmt = count_stmt.join(Customer, Customer.id == Invoice.customer_id)
        total = session.scalar(_filtered(count_stmt, actor, filters)) or 0
    descending = filters.sort.startswith("-")
    primary, *ties = SORTS.get(filters.sort.lstrip("-"), SORTS["dueDate"])
    # Unpaid invoices have no paidAt; they go last whichever way paidAt sorts. Ties break by id.
    order = primary.desc().nulls_last() if descending else primary.asc().nulls_last()
    stmt = _filtered(_view_query(), actor, filters).order_by(order, *ties, Invoice.id)
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=[_view(row) for row in rows], total=total, page=page, per_page=per_page)


def _invoice_key(invoice_id: uuid.UUID | str) -> uuid.UUID:
    return parse_id(invoice_id, NOT_FOUND)


def get_invoice(session: Session, *, actor: User, invoice_id: uuid.UUID | str) -> dict:
    """One invoice the actor may see, in the list's shape; another owner's invoice is reported as missing."""
    stmt = scope_to_actor(_view_query().where(Invoice.id == _invoice_key(invoice_id)), Invoice, actor)
    # After a bulk UPDATE the identity map may hold the old row; load what the database has now.
    row = session.execute(stmt.execution_options(populate_existing=True)).one_or_none()
    if row is None:
        raise NotFound(NOT_FOUND)
    return _view(row)


def mark_paid(session: Session, *, actor: User, invoice_id: uuid.UUID | str, version: int, payment_method: str,
              payment_note: str | None = None) -> dict:
    """Mark an invoice paid if `version` is still current; returns the invoice with its new version.

    One conditional UPDATE decides between concurrent payers: the loser's version no longer matches (409
    version_conflict). The API queues the WhatsApp receipt in the same transaction (whatsapp.send_receipt_on_payment),
    so a rolled-back payment never sends one.
    """
    key = _invoice_key(invoice_id)
    stmt = scope_to_actor(update(Invoice), Invoice, actor).where(
        Invoice.id == key, Invoice.version == version, Invoice.status != PaymentStatus.paid,
    ).values(status=PaymentStatus.paid, paid_at=func.now(), paid_by=actor.id, payment_method=payment_method,
             payment_note=(payment_note or "").strip() or None, version=Invoice.version + 1,
             updated_at=func.now()).returning(Invoice.id)
    if session.execute(stmt.execution_options(synchronize_session=False)).scalar() is None:
        raise _refusal(session, actor=actor, key=key, version=version, paying=True)
    invoice = get_invoice(session, actor=actor, invoice_id=key)
    record_activity(session, actor=actor, action="invoice.pay", resource="invoices", resource_id=key, metadata={
        "period": invoice["period"], "customerId": str(invoice["customer_id"]),
        "totalAmount": invoice["total_amount"], "paymentMethod": payment_method, "version": invoice["version"]})
    return invoice


def mark_unpaid(session: Session, *, actor: User, invoice_id: uuid.UUID | str, version: int) -> dict:
    """Undo a payment if `version` is still current: back to unpaid, payment details cleared."""
    key = _invoice_key(invoice_id)
    stmt = scope_to_actor(update(Invoice), Invoice, actor).where(
        Invoice.id == key, Invoice.version == version, Invoice.status != PaymentStatus.unpaid,
    ).values(status=PaymentStatus.unpaid, paid_at=None, paid_by=None, payment_method=None, payment_note=None,
             version=Invoice.version + 1, updated_at=func.now()).returning(Invoice.id)
    if session.execute(stmt.execution_options(synchronize_session=False)).scalar() is None:
        raise _refusal(session, actor=actor, key=key, version=version, paying=False)
    invoice = get_invoice(session, actor=actor, invoice_id=key)
    record_activity(session, actor=actor, action="invoice.unpay", resource="invoices", resource_id=key, metadata={
        "period": invoice["period"], "customerId": str(invoice["customer_id"]),
        "totalAmount": invoice["total_amount"], "version": invoice["version"]})
    return invoice


def _refusal(session: Session, *, actor: User, key: uuid.UUID, version: int, paying: bool) -> Exception:
    """Why a pay/unpay UPDATE matched nothing: missing (or not yours), stale version, or already in that state."""
    current = session.execute(scope_to_actor(select(Invoice.version, Invoice.status).where(Invoice.id == key),
                                             Invoice, actor)).one_or_none()
    if current is None:
        return NotFound(NOT_FOUND)
    details = {"currentVersion": current.version, "status": current.status.value}
    # A stale version wins over "already paid": two admins paying at once is this case, and the UI's answer
    # to it is a refresh.
    if current.version != version:
        return Conflict(VERSION_CONFLICT, code="version_conflict", details=details)
    if paying:
        return Conflict("Tagihan ini sudah dibayar.", code="already_paid", details=details)
    return Conflict("Tagihan ini belum dibayar.", code="not_paid", details=details)
