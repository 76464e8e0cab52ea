"""The faults a soak run does to the stack, in turn, spread over the run, each timed until it recovered."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scripts.soak.stack import Stack

REDIS_DOWN_SECONDS = 60
POSTGRES_DOWN_SECONDS = 5
RECOVERY_TIMEOUT = 120.0
SHARED = ("redis", "postgres")  # what every process connects to: losing one may take any process down with it


@dataclass
class Fault:
    name: str
    target: str  # the supervised process it hits
    start: float = 0.0
    end: float = 0.0  # when the target ran again (or the timeout)
    recovered_in: float | None = None  # seconds from the end of the outage until the target ran again


@dataclass
class Schedule:
    stack: Stack
    duration: float
    log: Callable[[str], None]
    warmup: float = 45.0
    tail: float = 120.0  # quiet end: recovery, jobs finishing
    faults: list[Fault] = field(default_factory=list)
    wall_start: datetime = field(default_factory=lambda: datetime.now(UTC))

    def plan(self) -> list[tuple[str, str, Callable[[], tuple[float, int | None]]]]:
        """(name, target, action) in order; the action returns when the outage it made was over, and the pid hit."""
        kills = [(f"kill -9 {name}", name, self._kill(name)) for name in ("worker", "api", "beat", "wa", "flower")]
        return [*kills,
                ("kill -9 redis", "redis", self._kill("redis")),
                (f"redis down {REDIS_DOWN_SECONDS}s", "redis", self._down("redis", REDIS_DOWN_SECONDS, signal.SIGTERM)),
                ("restart postgres", "postgres", self._down("postgres", POSTGRES_DOWN_SECONDS, signal.SIGINT))]

    def run(self) -> None:
        begin = time.monotonic()
        plan = self.plan()
        busy = REDIS_DOWN_SECONDS + POSTGRES_DOWN_SECONDS
        gap = max(10.0, (self.duration - self.warmup - self.tail - busy) / len(plan))
        at = begin + self.warmup
        for name, target, action in plan:
            self._sleep_until(at)
            if time.monotonic() - begin > self.duration - self.tail:
                self.log(f"no time left for: {name}")
                break
            fault = Fault(name, target, start=time.monotonic())
            self.log(f"fault: {name}")
            outage_over, old_pid = action()
            fault.recovered_in = self._wait_running(target, since=outage_over, not_pid=old_pid)
            fault.end = time.monotonic()
            self.log(f"  {target} running again {fault.recovered_in:.1f}s later" if fault.recovered_in is not None
                     else f"  {target} did NOT come back within {RECOVERY_TIMEOUT:.0f}s")
            self.faults.append(fault)
            at = max(at + gap, time.monotonic() + 10)
        self._sleep_until(begin + self.duration)

    def _sleep_until(self, moment: float) -> None:
        while (left := moment - time.monotonic()) > 0:
            time.sleep(min(left, 1.0))

    def _kill(self, name: str) -> Callable[[], tuple[float, int | None]]:
        def act() -> tuple[float, int | None]:
            self._wait_running(name, since=time.monotonic())  # after a previous fault it may be in back-off
            pid = self.stack.kill(name)
            if pid is None:
                self.log(f"  {name} has no pid to kill")
            self._wait_gone(pid)
            return time.monotonic(), pid
        return act

    def _down(self, name: str, seconds: float, sig: int) -> Callable[[], tuple[float, int | None]]:
        def act() -> tuple[float, int | None]:
            self._wait_running(name, since=time.monotonic())
            self.stack.hold(name)
            pid = self.stack.kill(name, sig)  # a clean stop: SIGTERM for Valkey, SIGINT (fast) for PostgreSQL
            self._wait_gone(pid)
            time.sleep(seconds)
            self.stack.release(name)
            return time.monotonic(), pid
        return act

    def _wait_gone(self, pid: int | None, timeout: float = 30.0) -> None:
        import psutil

        deadline = time.monotonic() + timeout
        while pid is not None and time.monotonic() < deadline:
            try:
                if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                    return
            except psutil.NoSuchProcess:
                return
            time.sleep(0.2)

    def _wait_running(self, name: str, *, since: float, not_pid: int | None = None) -> float | None:
        """Seconds from `since` until the supervisor reports `name` running under a live pid (not `not_pid`)."""
        import psutil

        deadline = time.monotonic() + RECOVERY_TIMEOUT
        while time.monotonic() < deadline:
            pid = self.stack.pid_of(name)
            if pid is not None and pid != not_pid and psutil.pid_exists(pid):
                return time.monotonic() - since
            time.sleep(0.5)
        return None

    def window_of(self, moment: float, grace: float, *, process: str | None = None) -> Fault | None:
        """The fault whose outage (plus `grace` seconds after it) covers `moment`, if any.

        With `process`, only a fault that can explain that process restarting: a kill -9 explains its own target
        only; Redis or PostgreSQL going away may take any process with it.
        """
        for fault in self.faults:
            if (process is not None and fault.name.startswith("kill -9") and fault.target not in SHARED
                    and fault.target != process):
                continue
            if fault.start - 1 <= moment <= fault.end + grace:
                return fault
        return None
