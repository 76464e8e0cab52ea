"""`devenv e2e -- CMD`: a fresh e2e database, api + worker + wa on a free port, then CMD against them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from scripts.devenv import services as svc
from scripts.devenv.common import ARTIFACTS, DATA, E2E_DB_NAME, E2E_REDIS_DB, REPO, DevenvError, say
from scripts.devenv.processes import PROCESSES, check_required, child_env, command_line, migrate, seed


def free_tcp_port() -> int:
    """A free loopback TCP port (also bench/bench_frontend.py's)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, procs: dict[str, subprocess.Popen], timeout: float = 60.0) -> None:
    """Until `url` answers 200; DevenvError when one of `procs` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise DevenvError(f"{name} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise DevenvError(f"{url} did not answer 200 within {timeout:.0f}s")


def _stop_group(procs: dict[str, subprocess.Popen], timeout: float = 10.0) -> None:
    for proc in procs.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # also whatever the process left in its group
    deadline = time.monotonic() + timeout
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def cmd_e2e(args) -> int:
    if not args.command:
        raise DevenvError("usage: python -m scripts.devenv e2e -- COMMAND...")
    check_required()
    import fasteners

    DATA.mkdir(parents=True, exist_ok=True)
    # One browser run at a time per checkout: they share the e2e database and Redis index.
    lock = fasteners.InterProcessLock(str(DATA / ".e2e.lock"))
    if not lock.acquire(blocking=False):
        say("another e2e run is using this checkout; waiting for it")
        lock.acquire()
    try:
        return _run_e2e(args.command)
    finally:
        lock.release()


def _run_e2e(command: list[str]) -> int:
    services = svc.ensure_services()
    port = free_tcp_port()
    e2e_services = {
        "DATABASE_URL": svc.with_database(services["DATABASE_URL"], E2E_DB_NAME),
        "REDIS_URL": svc.with_redis_db(services["REDIS_URL"], E2E_REDIS_DB),
    }
    svc.ensure_database(e2e_services["DATABASE_URL"], recreate=True)
    # Browser tests link WhatsApp through the simulator: nothing may leave the machine.
    # APP_ENV=e2e: test-only helpers exist (a number's simulated clock for waking hours, shared/wa/testclock.py).
    env = child_env(e2e_services, PORT=str(port), WA_TRANSPORT="simulator", APP_ENV="e2e")
    migrate(env)
    seed(env)

    ARTIFACTS.mkdir(exist_ok=True)
    procs: dict[str, subprocess.Popen] = {}
    logs: dict[str, Path] = {}
    base_url = f"http://127.0.0.1:{port}"
    try:
        for proc in PROCESSES:
            if not proc.e2e:
                continue
            logs[proc.name] = ARTIFACTS / f"e2e-{proc.name}.log"
            with open(logs[proc.name], "wb") as log:
                procs[proc.name] = subprocess.Popen(
                    ["/bin/sh", "-c", f"exec {command_line(proc)}"],
                    env=env,
                    cwd=REPO,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        say(f"waiting for {base_url}/api/health (logs in {ARTIFACTS.relative_to(REPO)}/e2e-*.log)")
        try:
            wait_healthy(f"{base_url}/api/health", procs)
        except DevenvError:
            for path in logs.values():
                print(f"--- {path.name} (last lines)\n{_tail(path)}", file=sys.stderr)
            raise
        say(f"running {' '.join(command)} against {base_url}")
        # Its own process group, so stopping us also stops the browsers it started.
        tests = subprocess.Popen(
            command, env={**env, "E2E_BASE_URL": base_url}, cwd=REPO, start_new_session=True
        )
        procs["tests"] = tests
        returncode = tests.wait()
        if returncode != 0:
            say(f"browser tests failed (exit {returncode}); server logs in {ARTIFACTS}")
        return returncode
    finally:
        _stop_group(procs)
        svc.stop_services()
