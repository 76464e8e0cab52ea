"""Invoices: list with filters, one invoice, and recording payments (part or all) under optimistic locking.

Every payment write is one conditional UPDATE of the invoice row (version still current, not overpaid) followed by
the invoice_payments insert or delete: the UPDATE's row lock is held to commit, so concurrent payers queue on it,
the loser finds a new version (409), and `invoices.paid_amount` always equals the sum of its payments.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, case, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from shared.errors import Conflict, Invalid, NotFound
from shared.models import Customer, Invoice, InvoiceMonthlyTotal, InvoicePayment, Package, PaymentStatus, User
from shared.pagination import DEFAULT_PER_PAGE, Page, capped_count, clamp, count_cap
from shared.services.activity import record_activity
from shared.services.customers import (
    NOT_COMMON,
    CustomerFilters,
    MatchIds,
    SearchMatches,
    customer_matches,
    few_matching_ids,
    id_in,
    name_probe,
    planner_off,
    unindexed,
    walking_indexes,
)
from shared.services.finance import range_parts, rollup_rows
from shared.services.tenancy import parse_id, scope_to_actor
from shared.wa.templates import rupiah

NOT_FOUND = "Tagihan tidak ditemukan."
VERSION_CONFLICT = "Data sudah diubah oleh user lain, silakan refresh."
PAYMENT_NOT_FOUND = "Pembayaran tidak ditemukan."
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


def view_query() -> Select:
    """Invoice rows with what the list shows beside them (customer, area, package, payer) in one query."""
    return (select(Invoice, Customer.name, Customer.phone, Customer.status, _owner.business_name, Package.name,
                   Package.speed, _payer.name)
            .join(Customer, Customer.id == Invoice.customer_id)
            .join(_owner, _owner.id == Invoice.owner_id)
            .join(Package, Package.id == Customer.package_id)
            .outerjoin(_payer, _payer.id == Invoice.paid_by))


def _view(row, payments: list[dict]) -> dict:
    invoice, name, phone, status, area, package_name, package_speed, paid_by_name = row
    return {
        **{column.key: getattr(invoice, column.key) for column in Invoice.__mapper__.column_attrs},
        "remaining_amount": invoice.total_amount - invoice.paid_amount,
        "payments": payments,
        "customer": {"id": invoice.customer_id, "name": name, "phone": phone, "status": status},
        "area": area, "package_name": package_name, "package_speed": package_speed, "paid_by_name": paid_by_name,
    }


def payments_of(session: Session, invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict]]:
    """The payments of these invoices, oldest first, with who recorded each; one query."""
    found: dict[uuid.UUID, list[dict]] = {invoice_id: [] for invoice_id in invoice_ids}
    if not invoice_ids:
        return found
    stmt = (select(InvoicePayment, _payer.name).outerjoin(_payer, _payer.id == InvoicePayment.paid_by)
            .where(InvoicePayment.invoice_id.in_(invoice_ids))
            .order_by(InvoicePayment.paid_at, InvoicePayment.created_at, InvoicePayment.id))
    for payment, paid_by_name in session.execute(stmt):
        found[payment.invoice_id].append({
            "id": payment.id, "amount": payment.amount, "payment_method": payment.payment_method,
            "payment_note": payment.payment_note, "paid_at": payment.paid_at, "paid_by": payment.paid_by,
            "paid_by_name": paid_by_name})
    return found


def invoice_views(session: Session, rows) -> list[dict]:
    """The API shape of `view_query()` rows, with each invoice's payments (one query for all of them)."""
    payments = payments_of(session, [row[0].id for row in rows])
    return [_view(row, payments[row[0].id]) for row in rows]


def _filtered(stmt: Select, actor: User, filters: InvoiceFilters, customer_ids: MatchIds | None = None,
              common_words: frozenset[str] = frozenset()) -> Select:
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
    if customer_ids is not None:
        stmt = stmt.where(id_in(Invoice.customer_id, customer_ids))
    elif filters.q:
        stmt = stmt.where(customer_matches(filters.q.strip(), common_words))
    return stmt


def _count_from_rollup(session: Session, actor: User, filters: InvoiceFilters) -> int | None:
    """The list's total from the rollups (finance.range_parts: whole due months off invoice_monthly_totals, the
    days of a cut month off invoice_daily_totals) unless it names a customer or searches; else None.

    Counting 1.2M invoice rows for an unfiltered superadmin list costs ~80 ms at 100k customers (~1 s at 1M); the
    trigger-kept rollups have the same numbers in a few hundred rows.
    """
    if filters.customer_id is not None or filters.q:
        return None
    parts = range_parts(filters.from_, filters.to) if filters.from_ or filters.to else [(InvoiceMonthlyTotal, [])]
    if filters.period:
        if any(model is not InvoiceMonthlyTotal for model, _ in parts):
            return None  # the daily rollup has no period
        parts = [(model, [*conditions, model.period == filters.period]) for model, conditions in parts]
    if filters.status is not None:
        parts = [(model, [*conditions, model.status == filters.status]) for model, conditions in parts]
    rows = rollup_rows(parts, actor=actor, owner_id=filters.owner_id)
    return int(session.scalar(select(func.coalesce(func.sum(rows.c.invoice_count), 0))))


def list_invoices(session: Session, *, actor: User, filters: InvoiceFilters, page: int = 1,
                  per_page: int = DEFAULT_PER_PAGE, matches: SearchMatches | None = None) -> Page:
    """One page of the invoices the actor may see (a mitra: own), filtered and sorted; up to five queries.

    The total is exact from the rollups when the filters name no customer and no search (_count_from_rollup),
    else counted up to the cap (shared.pagination; a search's is SEARCH_COUNT_CAP). A search first reads its
    customers' ids when they are few (customers.FEW_MATCHES; `matches`: already found for an unfiltered
    search of the same term), so the planner never walks the invoices in
    due-date order testing each one's customer for a rare term; a word most names share
    (customers.name_probe) is read walking the indexes in order instead, where matches come at once.
    """
    page, per_page = clamp(page, per_page)
    total, capped = _count_from_rollup(session, actor, filters), False
    customer_ids, probe = None, NOT_COMMON
    if filters.q and matches is not None:
        # The header search's customer pass already knows (same term, same scope, no owner filter).
        probe, customer_ids = matches.probe, matches.ids
    elif filters.q:
        probe = name_probe(session, actor, CustomerFilters(q=filters.q, owner_id=filters.owner_id))
    common, common_words = probe.common, probe.common_words
    if filters.q and not common and matches is None:
        # The matching customers first, by the search indexes: when they are few, the invoices are found by
        # their customer_id index with exact estimates (see customers.few_matching_ids).
        searched = scope_to_actor(select(Customer), Customer, actor).where(
            customer_matches(filters.q.strip(), common_words))
        customer_ids = few_matching_ids(session, searched)
    descending = filters.sort.startswith("-")
    primary, *ties = SORTS.get(filters.sort.lstrip("-"), SORTS["dueDate"])
    with walking_indexes(session, common):
        if total is None:
            count_stmt = select(Invoice.id)
            if filters.q and customer_ids is None:  # the count needs the customers only to search them
                count_stmt = count_stmt.join(Customer, Customer.id == Invoice.customer_id)
            total, capped = capped_count(session, _filtered(count_stmt, actor, filters, customer_ids, common_words),
                                         count_cap(page, per_page, search=bool(filters.q)))
        if customer_ids is not None:
            # The few customers' invoices by their (customer_id, due_date, id) index, then sorted: walking the
            # due-date index testing each invoice's customer reads ~18k invoices for 111 customers' 1.3k (275k
            # for 100 customers at 1M). The page's ids are chosen first, narrow (index-only for the due-date
            # sorts), then only its rows are read: sorting 13k whole invoice rows for 20 costs ~10x more.
            order = _order(unindexed(primary), descending)
            chosen = _filtered(select(Invoice.id), actor, filters, customer_ids)
            if primary.class_ is Customer:
                chosen = chosen.join(Customer, Customer.id == Invoice.customer_id)
            chosen = (chosen.order_by(order, *ties, Invoice.id).limit(per_page).offset((page - 1) * per_page)
                      .subquery())
            stmt = view_query().where(Invoice.id.in_(select(chosen.c.id))).order_by(order, *ties, Invoice.id)
            rows = session.execute(stmt).all()
        else:
            stmt = _filtered(view_query(), actor, filters, customer_ids, common_words).order_by(
                _order(primary, descending), *ties, Invoice.id)
            stmt = stmt.limit(per_page).offset((page - 1) * per_page)
            # Many customers match (> FEW_MATCHES), but the planner may guess a few dozen from a word prefix and
            # join all their invoices (130k for `Pelanggan 1`) to sort them: ~0.5 s. Read in the order's index
            # instead, where so many matches come soon; for this one statement only.
            with planner_off(session, "enable_sort", off=bool(filters.q and customer_ids is None)):
                rows = session.execute(stmt).all()
    return Page(items=invoice_views(session, rows), total=total, page=page, per_page=per_page, total_capped=capped)


def _order(key: ColumnElement, descending: bool) -> ColumnElement:
    """Unpaid invoices have no paidAt; they go last whichever way paidAt sorts. Ties break by id (the caller)."""
    return key.desc().nulls_last() if descending else key.asc().nulls_last()


def _invoice_key(invoice_id: uuid.UUID | str) -> uuid.UUID:
    return parse_id(invoice_id, NOT_FOUND)


def get_invoice(session: Session, *, actor: User, invoice_id: uuid.UUID | str) -> dict:
    """One invoice the actor may see, in the list's shape; another owner's invoice is reported as missing."""
    stmt = scope_to_actor(view_query().where(Invoice.id == _invoice_key(invoice_id)), Invoice, actor)
    # After a bulk UPDATE the identity map may hold the old row; load what the database has now.
    row = session.execute(stmt.execution_options(populate_existing=True)).one_or_none()
    if row is None:
        raise NotFound(NOT_FOUND)
    return invoice_views(session, [row])[0]


def record_payment(session: Session, *, actor: User, invoice_id: uuid.UUID | str, version: int, payment_method: str,
                   amount: int | None = None, payment_note: str | None = None) -> dict:
    """Record a payment of `amount` (None: the whole remainder) if `version` is still current.

    Below the remainder the invoice becomes partial; reaching it, paid (paid_at, paid_by and payment_method then
    describe this completing payment). One conditional UPDATE decides between concurrent payers and refuses to
    overpay; the API queues this payment's WhatsApp receipt in the same transaction, so a rolled-back payment
    never sends one. Returns the invoice and the new payment's id (None when nothing was owed).
    """
    key = _invoice_key(invoice_id)
    if amount is not None and amount <= 0:
        raise Invalid.field("amount", "Jumlah bayar harus lebih dari Rp 0.")
    note = (payment_note or "").strip() or None
    new_paid = Invoice.total_amount if amount is None else Invoice.paid_amount + amount
    full = new_paid >= Invoice.total_amount

    def when_full(value):
        return case((full, value), else_=None)

    conditions = [Invoice.id == key, Invoice.version == version, Invoice.status != PaymentStatus.paid]
    if amount is not None:
        conditions.append(new_paid <= Invoice.total_amount)
    stmt = scope_to_actor(update(Invoice), Invoice, actor).where(*conditions).values(
        paid_amount=new_paid, status=case((full, literal(PaymentStatus.paid.value)),
                                          else_=literal(PaymentStatus.partial.value)).cast(Invoice.status.type),
        paid_at=when_full(func.now()), paid_by=when_full(literal(actor.id, Invoice.paid_by.type)),
        payment_method=when_full(literal(payment_method)), payment_note=when_full(literal(note, Invoice.payment_note.type)),
        version=Invoice.version + 1, updated_at=func.now(),
    ).returning(Invoice.id, Invoice.owner_id, Invoice.paid_amount)
    updated = session.execute(stmt.execution_options(synchronize_session=False)).one_or_none()
    if updated is None:
        raise _refusal(session, actor=actor, key=key, version=version, paying=True, amount=amount)
    if amount is None:
        # The row lock above is held, and every payment write takes it first: this sum is final.
        recorded = session.scalar(select(func.coalesce(func.sum(InvoicePayment.amount), 0))
                                  .where(InvoicePayment.invoice_id == key))
        amount = updated.paid_amount - int(recorded)
    payment_id = None
    if amount > 0:  # a bill discounted to Rp 0 is paid without any money changing hands
        payment_id = session.execute(insert(InvoicePayment).values(
            invoice_id=key, owner_id=updated.owner_id, amount=amount, payment_method=payment_method,
            # The wall clock, not the transaction's start: payments keep their order even within one transaction.
            payment_note=note, paid_by=actor.id, paid_at=func.clock_timestamp(),
            created_at=func.clock_timestamp()).returning(InvoicePayment.id)).scalar_one()
    invoice = get_invoice(session, actor=actor, invoice_id=key)
    action = "invoice.pay" if invoice["status"] == PaymentStatus.paid else "invoice.pay_partial"
    record_activity(session, actor=actor, action=action, resource="invoices", resource_id=key, metadata={
        "period": invoice["period"], "customerId": str(invoice["customer_id"]),
        "totalAmount": invoice["total_amount"], "amount": amount, "paidAmount": invoice["paid_amount"],
        "paymentId": str(payment_id) if payment_id else None, "paymentMethod": payment_method,
        "version": invoice["version"]})
    return {**invoice, "payment_id": payment_id}


def mark_paid(session: Session, *, actor: User, invoice_id: uuid.UUID | str, version: int, payment_method: str,
              payment_note: str | None = None) -> dict:
    """Pay what is left of an invoice in full, as one payment (PATCH /pay)."""
    return record_payment(session, actor=actor, invoice_id=invoice_id, version=version, payment_method=payment_method,
                          payment_note=payment_note)


def undo_payment(session: Session, *, actor: User, invoice_id: uuid.UUID | str, payment_id: uuid.UUID | str,
                 version: int) -> dict:
    """Undo one payment if `version` is still current: the invoice goes back to partial, or unpaid if none is left."""
    key = _invoice_key(invoice_id)
    payment = session.scalar(scope_to_actor(select(InvoicePayment), InvoicePayment, actor).where(
        InvoicePayment.id == parse_id(payment_id, PAYMENT_NOT_FOUND), InvoicePayment.invoice_id == key))
    if payment is None:
        get_invoice(session, actor=actor, invoice_id=key)  # a missing (or foreign) invoice is that 404 first
        raise NotFound(PAYMENT_NOT_FOUND)
    amount = payment.amount
    left = Invoice.paid_amount - amount
    stmt = scope_to_actor(update(Invoice), Invoice, actor).where(
        Invoice.id == key, Invoice.version == version, Invoice.paid_amount >= amount,
    ).values(paid_amount=left, status=case((left == 0, literal(PaymentStatus.unpaid.value)),
                                           else_=literal(PaymentStatus.partial.value)).cast(Invoice.status.type),
             paid_at=None, paid_by=None, payment_method=None, payment_note=None, version=Invoice.version + 1,
             updated_at=func.now()).returning(Invoice.id)
    if session.execute(stmt.execution_options(synchronize_session=False)).scalar() is None:
        raise _refusal(session, actor=actor, key=key, version=version, paying=False)
    # Under the invoice's row lock: a concurrent undo of this payment found a new version above and stopped.
    session.execute(delete(InvoicePayment).where(InvoicePayment.id == payment.id)
                    .execution_options(synchronize_session=False))
    session.expunge(payment)
    invoice = get_invoice(session, actor=actor, invoice_id=key)
    record_activity(session, actor=actor, action="invoice.undo_payment", resource="invoices", resource_id=key,
                    metadata={"period": invoice["period"], "customerId": str(invoice["customer_id"]),
                              "paymentId": str(payment_id), "amount": amount, "paidAmount": invoice["paid_amount"],
                              "version": invoice["version"]})
    return invoice


def mark_unpaid(session: Session, *, actor: User, invoice_id: uuid.UUID | str, version: int) -> dict:
    """Undo every payment if `version` is still current: back to unpaid, payment details cleared."""
    key = _invoice_key(invoice_id)
    stmt = scope_to_actor(update(Invoice), Invoice, actor).where(
        Invoice.id == key, Invoice.version == version, Invoice.status != PaymentStatus.unpaid,
    ).values(status=PaymentStatus.unpaid, paid_amount=0, paid_at=None, paid_by=None, payment_method=None,
             payment_note=None, version=Invoice.version + 1, updated_at=func.now()).returning(Invoice.id)
    if session.execute(stmt.execution_options(synchronize_session=False)).scalar() is None:
        raise _refusal(session, actor=actor, key=key, version=version, paying=False)
    undone = session.execute(delete(InvoicePayment).where(InvoicePayment.invoice_id == key)
                             .returning(InvoicePayment.amount).execution_options(synchronize_session=False)).scalars()
    invoice = get_invoice(session, actor=actor, invoice_id=key)
    record_activity(session, actor=actor, action="invoice.unpay", resource="invoices", resource_id=key, metadata={
        "period": invoice["period"], "customerId": str(invoice["customer_id"]),
        "totalAmount": invoice["total_amount"], "undoneAmount": sum(undone), "version": invoice["version"]})
    return invoice


def _refusal(session: Session, *, actor: User, key: uuid.UUID, version: int, paying: bool,
             amount: int | None = None) -> Exception:
    """Why a payment UPDATE matched nothing: missing (or not yours), stale version, already in that state, or more
    than is owed."""
    current = session.execute(scope_to_actor(
        select(Invoice.version, Invoice.status, Invoice.total_amount, Invoice.paid_amount).where(Invoice.id == key),
        Invoice, actor)).one_or_none()
    if current is None:
        return NotFound(NOT_FOUND)
    remaining = current.total_amount - current.paid_amount
    details = {"currentVersion": current.version, "status": current.status.value, "remainingAmount": remaining}
    # A stale version wins over "already paid": two admins paying at once is this case, and the UI's answer
    # to it is a refresh.
    if current.version != version:
        return Conflict(VERSION_CONFLICT, code="version_conflict", details=details)
    if paying and current.status == PaymentStatus.paid:
        return Conflict("Tagihan ini sudah dibayar.", code="already_paid", details=details)
    if paying:
        message = f"Jumlah bayar melebihi sisa tagihan ({rupiah(remaining)})."
        return Invalid(message, code="amount_exceeds_remaining",
                       details={**details, "fields": {"amount": [message]}})
    return Conflict("Tagihan ini belum dibayar.", code="not_paid", details=details)
