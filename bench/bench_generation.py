"""Time invoice generation on the large data set: the 06:00 job for one day's share, and a 100k manual run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.seed_large
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_generation

Runs on `<name>_bench` (made by bench.seed_large). Every measurement runs in its own transaction and is rolled
back, so the script can be repeated on the same data. Budgets (BUDGET lines, per 100k so the 1M run is held to
linear growth): generation of 100k invoices < 10 s; the 06:00 job for a day's share (generation + reminder
scheduling) < 3 s per 100k customers. Also prints the invoice list's service time at this size.
"""

import statistics
import time
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.orm import Session

from bench._budget import budget
from bench.seed_large import bench_url
from shared.models import BillingRun, Customer, CustomerStatus, Invoice, User, UserRole
from shared.services import billing
from shared.services.invoices import InvoiceFilters, list_invoices
from shared.services.periods import default_manual_period, h1_target
from shared.timeutil import WIB, today_wib


@contextmanager
def rolled_back(engine):
    with Session(engine) as session:
        try:
            yield session
        finally:
            session.rollback()


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    engine = create_engine(bench_url())
    with Session(engine) as session:
        customers = session.scalar(select(func.count()).select_from(Customer))
        active = session.scalar(select(func.count()).select_from(Customer)
                                .where(Customer.status == CustomerStatus.active))
        invoices = session.scalar(select(func.count()).select_from(Invoice))
    if not customers:
        raise SystemExit("No bench data: run `python -m bench.seed_large` first.")
    print(f"data: {customers:,} customers ({active:,} active), {invoices:,} invoices")

    today = today_wib()
    now = datetime(today.year, today.month, today.day, 6, 0, tzinfo=WIB)
    billing_date, due, period = h1_target(today)
    with rolled_back(engine) as session:
        session.execute(delete(BillingRun))  # as if the job never ran: today is owed (rolled back after)
        results, seconds = timed(lambda: billing.run_daily_billing(session, now=now))
    day = results[0]
    print(f"06:00 job for {today} (billing date {billing_date}, due {due}, period {period}): "
          f"{day['created']:,} invoices created, {day['reminders']:,} reminders scheduled in {seconds:.2f} s")
    budget("generation.daily_job.seconds_per_100k_customers", seconds * 100_000 / customers, 3, unit="s")

    period = default_manual_period()
    with rolled_back(engine) as session:
        first, seconds = timed(lambda: billing.generate_invoices(session, period=period))
        print(f"manual generation {period}: {first['created']:,} created in {seconds:.2f} s "
              f"({first['isolated']:,} isolated, {first['inactive']:,} inactive skipped)")
        budget("generation.manual.seconds_per_100k_invoices", seconds * 100_000 / max(first["created"], 1), 10,
               unit="s")
        again, seconds = timed(lambda: billing.generate_invoices(session, period=period))
        print(f"manual generation {period} again (idempotent): {again['created']:,} created, "
              f"{again['skipped']:,} skipped in {seconds:.2f} s")
        session.execute(delete(BillingRun))
        _, seconds = timed(lambda: billing.run_daily_billing(session, now=now))
        print(f"06:00 job right after the manual run (invoices exist, reminders only): {seconds:.2f} s")

    with Session(engine) as session:
        superadmin = session.scalars(select(User).where(User.role == UserRole.superadmin)).first()
        mitra = session.scalars(select(User).where(User.role == UserRole.mitra)).first()
        for actor in (superadmin, mitra):
            for label, filters in [("default", InvoiceFilters()), ("this period", InvoiceFilters(
                    period=f"{today.year}-{today.month:02d}")), ("search", InvoiceFilters(q="Pelanggan 12"))]:
                samples = []
                for _ in range(30):
                    started = time.perf_counter()
                    list_invoices(session, actor=actor, filters=filters)
                    samples.append((time.perf_counter() - started) * 1000)
                samples.sort()
                print(f"list_invoices as {actor.role.value:10} {label:12} p50 {statistics.median(samples):6.1f} ms"
                      f"  p95 {samples[int(len(samples) * 0.95) - 1]:6.1f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
