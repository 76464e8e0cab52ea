"""Seed the large benchmark data set: 100k customers over 50 mitra with 12 months of invoices (~1.2M rows).

1M customers (`--customers 1000000`) are spread over 500 mitra of 2,000 (see CUSTOMERS_PER_MITRA); `--mitra`
sets another spread.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.seed_large [--customers N]

Recreates the scratch database `<name>_bench` next to DATABASE_URL's (dropped first, migrated with Alembic), so
the development data is never touched. Everything is set-based SQL (`INSERT ... SELECT generate_series`);
invoice indexes are dropped during the bulk insert and rebuilt after, as a restore would, and the
rollups (invoice_monthly_totals, invoice_daily_totals, customer_monthly_counts: replica mode skips their triggers)
are built in one GROUP BY each.
The invoices cover the 12 periods up to and including the current month (WIB); next month is left for the
generation benchmark (bench/bench_generation.py).
"""

import argparse
import time

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, make_url, text

from shared.config import REPO_ROOT, get_settings
from shared.models import Invoice
from shared.services.periods import add_months, format_period
from shared.timeutil import today_wib

MITRA = 50
# Customers per mitra beyond 100k: one WhatsApp number sends at most 300 paced messages a day (8,400 a month,
# shared/wa/pacing.py), so a mitra's H-1 reminders fit only up to a few thousand customers; the spec's mitra have
# "hundreds to thousands". A 1M data set is 500 mitra of 2,000, not 50 of 20,000.
CUSTOMERS_PER_MITRA = 2_000


def mitra_for(customers: int) -> int:
    """How many mitra share `customers`: MITRA, or one per CUSTOMERS_PER_MITRA when that is more."""
    return max(MITRA, -(-customers // CUSTOMERS_PER_MITRA))
MONTHS = 12
PACKAGES = [("Paket 10 Mbps", "10 Mbps", 100_000), ("Paket 20 Mbps", "20 Mbps", 150_000),
            ("Paket 30 Mbps", "30 Mbps", 200_000), ("Paket 50 Mbps", "50 Mbps", 250_000),
            ("Paket 100 Mbps", "100 Mbps", 350_000)]


def bench_url(suffix: str = "bench"):
    """The scratch database `<name>_<suffix>` next to DATABASE_URL's (the seeded data set: `_bench`)."""
    url = make_url(get_settings().sqlalchemy_url)
    return url.set(database=f"{url.database}_{suffix}")


def drop_database(url) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def recreate_database(url=None) -> Engine:
    """Drop and create the scratch database (default: the seeded data set's), migrated to head."""
    url = url or bench_url()
    drop_database(url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = create_engine(url)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return engine


def seed(engine: Engine, customers: int, mitra: int | None = None) -> dict:
    mitra = mitra or mitra_for(customers)
    this_month = today_wib().replace(day=1)
    first_period = add_months(this_month, -(MONTHS - 1))
    timings = {}
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        # Consistent by construction: skip the per-row foreign key triggers, as pg_restore does.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        started = time.perf_counter()
        # The password hash is a placeholder: nobody logs in to the bench database.
        conn.execute(text("""
            INSERT INTO users (username, password_hash, name, role, business_name)
            VALUES ('bench_admin', 'x', 'Bench Admin', 'superadmin', 'FiberNode Pusat')"""))
        conn.execute(text("""
            INSERT INTO users (username, password_hash, name, role, business_name)
            SELECT 'mitra' || n, 'x', 'Mitra ' || n, 'mitra', 'WiFi Area ' || n FROM generate_series(1, :n) n"""),
                     {"n": mitra})
        for name, speed, price in PACKAGES:
            conn.execute(text("INSERT INTO packages (name, speed, price) VALUES (:name, :speed, :price)"),
                         {"name": name, "speed": speed, "price": price})
        # Customers spread evenly over the mitra, billing dates 1..28, five packages; 3% isolated, 2% inactive.
        conn.execute(text("""
            WITH owners AS (SELECT id, row_number() OVER (ORDER BY username) - 1 AS k FROM users
                            WHERE role = 'mitra'),
                 pkgs AS (SELECT id, price, row_number() OVER (ORDER BY price) - 1 AS k FROM packages)
            INSERT INTO customers (owner_id, package_id, name, phone, nik, billing_date, discount, total_bill,
                                   status, register_date)
            SELECT o.id, p.id, 'Pelanggan ' || n, '6281' || lpad(n::text, 9, '0'), lpad(n::text, 16, '3'),
                   n % 28 + 1, d.discount, p.price - d.discount,
                   (CASE WHEN n % 100 < 3 THEN 'isolated' WHEN n % 100 < 5 THEN 'inactive' ELSE 'active' END)
                       ::customer_status,
                   DATE '2024-01-01' + (n % 600)
            FROM generate_series(1, :customers) n
            JOIN owners o ON o.k = n % :mitra
            JOIN pkgs p ON p.k = (n / 7) % 5
            CROSS JOIN LATERAL (SELECT CASE WHEN n % 10 = 0 THEN 10000 ELSE 0 END AS discount) d"""),
                     {"customers": customers, "mitra": mitra})
        conn.execute(text("""
            INSERT INTO customer_monthly_counts (owner_id, register_month, status, customer_count)
            SELECT owner_id, date_trunc('month', register_date)::date, status, count(*) FROM customers
            GROUP BY 1, 2, 3"""))
        timings["customers"] = time.perf_counter() - started

        started = time.perf_counter()
        indexes = [index for index in Invoice.__table__.indexes]
        for index in indexes:
            index.drop(conn)
        conn.execute(text("ALTER TABLE invoices DROP CONSTRAINT uq_invoices_receipt_token"))
        # Twelve periods per customer; older periods mostly paid (by the owner, cash or transfer),
        # the current period mostly unpaid. Tokens are random like generation's.
        conn.execute(text("""
            INSERT INTO invoices (customer_id, owner_id, period, amount, discount, total_amount, status, paid_amount,
                                  paid_at, paid_by, payment_method, due_date, receipt_token, receipt_url, version)
            SELECT customer_id, owner_id, to_char(period, 'YYYY-MM'), price, discount, price - discount,
                   status::payment_status, CASE WHEN status = 'paid' THEN price - discount ELSE 0 END,
                   CASE WHEN status = 'paid' THEN (due + 1)::timestamp AT TIME ZONE 'Asia/Jakarta' END,
                   CASE WHEN status = 'paid' THEN owner_id END,
                   CASE WHEN status = 'paid' THEN (ARRAY['cash', 'transfer', 'qris'])[1 + (g % 3)] END,
                   due, token, '/receipt/' || token, CASE WHEN status = 'paid' THEN 2 ELSE 1 END
            FROM (
                SELECT c.id AS customer_id, c.owner_id, c.discount, p.price, g,
                       (CAST(:first AS date) + make_interval(months => g))::date AS period,
                       (CAST(:first AS date) + make_interval(months => g - 1))::date + (c.billing_date - 1) AS due,
                       CASE WHEN g = :months - 1 AND random() < 0.7 THEN 'unpaid'
                            WHEN random() < 0.08 THEN 'unpaid' ELSE 'paid' END AS status,
                       replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') AS token
                FROM customers c
                JOIN packages p ON p.id = c.package_id
                CROSS JOIN generate_series(0, :months - 1) g
                WHERE c.status <> 'inactive' OR g < :months - 3
            ) rows"""), {"months": MONTHS, "first": first_period})
        timings["invoices"] = time.perf_counter() - started
        started = time.perf_counter()
        for index in indexes:
            index.create(conn)
        conn.execute(text("ALTER TABLE invoices ADD CONSTRAINT uq_invoices_receipt_token UNIQUE (receipt_token)"))
        timings["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(text("""
            INSERT INTO invoice_monthly_totals (owner_id, due_month, period, status, invoice_count, total_amount,
                                                paid_amount)
            SELECT owner_id, date_trunc('month', due_date)::date, period, status, count(*), sum(total_amount),
                   sum(paid_amount)
            FROM invoices GROUP BY 1, 2, 3, 4"""))
        conn.execute(text("""
            INSERT INTO invoice_daily_totals (due_date, owner_id, status, invoice_count, total_amount, paid_amount)
            SELECT due_date, owner_id, status, count(*), sum(total_amount), sum(paid_amount)
            FROM invoices GROUP BY 1, 2, 3"""))
        # One payment per paid invoice, as paying through the API records; triggers are off here, so the
        # per-day totals are filled the way migration 0013's triggers would have.
        conn.execute(text("""
            INSERT INTO invoice_payments (invoice_id, owner_id, amount, payment_method, paid_at, paid_by)
            SELECT id, owner_id, paid_amount, payment_method, paid_at, paid_by FROM invoices WHERE paid_amount > 0"""))
        conn.execute(text("""
            INSERT INTO payment_daily_totals (owner_id, day, payment_count, amount)
            SELECT owner_id, (paid_at AT TIME ZONE 'Asia/Jakarta')::date, count(*), sum(amount)
            FROM invoice_payments GROUP BY 1, 2"""))
        timings["rollup"] = time.perf_counter() - started
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        started = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        timings["analyze"] = time.perf_counter() - started
        counts = conn.execute(text("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM invoices)")).one()
    return {"customers": counts[0], "invoices": counts[1], "periods": f"{format_period(first_period)}.."
            f"{format_period(this_month)}", **{f"{key}_s": round(value, 2) for key, value in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--mitra", type=int, help=f"mitra sharing them (default: {MITRA}, or one per "
                                                  f"{CUSTOMERS_PER_MITRA:,} customers when that is more)")
    args = parser.parse_args()
    started = time.perf_counter()
    engine = recreate_database()
    migrated = time.perf_counter() - started
    result = seed(engine, args.customers, args.mitra)
    engine.dispose()
    print(f"database {bench_url().database}: created and migrated in {migrated:.1f} s")
    print(f"customers: {result['customers']:,} in {result['customers_s']} s")
    print(f"invoices:  {result['invoices']:,} ({result['periods']}) in {result['invoices_s']} s, "
          f"indexes rebuilt in {result['indexes_s']} s, rollup built in {result['rollup_s']} s, "
          f"VACUUM ANALYZE {result['analyze_s']} s")
    print(f"total: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
