# ruff: noqa: F811 — the imported fixtures are requested as parameters
"""invoice_monthly_totals and invoice_daily_totals equal the GROUP BY over invoices after every kind of write,
concurrent pays included."""

import threading
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update

from shared.db import session_scope
from shared.models import Customer, Invoice, InvoiceMonthlyTotal, Package, PaymentStatus, User
from shared.services import billing, customers, invoices
from tests.fixtures.imports import committed_world  # noqa: F401  (committed owners, cleaned up afterwards)
from tests.fixtures.invoices import make_invoice  # noqa: F401

# Both sides in one statement, so one snapshot: other sessions committing meanwhile cannot make them differ.
# Rows left at zero by deletes are not mismatches; every other difference is returned.
MISMATCHES = text("""
    WITH raw AS (
        SELECT owner_id, date_trunc('month', due_date)::date AS due_month, period, status,
               count(*) AS invoice_count, sum(total_amount) AS total_amount, sum(paid_amount) AS paid_amount
        FROM invoices GROUP BY 1, 2, 3, 4),
    rolled AS (
        SELECT owner_id, due_month, period, status, invoice_count, total_amount, paid_amount
        FROM invoice_monthly_totals
        WHERE invoice_count <> 0 OR total_amount <> 0 OR paid_amount <> 0)
    SELECT owner_id, due_month, period, status, raw.invoice_count AS raw_count, rolled.invoice_count AS rolled_count,
           raw.total_amount AS raw_total, rolled.total_amount AS rolled_total, raw.paid_amount AS raw_paid,
           rolled.paid_amount AS rolled_paid
    FROM raw FULL JOIN rolled USING (owner_id, due_month, period, status)
    WHERE raw.invoice_count IS DISTINCT FROM rolled.invoice_count
       OR raw.total_amount IS DISTINCT FROM rolled.total_amount
       OR raw.paid_amount IS DISTINCT FROM rolled.paid_amount""")


DAILY_MISMATCHES = text("""
    WITH raw AS (
        SELECT due_date, owner_id, status, count(*) AS invoice_count, sum(total_amount) AS total_amount,
               sum(paid_amount) AS paid_amount
        FROM invoices GROUP BY 1, 2, 3),
    rolled AS (
        SELECT due_date, owner_id, status, invoice_count, total_amount, paid_amount FROM invoice_daily_totals
        WHERE invoice_count <> 0 OR total_amount <> 0 OR paid_amount <> 0)
    SELECT due_date, owner_id, status, raw.invoice_count AS raw_count, rolled.invoice_count AS rolled_count,
           raw.total_amount AS raw_total, rolled.total_amount AS rolled_total, raw.paid_amount AS raw_paid,
           rolled.paid_amount AS rolled_paid
    FROM raw FULL JOIN rolled USING (due_date, owner_id, status)
    WHERE raw.invoice_count IS DISTINCT FROM rolled.invoice_count
       OR raw.total_amount IS DISTINCT FROM rolled.total_amount
       OR raw.paid_amount IS DISTINCT FROM rolled.paid_amount""")


def assert_rollup_exact(session) -> None:
    """Both rollups (monthly, migration 0004; daily, 0019) equal the invoices."""
    assert session.execute(MISMATCHES).all() == []
    assert session.execute(DAILY_MISMATCHES).all() == []


def rollup_of(session, owner: User) -> dict:
    """The owner's non-zero rollup rows as {(due month, period, status): (count, total)}."""
    rows = session.execute(select(InvoiceMonthlyTotal).where(InvoiceMonthlyTotal.owner_id == owner.id,
                                                             InvoiceMonthlyTotal.invoice_count != 0)).scalars()
    return {(row.due_month, row.period, row.status.value): (row.invoice_count, row.total_amount) for row in rows}


@pytest.fixture
def billed(db, mitra, other_mitra, make_customer, make_package):
    """Five customers of one mitra and two of another, with March 2031 invoices made by generation (due Feb)."""
    cheap, dear = make_package(price=100_000), make_package(price=250_000)
    for index in range(5):
        make_customer(owner=mitra, package=cheap if index % 2 else dear, billing_date=index + 1,
                      discount=10_000 if index == 0 else 0)
    for index in range(2):
        make_customer(owner=other_mitra, package=cheap, billing_date=28)
    for owner in (mitra, other_mitra):  # one owner at a time: other sessions' committed customers are not ours
        billing.generate_invoices(db, period="2031-03", owner_id=owner.id)
    return {"mitra": mitra, "other": other_mitra}


def _invoices_of(db, owner: User) -> list[Invoice]:
    return list(db.scalars(select(Invoice).where(Invoice.owner_id == owner.id).order_by(Invoice.due_date)))


def test_generation_insert_select_is_rolled_up(db, billed):
    assert rollup_of(db, billed["mitra"]) == {(date(2031, 2, 1), "2031-03", "unpaid"): (5, 240_000 + 200_000 + 500_000)}
    assert rollup_of(db, billed["other"]) == {(date(2031, 2, 1), "2031-03", "unpaid"): (2, 200_000)}
    assert_rollup_exact(db)


def test_generating_again_adds_nothing(db, billed):
    before = rollup_of(db, billed["mitra"])
    assert billing.generate_invoices(db, period="2031-03", owner_id=billed["mitra"].id)["created"] == 0
    assert rollup_of(db, billed["mitra"]) == before
    assert_rollup_exact(db)


def test_pay_and_unpay_move_money_between_statuses(db, billed):
    mitra = billed["mitra"]
    first = _invoices_of(db, mitra)[0]
    paid = invoices.mark_paid(db, actor=mitra, invoice_id=first.id, version=1, payment_method="cash")
    key = (date(2031, 2, 1), "2031-03")
    assert rollup_of(db, mitra)[(*key, "paid")] == (1, first.total_amount)
    assert rollup_of(db, mitra)[(*key, "unpaid")] == (4, 940_000 - first.total_amount)
    assert_rollup_exact(db)
    invoices.mark_unpaid(db, actor=mitra, invoice_id=first.id, version=paid["version"])
    assert rollup_of(db, mitra) == {(*key, "unpaid"): (5, 940_000)}
    assert_rollup_exact(db)


def _paid_of(session, owner: User) -> dict:
    rows = session.execute(select(InvoiceMonthlyTotal).where(InvoiceMonthlyTotal.owner_id == owner.id)).scalars()
    return {row.status.value: row.paid_amount for row in rows if row.invoice_count}


def test_part_payments_and_their_undo_keep_the_rollups_paid_amount_exact(db, billed):
    mitra = billed["mitra"]
    first = _invoices_of(db, mitra)[0]
    part = invoices.record_payment(db, actor=mitra, invoice_id=first.id, version=1, amount=40_000,
                                   payment_method="cash")
    assert _paid_of(db, mitra) == {"partial": 40_000, "unpaid": 0}
    assert_rollup_exact(db)
    rest = invoices.mark_paid(db, actor=mitra, invoice_id=first.id, version=part["version"], payment_method="cash")
    assert _paid_of(db, mitra) == {"paid": first.total_amount, "unpaid": 0}
    assert_rollup_exact(db)
    undone = invoices.undo_payment(db, actor=mitra, invoice_id=first.id, payment_id=rest["payments"][0]["id"],
                                   version=rest["version"])
    assert _paid_of(db, mitra) == {"partial": first.total_amount - 40_000, "unpaid": 0}
    assert_rollup_exact(db)
    invoices.mark_unpaid(db, actor=mitra, invoice_id=first.id, version=undone["version"])
    assert _paid_of(db, mitra) == {"unpaid": 0}
    assert_rollup_exact(db)


def test_partial_status_and_total_edits(db, billed):
    mitra = billed["mitra"]
    one, two = _invoices_of(db, mitra)[:2]
    db.execute(update(Invoice).where(Invoice.id == one.id).values(status=PaymentStatus.partial))
    db.execute(update(Invoice).where(Invoice.id == two.id).values(discount=Invoice.discount + 5_000,
                                                                   total_amount=Invoice.total_amount - 5_000))
    key = (date(2031, 2, 1), "2031-03")
    assert rollup_of(db, mitra)[(*key, "partial")] == (1, one.total_amount)
    assert rollup_of(db, mitra)[(*key, "unpaid")] == (4, 940_000 - one.total_amount - 5_000)
    assert_rollup_exact(db)


def test_one_statement_changing_many_rows_and_several_columns(db, billed):
    mitra, other = billed["mitra"], billed["other"]
    # Every invoice of the mitra paid, its total halved, and moved a month later, in one UPDATE.
    db.execute(update(Invoice).where(Invoice.owner_id == mitra.id).values(
        status=PaymentStatus.paid, total_amount=Invoice.total_amount // 2, due_date=Invoice.due_date + 31))
    assert rollup_of(db, mitra) == {(date(2031, 3, 1), "2031-03", "paid"): (5, 470_000)}
    assert rollup_of(db, other) == {(date(2031, 2, 1), "2031-03", "unpaid"): (2, 200_000)}
    assert_rollup_exact(db)


def test_owner_due_date_and_period_changes(db, billed):
    mitra, other = billed["mitra"], billed["other"]
    one, two, three = _invoices_of(db, mitra)[:3]
    db.execute(update(Invoice).where(Invoice.id == one.id).values(owner_id=other.id))
    db.execute(update(Invoice).where(Invoice.id == two.id).values(due_date=date(2030, 12, 31)))
    db.execute(update(Invoice).where(Invoice.id == three.id).values(period="2031-04"))
    assert rollup_of(db, other)[(date(2031, 2, 1), "2031-03", "unpaid")] == (3, 200_000 + one.total_amount)
    assert rollup_of(db, mitra) == {
        (date(2031, 2, 1), "2031-03", "unpaid"): (2, 940_000 - one.total_amount - two.total_amount - three.total_amount),
        (date(2030, 12, 1), "2031-03", "unpaid"): (1, two.total_amount),
        (date(2031, 2, 1), "2031-04", "unpaid"): (1, three.total_amount),
    }
    assert_rollup_exact(db)


def test_bookkeeping_updates_leave_the_rollup_rows_untouched(db, billed):
    mitra = billed["mitra"]
    versions = text("SELECT xmin::text FROM invoice_monthly_totals WHERE owner_id = :owner ORDER BY 1")
    before = db.scalars(versions, {"owner": mitra.id}).all()
    db.execute(update(Invoice).where(Invoice.owner_id == mitra.id).values(
        reminder_sent_at=func.now(), version=Invoice.version + 1))
    # No net change, so no upsert: the rows are not rewritten (nor locked) by reminder bookkeeping.
    assert db.scalars(versions, {"owner": mitra.id}).all() == before
    assert_rollup_exact(db)


def test_invoice_delete(db, billed):
    mitra = billed["mitra"]
    first = _invoices_of(db, mitra)[0]
    db.execute(delete(Invoice).where(Invoice.id == first.id))
    assert rollup_of(db, mitra) == {(date(2031, 2, 1), "2031-03", "unpaid"): (4, 940_000 - first.total_amount)}
    assert_rollup_exact(db)


def test_customer_delete_cascades_to_the_rollup(db, billed, superadmin):
    mitra, other = billed["mitra"], billed["other"]
    victim = db.scalars(select(Customer).where(Customer.owner_id == other.id)).first()
    customers.delete_customer(db, actor=superadmin, customer_id=victim.id)  # ORM delete; invoices by cascade
    assert rollup_of(db, other) == {(date(2031, 2, 1), "2031-03", "unpaid"): (1, 100_000)}
    db.execute(delete(Customer).where(Customer.owner_id == mitra.id))  # one statement, many cascaded invoices
    assert rollup_of(db, mitra) == {}
    assert_rollup_exact(db)


def test_invoices_made_one_by_one_across_months_and_years(db, mitra, make_customer, make_invoice):
    customer = make_customer(owner=mitra)
    for due, status in [(date(2030, 1, 31), "paid"), (date(2030, 2, 1), "partial"), (date(2030, 12, 5), "unpaid"),
                        (date(2031, 1, 5), "paid")]:
        make_invoice(customer=customer, due=due, status=status)
    assert rollup_of(db, mitra) == {
        (date(2030, 1, 1), "2030-02", "paid"): (1, 100_000), (date(2030, 2, 1), "2030-03", "partial"): (1, 100_000),
        (date(2030, 12, 1), "2031-01", "unpaid"): (1, 100_000), (date(2031, 1, 1), "2031-02", "paid"): (1, 100_000)}
    assert_rollup_exact(db)


PAYERS = 20


def test_twenty_concurrent_pays_of_one_owners_month_lose_nothing(committed_world):
    with session_scope() as session:
        package = session.scalars(select(Package).where(Package.name == committed_world.package_name)).one()
        for index in range(PAYERS):
            session.add(Customer(owner_id=committed_world.mitra_id, package_id=package.id, name=f"Serentak {index}",
                                 phone=f"62813888{index:05d}", billing_date=12, discount=0, total_bill=package.price))
        session.flush()
        billing.generate_invoices(session, period="2032-05", owner_id=committed_world.mitra_id)
        invoice_ids = session.scalars(select(Invoice.id).where(Invoice.owner_id == committed_world.mitra_id)).all()
    assert len(invoice_ids) == PAYERS

    start = threading.Barrier(PAYERS, timeout=30)
    errors = []

    def pay(invoice_id) -> None:
        try:
            with session_scope() as session:
                actor = session.get(User, committed_world.mitra_id)
                start.wait()
                invoices.mark_paid(session, actor=actor, invoice_id=invoice_id, version=1, payment_method="cash")
        except Exception as exc:  # noqa: BLE001 — reported below, with the others
            errors.append(repr(exc))

    threads = [threading.Thread(target=pay, args=(invoice_id,)) for invoice_id in invoice_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    with session_scope() as session:
        owner = session.get(User, committed_world.mitra_id)
        assert rollup_of(session, owner) == {(date(2032, 4, 1), "2032-05", "paid"): (PAYERS, PAYERS * 100_000)}
        assert_rollup_exact(session)
