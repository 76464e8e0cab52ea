"""Soak test: the whole stack as `make run` starts it, an operator workload, and faults, for a while.

    python -m scripts.soak --minutes 30     # `make soak`
    python -m scripts.soak --minutes 7.5    # the CI-sized run in `make test` (longer than beat's old 300 s death)

Faults, in turn, spread over the run: kill -9 of api, worker, beat, wa, flower and Valkey; Valkey down for a
minute; PostgreSQL restarted. Prints uptime, restarts, requests, 5xx, jobs accepted/finished/lost and WhatsApp
messages queued/sent/duplicated, and exits 1 when anything accepted was lost or sent twice, the product died or
did not come back, a process restarted that no fault explains, or the API answered 500 outside a fault.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.soak import faults, report
from scripts.soak.client import Stats
from scripts.soak.stack import REPO, Stack
from scripts.soak.workload import Jobs, Operators

ARTIFACTS = REPO / "test-artifacts"


def say(message: str) -> None:
    print(f"soak: {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder")
    args = parser.parse_args(argv)
    duration = args.minutes * 60

    ARTIFACTS.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="fibernode-soak-"))
    stack = Stack(data_dir=data_dir, log_path=ARTIFACTS / "soak-stack.log")
    stack.log_path.unlink(missing_ok=True)
    stats, jobs = Stats(), Jobs()
    monitor = report.Monitor(stack)
    schedule = faults.Schedule(stack, duration=duration, log=say)
    messages: dict = {}
    final: dict = {}
    aborted: str | None = None
    say(f"starting the stack (data {data_dir}, log {stack.log_path.relative_to(REPO)})")
    started = time.monotonic()
    try:
        stack.start()
        say(f"healthy after {time.monotonic() - started:.0f}s at {stack.base_url}; preparing the operators")
        operators = Operators(stack.base_url, stats, jobs)
        operators.prepare()
        say(f"{len(operators.customer_ids)} customers, WhatsApp {'linked' if operators.wa_connected else 'NOT linked'}"
            f" (simulator); running for {args.minutes:g} min with faults")
        threading.Thread(target=monitor.run, daemon=True).start()
        operators.start()
        schedule.run()  # returns at the end of the run, the faults done and a quiet tail left for recovery
        say("run over: waiting for accepted jobs to finish")
        operators.join()
        report.wait_for_jobs(jobs, operators.admin, timeout=180)
        final = report.wait_healthy(stack, timeout=120)
        messages = report.messages(stack.database_url(), since=schedule.wall_start)
    except Exception as exc:  # noqa: BLE001 — reported as the run's first problem
        aborted = f"the soak could not go on: {exc!r}"
    finally:
        monitor.stop.set()
        exit_code = stack.stop()
    figures = report.figures(stack=stack, started=started, stats=stats, jobs=jobs, monitor=monitor,
                             schedule=schedule, messages=messages, final_health=final, exit_code=exit_code,
                             leftovers=report.leftover_pids(monitor.last_status))
    problems = ([aborted] if aborted else []) + report.problems(figures, stats=stats, monitor=monitor,
                                                                schedule=schedule)
    print(report.render(figures, problems), flush=True)
    (ARTIFACTS / "soak.json").write_text(json.dumps({**figures, "problems": problems}, indent=2, default=str))
    if problems:
        for name in sorted({name for _, name, last_exit in monitor.restarts if (last_exit or 0) > 0}):
            if words := report.last_words(stack.log_path, name):
                say(f"{name}'s last lines before it exited on its own:")
                print("\n".join(words), flush=True)
        say(f"stack log: {stack.log_path}")
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
