"""Generation and the daily run racing themselves on separate connections, with real commits."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select

from shared.db import session_scope
from shared.models import BillingRun, Customer, Invoice, Package
from shared.services import billing
from shared.services.periods import h1_target
from shared.timeutil import WIB

CUSTOMERS = 300
# A day far from any real run; its H-1 target is billing date 26 (few other tests use it).
RACE_DAY = date(2091, 1, 25)


@pytest.fixture
def committed_customers(committed_world):
    with session_scope() as session:
        package = session.scalars(select(Package).where(Package.name == committed_world.package_name)).one()
        session.execute(Customer.__table__.insert(), [
            {"owner_id": committed_world.mitra_id, "package_id": package.id, "name": f"Balapan {n}",
             "phone": f"628139{n:07d}", "billing_date": 26, "discount": 0, "total_bill": package.price}
            for n in range(CUSTOMERS)])
    yield committed_world
    with session_scope() as session:
        session.execute(delete(BillingRun).where(BillingRun.run_date.between(date(2091, 1, 1), date(2091, 12, 31))))


def race(*works) -> list:
    """Run each unit of work in its own thread and transaction, all released at once; their results."""
    start = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(n: int) -> None:
        start.wait()
        try:
            with session_scope() as session:
                results[n] = works[n](session)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def invoice_count(owner_id, period: str) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Invoice).where(
            Invoice.owner_id == owner_id, Invoice.period == period))


def test_two_concurrent_generations_create_each_invoice_once(committed_customers):
    owner = committed_customers.mitra_id
    generate = lambda session: billing.generate_invoices(session, period="2091-03", owner_id=owner)
    results = race(generate, generate)
    assert sum(r["created"] for r in results) == CUSTOMERS
    assert invoice_count(owner, "2091-03") == CUSTOMERS


def test_manual_generation_beside_the_daily_run_never_duplicates(committed_customers):
    owner = committed_customers.mitra_id
    _, _, period = h1_target(RACE_DAY)
    outcomes = race(lambda session: billing.generate_invoices(session, period=period, owner_id=owner),
                         lambda session: billing.run_h1_day(session, run_date=RACE_DAY))
    assert all(outcome["period"] == period for outcome in outcomes)
    assert invoice_count(owner, period) == CUSTOMERS


def test_two_concurrent_daily_runs_do_the_day_once(committed_customers):
    owner = committed_customers.mitra_id
    now = datetime(RACE_DAY.year, RACE_DAY.month, RACE_DAY.day, 6, 0, tzinfo=WIB)
    with session_scope() as session:  # the day before was done, so only RACE_DAY is owed
        session.add(BillingRun(run_date=date(2091, 1, 24), due_date=date(2091, 1, 25), period="2091-02",
                               created_count=0, reminder_count=0))
    daily = lambda session: billing.run_daily_billing(session, now=now)
    results = race(daily, daily)
    assert sorted(len(r) for r in results) == [0, 1]
    done, = next(r for r in results if r)
    assert done["runDate"] == "2091-01-25" and done["created"] >= CUSTOMERS
    _, _, period = h1_target(RACE_DAY)
    assert invoice_count(owner, period) == CUSTOMERS
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(BillingRun)
                              .where(BillingRun.run_date == RACE_DAY)) == 1
