"""The devenv supervisor over tiny commands: restarts with back-off, clean stop, hold files, status.json."""

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import psutil
import pytest

from scripts.devenv.status import format_status, read_status
from scripts.devenv.supervisor import Backoff, Command, Service, Supervisor

REPO = Path(__file__).resolve().parents[2]
PY = shlex.quote(sys.executable)
EXITS_3 = f"{PY} -c 'import sys; sys.exit(3)'"


def wait_for(predicate, timeout: float = 5.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def processes(run_dir: Path) -> dict:
    document = read_status(run_dir / "status.json")
    return document["processes"] if document else {}


def state_of(run_dir: Path, name: str) -> dict:
    return processes(run_dir).get(name, {})


@contextmanager
def supervising(run_dir: Path, commands: dict[str, str], services=(), **options):
    logs: list[tuple[float, str]] = []
    supervisor = Supervisor(
        [Command(name, command) for name, command in commands.items()], list(services), run_dir=run_dir,
        backoff=Backoff(first=0.1, cap=0.8), stop_timeout=2.0, tick=0.05, hold_delay=0.2,
        log=lambda message: logs.append((time.monotonic(), message)), **options,
    )
    thread = threading.Thread(target=supervisor.run, daemon=True)
    thread.start()
    try:
        yield supervisor, logs
    finally:
        supervisor.request_stop()
        thread.join(10)
        assert not thread.is_alive(), "the supervisor did not stop"


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_child_that_exits_is_restarted_with_a_growing_delay_up_to_the_cap(tmp_path):
    with supervising(tmp_path, {"steady": "sleep 60", "flaky": EXITS_3}) as (_, logs):
        steady_pid = wait_for(lambda: state_of(tmp_path, "steady").get("pid"), what="steady to start")
        exits = wait_for(lambda: [entry for entry in logs if entry[1].startswith("flaky exited")][:5]
                         if sum(m.startswith("flaky exited") for _, m in logs) >= 5 else None,
                         timeout=10, what="five exits of flaky")
        flaky = state_of(tmp_path, "flaky")
        steady = state_of(tmp_path, "steady")

    assert exits[0][1] == "flaky exited (code 3); restarting in 0.1 s (restart 1)"
    delays = [float(re.search(r"restarting in ([\d.]+) s", message).group(1)) for _, message in exits]
    assert delays == [0.1, 0.2, 0.4, 0.8, 0.8]
    assert [int(re.search(r"\(restart (\d+)\)", message).group(1)) for _, message in exits] == [1, 2, 3, 4, 5]
    gaps = [later[0] - earlier[0] for earlier, later in pairwise(exits)]
    assert all(gap >= delay for gap, delay in zip(gaps, delays))  # it really waited
    assert flaky["restarts"] >= 4 and flaky["lastExit"] == 3
    assert steady == {**steady, "pid": steady_pid, "state": "running", "restarts": 0}


def test_the_delay_starts_over_after_a_process_stayed_up():
    backoff = Backoff(first=1, cap=30, reset_after=60)
    assert [backoff.next(previous, 0.5) for previous in (0, 1, 2, 16, 30)] == [1, 2, 4, 30, 30]
    assert backoff.next(30, 61) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_every_child_and_leaves_no_process(tmp_path, signum):
    stubborn = f"{PY} -c " + shlex.quote("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                         "time.sleep(60)")
    family = "sh -c 'trap \"\" TERM; sleep 60 & wait'"  # a child that ignores SIGTERM, and its own child
    with subprocess.Popen(
        [sys.executable, "-m", "tests.scripts.tiny_group", str(tmp_path), "sleeper=sleep 60",
         f"stubborn={stubborn}", f"family={family}"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    ) as supervisor:
        try:
            wait_for(lambda: all(state_of(tmp_path, name).get("state") == "running"
                                 for name in ("sleeper", "stubborn", "family")), what="the group to start")
            leaders = [state_of(tmp_path, name)["pid"] for name in ("sleeper", "stubborn", "family")]
            grandchildren = wait_for(lambda: psutil.Process(leaders[2]).children(), what="family's child")
            started = time.monotonic()
            supervisor.send_signal(signum)
            _, log = supervisor.communicate(timeout=10)
        finally:
            if supervisor.poll() is None:
                supervisor.kill()
    assert supervisor.returncode == 0, log
    assert time.monotonic() - started < 6  # SIGKILL after the 2 s grace, not a hang
    everyone = [*leaders, *(child.pid for child in grandchildren)]
    wait_for(lambda: all(gone(pid) for pid in everyone), timeout=3, what="every child to be gone")
    final = processes(tmp_path)
    assert {name: (entry["state"], entry["pid"]) for name, entry in final.items()} == {
        "sleeper": ("stopped", None), "stubborn": ("stopped", None), "family": ("stopped", None)}
    assert "still running: SIGKILL" in log


def test_a_hold_file_keeps_a_process_stopped_until_it_is_removed(tmp_path):
    hold = tmp_path / "hold-steady"
    with supervising(tmp_path, {"steady": "sleep 60"}) as (_, logs):
        first = wait_for(lambda: state_of(tmp_path, "steady").get("pid"), what="steady to start")
        hold.touch()
        held = wait_for(lambda: state_of(tmp_path, "steady").get("state") == "held" and state_of(tmp_path, "steady"),
                        what="steady to be held")
        assert held["pid"] is None and held["lastExit"] == -signal.SIGTERM and gone(first)
        time.sleep(0.5)
        assert state_of(tmp_path, "steady")["state"] == "held"

        hold.unlink()
        second = wait_for(lambda: state_of(tmp_path, "steady").get("pid"), timeout=2, what="steady to start again")
        assert second != first and state_of(tmp_path, "steady")["restarts"] == 0

        # Held, then killed: its own exit is recorded, and it stays down.
        hold.touch()
        os.kill(second, signal.SIGKILL)
        held = wait_for(lambda: state_of(tmp_path, "steady").get("state") == "held" and state_of(tmp_path, "steady"),
                        what="steady to be held after kill -9")
        assert held["lastExit"] == -signal.SIGKILL
        time.sleep(0.4)
        assert state_of(tmp_path, "steady")["state"] == "held"
    assert any("hold removed, starting it" in message for _, message in logs)


def test_status_json_has_the_agreed_shape_and_is_rewritten_regularly(tmp_path):
    path = tmp_path / "status.json"
    with supervising(tmp_path, {"steady": "sleep 60", "flaky": EXITS_3}, status_every=0.3):
        wait_for(lambda: state_of(tmp_path, "flaky").get("restarts"), what="a restart")
        document = read_status(path)
        written = path.stat().st_mtime_ns
        wait_for(lambda: path.stat().st_mtime_ns != written, timeout=2, what="status.json to be rewritten")
        table = format_status(read_status(path), tmp_path)

    assert set(document) == {"supervisorPid", "startedAt", "updatedAt", "processes"}
    assert document["supervisorPid"] == os.getpid()
    for stamp in (document["startedAt"], document["updatedAt"]):
        assert datetime.fromisoformat(stamp).tzinfo is not None
    assert list(document["processes"]) == ["steady", "flaky"]
    for entry in document["processes"].values():
        assert set(entry) == {"pid", "state", "restarts", "lastExit", "startedAt"}
        assert entry["state"] in {"running", "backoff", "held", "stopped"}
        assert entry["pid"] is None or isinstance(entry["pid"], int)
        assert isinstance(entry["restarts"], int)
        assert entry["lastExit"] is None or isinstance(entry["lastExit"], int)
    steady = document["processes"]["steady"]
    assert steady["state"] == "running" and steady["lastExit"] is None
    assert datetime.fromisoformat(steady["startedAt"]).tzinfo is not None
    assert document["processes"]["flaky"]["lastExit"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]  # no temporary files left behind
    assert "steady" in table and "flaky" in table and "code 3" in table


class FakeServer:
    """Stands in for Valkey (our Popen) or PostgreSQL (a pid we only know by number)."""

    def __init__(self, by_pid: bool):
        self.by_pid = by_pid
        self.started: list[subprocess.Popen] = []
        self.start()

    @property
    def proc(self) -> subprocess.Popen:
        return self.started[-1]

    def start(self):
        self.started.append(subprocess.Popen(["sleep", "60"]))

    def current(self):
        return self.proc.pid if self.by_pid else self.proc


@pytest.mark.parametrize("by_pid", [False, True], ids=["child", "not-a-child"])
def test_a_service_that_dies_is_started_again(tmp_path, by_pid):
    server = FakeServer(by_pid)
    first = server.proc.pid
    service = Service("fake", start=server.start, current=server.current)
    try:
        with supervising(tmp_path, {}, services=[service]) as (_, logs):
            wait_for(lambda: state_of(tmp_path, "fake").get("pid") == first, what="the service to be watched")
            os.kill(first, signal.SIGKILL)
            wait_for(lambda: state_of(tmp_path, "fake").get("pid") not in (None, first), timeout=3,
                     what="the service to be started again")
            entry = state_of(tmp_path, "fake")
    finally:
        for proc in server.started:
            proc.kill()
            proc.wait()
    assert entry["state"] == "running" and entry["restarts"] == 1
    assert entry["lastExit"] == (None if by_pid else -signal.SIGKILL)
    exit_line = "fake exited (exit status unknown)" if by_pid else "fake exited (signal 9)"
    assert f"{exit_line}; restarting in 0.1 s (restart 1)" in [message for _, message in logs]
