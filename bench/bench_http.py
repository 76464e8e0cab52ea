"""The production server over HTTP: gunicorn (api/gunicorn_conf.py) driven by wrk at concurrency 1 and 16.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_http \
        [--seconds 5] [--port 8000] [--workers N --threads N]

Starts gunicorn with the project's config on 127.0.0.1 against the seeded data set `<name>_bench`
(`python -m bench.seed_large` first), rate limits off. wrk (Debian package `wrk`) sends the Authorization bearer
header; a Lua `done` hook prints p50/p95/p99 and requests/s. Beside each endpoint, its SQL alone: the statements the
request ran (captured once through the Flask test client), replayed on a bare connection.

Budgets, per endpoint and role:
- c16 throughput >= 1.5x c1's: 16 clients on 2 cores must use both (one gthread worker capped it at one core, and
  the issue measured 2-4x at c8 with p95 3-8x p50).
- c16 p95 < 3x c16 p50: no request stalls far behind the others (the issue measured p95/p99 3-8x p50 under load).
  An absolute p95 at c16 is not a budget here: by Little's law it is 16 / (req/s), i.e. set by the 2 shared
  cores, and the single-request budgets (bench_reports, issue 12's 20 ms search) already bound the work.
"""

import argparse
import concurrent.futures
import functools
import logging
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from flask_jwt_extended import create_access_token
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from bench._budget import budget
from bench.bench_reports import capture, replay
from bench.seed_large import bench_url
from shared.config import REPO_ROOT, get_settings
from shared.db import SESSION_OPTIONS
from shared.services.finance import Month
from shared.timeutil import today_wib

WRK = "/usr/bin/wrk"
CONCURRENCY = (1, 16)
SCALING_TARGET = 1.5
TAIL_TARGET = 3
SQL_REPEATS = 30
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %.1f %.1f %.1f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def endpoints() -> list[tuple[str, str]]:
    last = Month.of(today_wib()).shift(-1)
    return [
        ("customers", "/api/customers"),
        ("search", "/api/customers?q=Pelanggan%20123"),
        ("dashboard", "/api/dashboard/stats"),
        ("finance", f"/api/finance/summary?from={last.start}&to={last.end}"),
    ]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port} within {timeout:.0f} s")


def start_gunicorn(port: int, workers: int | None, threads: int | None, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": bench_url().render_as_string(hide_password=False), "RATE_LIMIT_ENABLED": "false", "GUNICORN_HOST": "127.0.0.1",
           "PORT": str(port), "LOG_LEVEL": "WARNING"}
    for name, value in (("GUNICORN_WORKERS", workers), ("GUNICORN_THREADS", threads)):
        if value:
            env[name] = str(value)
    args = [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:api.gunicorn_conf", "api.wsgi:app"]
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    wait_for_port(port, proc)
    wait_ready(port)
    return proc


def warm(url: str, token: str, workers: int) -> None:
    """A few requests with a long timeout before wrk measures: a worker's first ones import and connect lazily
    (seconds on a busy machine), and a freshly started PostgreSQL reads its pages from disk."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * workers) as pool:
        for _ in pool.map(lambda _: urllib.request.urlopen(request, timeout=120).read(), range(4 * workers)):
            pass


def wait_ready(port: int, timeout: float = 120) -> None:
    """Until /api/health answers: the master listens before its workers have loaded the app."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn on {port} did not answer /api/health within {timeout:.0f} s") from None
            time.sleep(0.5)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_wrk(url: str, token: str, concurrency: int, seconds: int, script: Path) -> dict:
    args = [WRK, f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "10s", "-s",
            str(script), "-H", f"Authorization: Bearer {token}", url]
    run = subprocess.run(args, check=False, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    out = run.stdout
    found = re.search(r"^WRK (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)$", out, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    requests, duration_us, p50, p95, p99, bad_status, socket_errors = found.groups()
    if not int(requests):
        raise SystemExit(f"{url}: no request finished within {seconds} s at c{concurrency}\n{out}")
    if int(bad_status) or int(socket_errors):
        raise SystemExit(f"{url}: {bad_status} non-2xx answers, {socket_errors} socket errors\n{out}")
    return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50) / 1000, "p95": float(p95) / 1000,
            "p99": float(p99) / 1000, "requests": int(requests)}


def sql_alone(engine, app, tokens: dict, path: str, role: str) -> float:
    """p50 ms of the statements one request of `path` runs, replayed on a bare connection."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    statements, response = capture(engine, functools.partial(client.get, path, headers=headers))
    assert response.status_code == 200, (path, role, response.json)
    return statistics.median(replay(engine, statements, SQL_REPEATS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run (default 5)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_HTTP_PORT") or 0) or None,
                        help="loopback port for gunicorn (default: BENCH_HTTP_PORT, else a free one)")
    parser.add_argument("--workers", type=int, help="override GUNICORN_WORKERS (default: api/gunicorn_conf.py)")
    parser.add_argument("--threads", type=int, help="override GUNICORN_THREADS")
    args = parser.parse_args()
    if not Path(WRK).exists():
        raise SystemExit(f"{WRK} is missing: apt-get install wrk")

    from api import gunicorn_conf
    from api.app import create_app

    engine = create_engine(bench_url(), pool_size=2, connect_args={"options": SESSION_OPTIONS})
    with engine.connect() as conn:
        customers = conn.scalar(text("SELECT count(*) FROM customers"))
        admin_id = conn.scalar(text("SELECT id FROM users WHERE role = 'superadmin' ORDER BY created_at LIMIT 1"))
        mitra = conn.execute(text("SELECT owner_id, count(*) FROM customers GROUP BY owner_id "
                                  "ORDER BY 2 DESC LIMIT 1")).first()
    if not customers or admin_id is None or mitra is None:
        raise SystemExit("No data: run `python -m bench.seed_large` first.")
    settings = get_settings().model_copy(update={"rate_limit_enabled": False, "socketio_message_queue": False})
    app = create_app(settings, session_factory=sessionmaker(bind=engine, expire_on_commit=False))
    logging.getLogger("api.access").setLevel(logging.WARNING)  # the SQL capture's requests: not the figures
    with app.app_context():
        tokens = {role: create_access_token(identity=str(user_id))
                  for role, user_id in (("superadmin", admin_id), ("mitra", mitra[0]))}

    port = args.port
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    workers = args.workers or gunicorn_conf.default_workers(gunicorn_conf.usable_cpus())
    threads = args.threads or gunicorn_conf.DEFAULT_THREADS
    print(f"data: {customers:,} customers; gunicorn gthread {workers} worker(s) x {threads} threads on "
          f"{gunicorn_conf.usable_cpus()} usable CPU(s), 127.0.0.1:{port}; wrk {args.seconds:g} s per run\n")
    print(f"{'endpoint':<10} {'role':<11} {'c':>3} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'SQL p50':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "summary.lua"
        script.write_text(LUA)
        proc = start_gunicorn(port, args.workers, args.threads, Path(scratch) / "gunicorn.log")
        results = []
        try:
            for name, path in endpoints():
                for role in ("superadmin", "mitra"):
                    sql = sql_alone(engine, app, tokens, path, role)
                    url = f"http://127.0.0.1:{port}{path}"
                    warm(url, tokens[role], workers)
                    figures = {c: run_wrk(url, tokens[role], c, args.seconds, script) for c in CONCURRENCY}
                    for c, fig in figures.items():
                        print(f"{name:<10} {role:<11} {c:>3} {fig['p50']:>5.1f}ms {fig['p95']:>5.1f}ms "
                              f"{fig['p99']:>5.1f}ms {fig['rps']:>7.0f} {sql:>6.1f}ms", flush=True)
                    results.append((name, role, sql, figures))
        except BaseException:
            print((Path(scratch) / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            stop(proc)
    engine.dispose()
    print()
    for name, role, sql, figures in results:
        c1, c16 = figures[1], figures[16]
        budget(f"http.{name}.{role}.c16_vs_c1_rps", c16["rps"] / c1["rps"], SCALING_TARGET, unit="x", higher=True)
        budget(f"http.{name}.{role}.c16.p95_vs_p50", c16["p95"] / c16["p50"], TAIL_TARGET, unit="x")


if __name__ == "__main__":
    main()
