"""Fixed cost of one authenticated request (JWT, user lookup, schema, JSON): GET /api/auth/me, budget p50 <= 2 ms.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_request_cost [--requests N]

Through the Flask test client (routing, every before/after-request hook, the user's query, the response schema and
JSON), against the seeded data set `<name>_bench` (`python -m bench.seed_large` first), as the superadmin with a
token bound to a live session (`sid`), as the PWA's tokens are. Rate limits are off: their Redis round trip is a
deployment cost, not the application's. Prints p50/p95 and the share of the one SQL statement.
"""

import argparse
import logging
import statistics
import time

from flask_jwt_extended import create_access_token
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from bench._budget import budget
from bench.seed_large import bench_url
from shared.config import get_settings
from shared.db import SESSION_OPTIONS
from shared.models import User
from shared.services.auth import issue_refresh_token

PATH = "/api/auth/me"
BUDGET_MS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()

    from api.app import create_app, freeze_startup_heap

    engine = create_engine(bench_url(), pool_size=2, connect_args={"options": SESSION_OPTIONS})
    with engine.connect() as conn:
        admin_id = conn.scalar(text("SELECT id FROM users WHERE role = 'superadmin' ORDER BY created_at LIMIT 1"))
    if admin_id is None:
        raise SystemExit("No data: run `python -m bench.seed_large` first.")
    with Session(engine) as session:  # a live session (refresh-token family) for the token's `sid`
        admin = session.get(User, admin_id)
        issue_refresh_token(session, user=admin, ip="127.0.0.1", user_agent="bench_request_cost")
        session.flush()
        family = session.scalar(text("SELECT family_id FROM refresh_tokens WHERE user_agent = 'bench_request_cost' "
                                     "ORDER BY created_at DESC LIMIT 1"))
        session.commit()
    settings = get_settings().model_copy(update={"rate_limit_enabled": False, "socketio_message_queue": False})
    app = create_app(settings, session_factory=sessionmaker(bind=engine, expire_on_commit=False))
    freeze_startup_heap()  # as api/wsgi.py does in production
    logging.getLogger("api.access").setLevel(logging.WARNING)
    with app.app_context():
        token = create_access_token(identity=str(admin_id), additional_claims={"role": "superadmin",
                                                                               "sid": str(family)})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    sql_ms: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        context._bench_started = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        sql_ms[-1] += (time.perf_counter() - context._bench_started) * 1000

    for _ in range(50):  # warm-up: imports, the connection pool, compiled-statement caches
        assert client.get(PATH, headers=headers).status_code == 200
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    samples = []
    for _ in range(args.requests):
        sql_ms.append(0.0)
        started = time.perf_counter()
        response = client.get(PATH, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.json
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM refresh_tokens WHERE user_agent = 'bench_request_cost'"))
    engine.dispose()
    ordered = sorted(samples)
    p50, p95 = statistics.median(ordered), ordered[round(0.95 * len(ordered)) - 1]
    print(f"GET {PATH} x {args.requests}: p50 {p50:.2f} ms, p95 {p95:.2f} ms; "
          f"its SQL {statistics.median(sql_ms):.2f} ms p50")
    budget("request.fixed_cost.p50", p50, BUDGET_MS, unit="ms")


if __name__ == "__main__":
    main()
