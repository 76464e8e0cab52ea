"""A small process supervisor: restart what exits, with back-off; stop everything on Ctrl-C.

honcho's Manager stops the whole group when one child exits, so one crash (beat losing its lock,
an OOM kill) took the product down. Here every child runs in its own process group and is restarted
after 1 s, 2 s, 4 s ... up to 30 s, the delay starting over once it has stayed up for a minute. The
embedded services are watched the same way. `<run dir>/status.json` says what runs; while
`<run dir>/hold-<name>` exists that process is stopped and left stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.devenv.status import hold_path, now_iso, write_status


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0
    cap: float = 30.0
    reset_after: float = 60.0  # a process up this long starts over at `first`

    def next(self, previous: float, uptime: float | None) -> float:
        if not previous or (uptime is not None and uptime >= self.reset_after):
            return self.first
        return min(self.cap, previous * 2)


class Printer:
    """Child output line by line, prefixed with the time and process name (coloured on a terminal)."""

    COLOURS = ("36", "33", "32", "35", "34", "96", "93", "92", "95", "94")

    def __init__(self, stream=None, names: tuple[str, ...] = ()):
        self.stream = stream or sys.stdout
        self.width = max((len(name) for name in names), default=6)
        self.colours = {name: self.COLOURS[i % len(self.COLOURS)] for i, name in enumerate(names)}
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.lock = threading.Lock()

    def line(self, name: str, text: str) -> None:
        prefix = f"{time.strftime('%H:%M:%S')} {name.ljust(self.width)} |"
        if self.tty:
            prefix = f"\033[{self.colours.get(name, '0')}m{prefix}\033[0m"
        with self.lock:
            self.stream.write(f"{prefix} {text}\n")
            self.stream.flush()


class Command:
    """A long-running child command, alone in its own process group."""

    slow_start = False

    def __init__(self, name: str, args: str | list[str], *, env: dict[str, str] | None = None,
                 cwd: str | Path | None = None, printer: Printer | None = None):
        self.name = name
        # A string is a shell line; `exec` makes the shell become the process, so its pid is ours.
        self.args = ["/bin/sh", "-c", f"exec {args}"] if isinstance(args, str) else list(args)
        self.env = env
        self.cwd = cwd
        self.printer = printer or Printer(names=(name,))
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc else None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            self.args, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, process_group=0,  # Ctrl-C reaches us only; we stop it in order
        )
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True, name=f"out-{self.name}").start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for raw in iter(proc.stdout.readline, b""):
            self.printer.line(self.name, raw.decode(errors="replace").rstrip("\r\n"))
        proc.stdout.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _signal_group(self, signum: int) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signum)

    def terminate(self) -> None:
        self._signal_group(signal.SIGTERM)

    def kill(self) -> None:
        self._signal_group(signal.SIGKILL)

    def cleanup(self) -> None:
        # Whatever the process left in its group (a Celery pool child, a shell's job) dies with it.
        self._signal_group(signal.SIGKILL)


class Service:
    """An embedded server that is not our plain child: PostgreSQL (pg_ctl daemonises it) or Valkey."""

    slow_start = True  # pg_ctl -w and replaying an append log take seconds: started off the main loop

    def __init__(self, name: str, *, start: Callable[[], object], current: Callable[[], object],
                 stop_signal: int = signal.SIGTERM, kill_signal: int = signal.SIGKILL):
        self.name = name
        self._start = start
        self._current = current  # the server's Popen when we started it, else its pid, else None
        self.stop_signal = stop_signal
        self.kill_signal = kill_signal
        self._watched = None  # psutil.Process of a server that is not our child

    def _handle(self):
        current = self._current()
        if isinstance(current, int):
            import psutil

            if self._watched is None or self._watched.pid != current:
                try:
                    self._watched = psutil.Process(current)
                except psutil.NoSuchProcess:
                    return None
            return self._watched
        return current

    @property
    def pid(self) -> int | None:
        handle = self._handle()
        return handle.pid if handle is not None else None

    @property
    def returncode(self) -> int | None:
        handle = self._handle()
        return handle.returncode if isinstance(handle, subprocess.Popen) else None  # unknown for others

    def start(self) -> None:
        self._start()

    def alive(self) -> bool:
        handle = self._handle()
        if handle is None:
            return False
        if isinstance(handle, subprocess.Popen):
            return handle.poll() is None
        import psutil

        try:
            return handle.is_running() and handle.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    def _signal(self, signum: int) -> None:
        pid = self.pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)

    def terminate(self) -> None:
        self._signal(self.stop_signal)

    def kill(self) -> None:
        self._signal(self.kill_signal)

    def cleanup(self) -> None:
        pass


@dataclass
class Slot:
    """What the supervisor knows about one process."""

    unit: Command | Service
    state: str = "stopped"
    pid: int | None = None
    restarts: int = 0
    last_exit: int | None = None
    started_at: str | None = None
    started_mono: float | None = None
    delay: float = 0.0
    next_start: float = 0.0
    hold_seen: float | None = None
    stop_deadline: float | None = None  # set while we are stopping it on purpose
    starter: threading.Thread | None = None
    start_error: list = field(default_factory=list)

    def as_status(self) -> dict:
        return {"pid": self.pid, "state": self.state, "restarts": self.restarts,
                "lastExit": self.last_exit, "startedAt": self.started_at}


def describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    return f"signal {-code}" if code < 0 else f"code {code}"


class Supervisor:
    """Keep `processes` and `services` up until asked to stop; see the module docstring."""

    def __init__(self, processes: list[Command], services: list[Service] = (), *, run_dir: Path,
                 backoff: Backoff = Backoff(), stop_timeout: float = 15.0, tick: float = 0.2,
                 hold_delay: float = 1.0, status_every: float = 2.0,
                 on_stopped: Callable[[], None] | None = None, log: Callable[[str], None] | None = None):
        self.processes = [Slot(unit) for unit in processes]
        self.services = [Slot(unit) for unit in services]
        self.run_dir = Path(run_dir)
        self.status_path = self.run_dir / "status.json"
        self.backoff = backoff
        self.stop_timeout = stop_timeout
        self.tick = tick
        # A hold is acted on once it has existed this long, so `touch hold-x; kill -9 x` still
        # records x's own exit instead of racing our SIGTERM.
        self.hold_delay = hold_delay
        self.status_every = status_every
        self.on_stopped = on_stopped
        self.log = log or (lambda message: print(f"devenv: {message}", file=sys.stderr, flush=True))
        self.started_at = now_iso()
        self._stop = threading.Event()
        self._stop_requests = 0
        self._dirty = True
        self._written = 0.0

    @property
    def slots(self) -> list[Slot]:
        return [*self.processes, *self.services]

    def request_stop(self, *_args) -> None:
        """Stop everything (a signal handler); a second request kills what is still stopping."""
        self._stop_requests += 1
        self._stop.set()

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.request_stop)

    def run(self) -> None:
        """Start what is not running, supervise until asked to stop, then stop everything."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for slot in self.slots:
            if slot.unit.alive():  # an embedded service ensure_services already started
                self._mark_running(slot, time.monotonic())
            elif not hold_path(self.run_dir, slot.unit.name).exists():
                self._start(slot, time.monotonic())
        try:
            while not self._stop.wait(self.tick):
                now = time.monotonic()
                for slot in self.slots:
                    self._check(slot, now)
                self._write_status(now)
        finally:
            self._shutdown()

    # --- one slot -----------------------------------------------------------------------------

    def _check(self, slot: Slot, now: float) -> None:
        name = slot.unit.name
        held = hold_path(self.run_dir, name).exists()
        slot.hold_seen = (slot.hold_seen or now) if held else None
        if slot.starter is not None:
            if slot.starter.is_alive():
                return
            slot.starter = None
            if slot.start_error:
                self._start_failed(slot, now, slot.start_error.pop())
            else:
                self._mark_running(slot, now)
            return
        if slot.state == "running":
            if not slot.unit.alive():
                self._exited(slot, now, held)
            elif held and now - slot.hold_seen >= self.hold_delay and slot.stop_deadline is None:
                self.log(f"{name} held ({hold_path(self.run_dir, name)} exists): stopping it")
                slot.stop_deadline = now + self.stop_timeout
                slot.unit.terminate()
            elif slot.stop_deadline is not None and now > slot.stop_deadline:
                slot.unit.kill()
        elif held:
            if slot.state != "held":
                self.log(f"{name} held: not starting it while {hold_path(self.run_dir, name)} exists")
                self._set(slot, state="held")
        elif slot.state == "held":
            self.log(f"{name}: hold removed, starting it")
            slot.delay = 0.0
            self._start(slot, now)
        elif slot.state == "backoff" and now >= slot.next_start:
            slot.restarts += 1
            self._start(slot, now)

    def _start(self, slot: Slot, now: float) -> None:
        if not slot.unit.slow_start:
            try:
                slot.unit.start()
            except OSError as error:
                self._start_failed(slot, now, error)
                return
            self._mark_running(slot, now)
            return

        def start() -> None:
            try:
                slot.unit.start()
            except Exception as error:  # noqa: BLE001  whatever failed, the answer is: try again later
                slot.start_error.append(error)

        self._set(slot, state="backoff", pid=None, started_at=None)
        slot.starter = threading.Thread(target=start, daemon=True, name=f"start-{slot.unit.name}")
        slot.starter.start()

    def _mark_running(self, slot: Slot, now: float) -> None:
        if slot.state == "backoff" and slot.restarts:
            self.log(f"{slot.unit.name} running again (pid {slot.unit.pid})")
        self._set(slot, state="running", pid=slot.unit.pid, started_at=now_iso())
        slot.started_mono = now
        slot.stop_deadline = None

    def _start_failed(self, slot: Slot, now: float, error: Exception) -> None:
        slot.delay = self.backoff.next(slot.delay, None)
        slot.next_start = now + slot.delay
        self._set(slot, state="backoff", pid=None, started_at=None)
        self.log(f"{slot.unit.name} failed to start ({error}); retrying in {slot.delay:g} s "
                 f"(restart {slot.restarts + 1})")

    def _exited(self, slot: Slot, now: float, held: bool) -> None:
        name = slot.unit.name
        code = slot.unit.returncode
        slot.unit.cleanup()
        on_purpose = slot.stop_deadline is not None
        slot.stop_deadline = None
        self._set(slot, pid=None, last_exit=code, started_at=None)
        if on_purpose or held:
            self._set(slot, state="held")
            self.log(f"{name} {'stopped' if on_purpose else 'exited'} ({describe_exit(code)}); held, not restarting")
            return
        uptime = now - slot.started_mono if slot.started_mono is not None else None
        slot.delay = self.backoff.next(slot.delay, uptime)
        slot.next_start = now + slot.delay
        self._set(slot, state="backoff")
        self.log(f"{name} exited ({describe_exit(code)}); restarting in {slot.delay:g} s (restart {slot.restarts + 1})")

    def _set(self, slot: Slot, **changes) -> None:
        for key, value in changes.items():
            setattr(slot, key, value)
        self._dirty = True

    # --- status and shutdown ------------------------------------------------------------------

    def status(self) -> dict:
        return {
            "supervisorPid": os.getpid(),
            "startedAt": self.started_at,
            "updatedAt": now_iso(),
            "processes": {slot.unit.name: slot.as_status() for slot in self.slots},
        }

    def _write_status(self, now: float, force: bool = False) -> None:
        if force or self._dirty or now - self._written >= self.status_every:
            write_status(self.status_path, self.status())
            self._dirty = False
            self._written = now

    def _shutdown(self) -> None:
        self.log("stopping")
        running = [slot for slot in self.processes if slot.unit.alive()]
        for slot in running:
            slot.unit.terminate()
        deadline = time.monotonic() + self.stop_timeout
        killed = False
        while any(slot.unit.alive() for slot in running):
            if not killed and (time.monotonic() > deadline or self._stop_requests > 1):
                still = [slot.unit.name for slot in running if slot.unit.alive()]
                self.log(f"{', '.join(still)} still running: SIGKILL")
                for slot in running:
                    slot.unit.kill()
                killed = True
            time.sleep(0.05)
        for slot in self.processes:
            if slot.state == "running":
                slot.last_exit = slot.unit.returncode
            slot.unit.cleanup()
            self._set(slot, state="stopped", pid=None, started_at=None)
        self._write_status(time.monotonic(), force=True)
        for slot in self.services:
            if slot.starter is not None:
                slot.starter.join(self.stop_timeout)
        if self.on_stopped is not None:
            self.on_stopped()
        for slot in self.services:
            self._set(slot, state="stopped", pid=None, started_at=None)
        self._write_status(time.monotonic(), force=True)
