"""Time a 100k-invoice export (XLSX and CSV) and show its memory stays bounded.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_export [--month 2026-10]

Reads the scratch database `<name>_bench` made by `python -m bench.seed_large`. Runs the finance recap export
(the same function the worker runs) for one due month of the whole data set (~100k invoices) as the superadmin.
Memory: the process's peak RSS growth (getrusage) and, in a second run, the peak of Python allocations
(tracemalloc) — both should stay flat however many rows are written.
"""

import argparse
import resource
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench._budget import budget
from bench.seed_large import bench_url
from shared.config import get_settings
from shared.db import SESSION_OPTIONS
from shared.services import exports
from shared.services.finance import Month
from shared.services.periods import parse_period

# Issue 12: 100k invoices as XLSX in < 20 s, the whole process's peak RSS (interpreter and app included) < 150 MB.
# CSV has no target of its own in the issue; 10 s is half the XLSX one (it measured 13 s under load before).
XLSX_BUDGET_S = 20
RSS_BUDGET_MB = 150
CSV_BUDGET_S = 10


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def export_once(engine, admin_id, params: dict, fmt: str) -> tuple[dict, float]:
    with Session(engine) as session:
        started = time.perf_counter()
        result = exports.run_export(session, job_id=str(uuid.uuid4()), user_id=str(admin_id), kind="finance",
                                    fmt=fmt, params=params)
        return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", help="due month YYYY-MM (default: the busiest one)")
    args = parser.parse_args()
    engine = create_engine(bench_url(), connect_args={"options": SESSION_OPTIONS})
    with engine.connect() as conn:
        admin_id = conn.scalar(text("SELECT id FROM users WHERE role = 'superadmin' ORDER BY created_at LIMIT 1"))
        busiest = conn.scalar(text("SELECT to_char(due_date, 'YYYY-MM') FROM invoices GROUP BY 1 "
                                   "ORDER BY count(*) DESC LIMIT 1"))
    if admin_id is None or busiest is None:
        raise SystemExit("No data: run `python -m bench.seed_large` first.")
    month = Month.of(parse_period(args.month or busiest))
    params = {"from": month.start.isoformat(), "to": month.end.isoformat()}
    settings = get_settings()
    with tempfile.TemporaryDirectory() as scratch:
        settings.data_dir = Path(scratch)
        baseline = peak_rss_mb()
        print(f"finance recap export, due {month.label}, as superadmin (baseline RSS {baseline:.0f} MB)\n")
        print(f"{'format':<7} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'file MB':>8} {'peak RSS +MB':>13}")
        seconds, peaks = {}, {}
        for fmt in ("xlsx", "csv"):
            before = peak_rss_mb()
            result, elapsed = export_once(engine, admin_id, params, fmt)
            seconds[fmt], peaks[fmt] = elapsed, peak_rss_mb()
            size = sum(p.stat().st_size for p in exports.exports_dir().glob(f"*.{fmt}"))
            print(f"{fmt:<7} {result['rows']:>8,} {elapsed:>8.1f} {result['rows'] / elapsed:>8,.0f} "
                  f"{size / 1e6:>8.1f} {peak_rss_mb() - before:>13.1f}")
        tracemalloc.start()
        result, elapsed = export_once(engine, admin_id, params, "xlsx")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        half = {"from": month.start.isoformat(), "to": month.start.replace(day=14).isoformat()}
        tracemalloc.start()
        small, _ = export_once(engine, admin_id, half, "xlsx")
        _, small_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"\nPython allocation peak (tracemalloc), xlsx: {result['rows']:,} rows → {peak / 1e6:.1f} MB; "
              f"{small['rows']:,} rows → {small_peak / 1e6:.1f} MB (flat: memory does not follow the row count)")
    engine.dispose()
    rows = f"{round(result['rows'], -3) // 1000}k"
    budget(f"export.xlsx.{rows}.seconds", seconds["xlsx"], XLSX_BUDGET_S, unit="s")
    budget(f"export.xlsx.{rows}.peak_rss", peaks["xlsx"], RSS_BUDGET_MB, unit="MB")
    budget(f"export.csv.{rows}.seconds", seconds["csv"], CSV_BUDGET_S, unit="s")


if __name__ == "__main__":
    main()
