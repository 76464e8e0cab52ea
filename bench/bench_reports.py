"""p50/p95 of the list, dashboard and finance endpoints against the large data set, beside their SQL alone.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_reports [--requests N]

Reads the scratch database `<name>_bench` made by `python -m bench.seed_large` (100k customers, ~1.2M invoices);
run that first. Each endpoint is called through the Flask test client (routing, auth, schema, JSON included) as
the superadmin and as one mitra; then the exact statements that request ran are replayed on a bare connection.
The ratio API/SQL is the figure that matters (target: within 3x); the budget is p95 < 50 ms.
"""

import argparse
import functools
import statistics
import time

from flask_jwt_extended import create_access_token
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import sessionmaker

from bench._budget import budget
from bench.seed_large import bench_url
from shared.config import get_settings
from shared.db import SESSION_OPTIONS
from shared.services.finance import Month
from shared.timeutil import today_wib

BOTH = ("superadmin", "mitra")
# The searches (customer list, invoice list, header search) whose p95 has a budget: SEARCH_BUDGET_MS at 100k
# customers. Seeded names are "Pelanggan <n>", phones 6281 + n in 9 digits (customer 123 is 6281000000123).
SEARCHES = {
    "/api/customers?q=Pelanggan%20123": "customers.name_words",     # two words: every name has the first
    "/api/customers?q=pelanggan": "customers.name_every_row",       # a word of every name: 100k matches
    "/api/customers?q=0810000123": "customers.phone_prefix",        # local form 0810000123 -> 62810000123...
    "/api/customers?q=%2B62%20810%20000%204": "customers.phone_prefix_intl",  # +62 810 000 4 -> 628100004...
    "/api/customers?q=4567": "customers.phone_suffix",              # last four digits: 10 at 100k
    "/api/invoices?q=Pelanggan%20123": "invoices.name_words",
    "/api/invoices?q=4567": "invoices.phone_suffix",
    "/api/search?q=Pelanggan%20123": "header.name_words",
    "/api/search?q=0810000123": "header.phone_prefix",
}
SEARCH_BUDGET_MS = 20
SEARCH_BUDGET_1M_MS = 50  # the budget at 1M customers (`seed_large --customers 1000000`)
# The other pages a user opens all day (lists, dashboard, bell, collector's day, reports): p95 under this.
PAGE_BUDGET_MS = 50


def endpoints(today) -> list[tuple[str, tuple[str, ...]]]:
    """The requests measured: list pages (plain, searched, one period) and every report, as whoever may call it.

    The seed's latest due month is last month (this month's invoices are the generation bench's), so the reports
    are also asked for last month: as a whole month, and as a range that cuts it (summed over the invoices).
    """
    last = Month.of(today).shift(-1)
    whole = f"from={last.start}&to={last.end}"
    cut = f"from={last.start.replace(day=11)}&to={last.start.replace(day=20)}"
    day = last.start.replace(day=min(today.day, 28))
    return [
        ("/api/customers", BOTH),
        *[(path, BOTH) for path in SEARCHES],
        ("/api/invoices", BOTH),
        (f"/api/invoices?period={today:%Y-%m}", BOTH),
        ("/api/dashboard/stats", BOTH),
        ("/api/dashboard/today", BOTH),  # the collector's day on the phone dashboard
        ("/api/notifications", BOTH),    # the header bell, asked on every page
        ("/api/finance/summary", BOTH),
        (f"/api/finance/summary?{whole}", BOTH),
        (f"/api/finance/summary?{cut}", BOTH),
        (f"/api/finance/summary?period={today:%Y-%m}", BOTH),
        ("/api/finance/by-period?view=month", BOTH),
        ("/api/finance/by-period?view=year", BOTH),
        (f"/api/finance/by-date?date={day}", BOTH),
        (f"/api/finance/by-mitra?{whole}", ("superadmin",)),
    ]


def _budget_name(path: str) -> str:
    """`/api/finance/by-period?view=month` -> `finance.by-period.view=month` (no spaces: one BUDGET field)."""
    route, _, query = path.removeprefix("/api/").partition("?")
    name = route.replace("/", ".")
    if query:
        name += "." + query.replace("&", ",")
    return name


def replay(engine, statements: list, repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` replays of a request's statements (from capture) on a bare connection,
    rolled back after: the request's SQL alone."""
    samples = []
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for _ in range(repeats):
            started = time.perf_counter()
            with raw.cursor() as cursor:
                for statement, parameters in statements:
                    cursor.execute(statement, parameters)
                    if cursor.description is not None:  # SET LOCAL returns no rows
                        cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        conn.rollback()
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def capture(engine, call):
    """Run `call` and return the statements (with parameters) it sent to the database, and its result."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        return statements, call()
    finally:
        event.remove(engine, "before_cursor_execute", record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", default="", help="measure only the endpoints whose path contains this")
    args = parser.parse_args()

    from api.app import create_app, freeze_startup_heap

    engine = create_engine(bench_url(), pool_size=2, connect_args={"options": SESSION_OPTIONS})
    with engine.connect() as conn:
        invoices = conn.scalar(text("SELECT count(*) FROM invoices"))
        if not invoices:
            raise SystemExit("No data: run `python -m bench.seed_large` first.")
        customers = conn.scalar(text("SELECT count(*) FROM customers"))
        admin_id = conn.scalar(text("SELECT id FROM users WHERE role = 'superadmin' ORDER BY created_at LIMIT 1"))
        mitra_id, mitra_customers = conn.execute(text(
            "SELECT owner_id, count(*) FROM customers GROUP BY owner_id ORDER BY 2 DESC LIMIT 1")).one()
    settings = get_settings().model_copy(update={"rate_limit_enabled": False, "socketio_message_queue": False})
    app = create_app(settings, session_factory=sessionmaker(bind=engine, expire_on_commit=False))
    freeze_startup_heap()  # as api/wsgi.py does in production
    with app.app_context():
        tokens = {role: create_access_token(identity=str(user_id))
                  for role, user_id in (("superadmin", admin_id), ("mitra", mitra_id))}
    client = app.test_client()
    print(f"data: {customers:,} customers, {invoices:,} invoices; mitra with {mitra_customers:,} customers; "
          f"{args.requests} requests each\n")
    print(f"{'endpoint':<58} {'role':<11} {'API p50':>8} {'API p95':>8} {'SQL p50':>8} {'SQL p95':>8} "
          f"{'ratio':>6} {'queries':>7}")
    budgets = []
    for path, roles in endpoints(today_wib()):
        if args.only not in path:
            continue
        for role in roles:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            statements, response = capture(engine, functools.partial(client.get, path, headers=headers))
            assert response.status_code == 200, (path, role, response.json)
            for _ in range(3):  # warm caches and the connection pool
                client.get(path, headers=headers)
            api = []
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(path, headers=headers)
                api.append((time.perf_counter() - started) * 1000)
            sql = replay(engine, statements, args.requests)
            (api50, api95), (sql50, sql95) = percentiles(api), percentiles(sql)
            print(f"{path:<58} {role:<11} {api50:>6.1f}ms {api95:>6.1f}ms {sql50:>6.1f}ms {sql95:>6.1f}ms "
                  f"{api50 / sql50:>5.2f}x {len(statements):>7}")
            if path in SEARCHES:
                budgets.append((f"search.{SEARCHES[path]}.{role}.p95", api95,
                                SEARCH_BUDGET_MS if customers <= 200_000 else SEARCH_BUDGET_1M_MS))
            else:
                budgets.append((f"page.{_budget_name(path)}.{role}.p95", api95, PAGE_BUDGET_MS))
    for name, measured, target in budgets:
        budget(name, measured, target, unit="ms")
    engine.dispose()


if __name__ == "__main__":
    main()
