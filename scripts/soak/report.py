"""What a soak run saw: a monitor sampling health and the supervisor, the final figures, and the verdict."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scripts.soak.client import Client, Stats
from scripts.soak.faults import Schedule
from scripts.soak.stack import Stack
from scripts.soak.workload import Jobs

RESTART_GRACE = 60.0  # a restart up to this long after a fault's outage is that fault's doing
ERROR_GRACE = 30.0  # likewise for a 5xx


@dataclass
class Monitor:
    """Samples /api/health and status.json every 2 s; notes each restart the supervisor counts."""

    stack: Stack
    stop: threading.Event = field(default_factory=threading.Event)
    samples: list[tuple[float, int, str | None]] = field(default_factory=list)  # (t, http status, body status)
    restarts: list[tuple[float, str, int | None]] = field(default_factory=list)  # (t, process, lastExit)
    died_at: float | None = None
    last_status: dict = field(default_factory=dict)

    def run(self) -> None:
        seen: dict[str, int] = {}
        while not self.stop.is_set():
            now = time.monotonic()
            code, body = self.stack.health()
            self.samples.append((now, code, (body or {}).get("status")))
            status = self.stack.status()
            if status:
                self.last_status = status
            for name, proc in status.get("processes", {}).items():
                count = proc.get("restarts", 0)
                if count > seen.get(name, count):
                    self.restarts.extend((now, name, proc.get("lastExit")) for _ in range(count - seen[name]))
                seen[name] = count
            if not self.stack.alive() and self.died_at is None:
                self.died_at = now
            self.stop.wait(2)


def last_words(log_path, name: str, *, lines: int = 40) -> list[str]:
    """What `name` printed just before each time it exited on its own (not by a signal), from the stack log.

    The stack log interleaves every process as `HH:MM:SS <name> | <line>`, and the supervisor's own
    `devenv: <name> exited (...)` lines; an unexplained restart is reported with these lines, so a failure seen
    only in CI can be read from its output.
    """
    try:
        text = Path(log_path).read_text(errors="replace").splitlines()
    except OSError:
        return []
    mine: list[str] = []
    out: list[str] = []
    for line in text:
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] == name and parts[2].startswith("|"):
            mine.append(line)
        elif line.startswith(f"devenv: {name} exited ("):
            if "signal" not in line:
                out.extend([*mine[-lines:], line])
            mine = []
    return out


def wait_for_jobs(jobs: Jobs, client: Client, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while jobs.unfinished() and time.monotonic() < deadline:
        jobs.poll(client)
        time.sleep(2)


def wait_healthy(stack: Stack, *, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    code, body = stack.health()
    while not (code == 200 and (body or {}).get("status") == "ok") and time.monotonic() < deadline:
        time.sleep(2)
        code, body = stack.health()
    return {"http": code, **(body or {})}


def messages(database_url: str, *, since: datetime) -> dict[str, int]:
    """WhatsApp outbox rows made during the run, by status, and messages delivered more than once."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as conn:
        by_status = dict(conn.execute(
            "SELECT status, count(*) FROM wa_message_queue WHERE created_at >= %s GROUP BY status", (since,)).fetchall())
        duplicated = conn.execute(
            "SELECT count(*) FROM (SELECT wa_message_id FROM wa_message_logs WHERE sent_at >= %s "
            "AND status IN ('sent', 'delivered') AND wa_message_id IS NOT NULL "
            "GROUP BY wa_message_id HAVING count(*) > 1) twice", (since,)).fetchone()[0]
        sent_twice_rows = conn.execute(
            "SELECT count(*) FROM (SELECT queue_id FROM wa_message_logs WHERE sent_at >= %s "
            "AND status IN ('sent', 'delivered') AND queue_id IS NOT NULL "
            "GROUP BY queue_id HAVING count(*) > 1) twice", (since,)).fetchone()[0]
    return {"queued": sum(by_status.values()), **{k: by_status.get(k, 0) for k in
            ("pending", "sending", "sent", "failed", "cancelled")}, "duplicated": max(duplicated, sent_twice_rows)}


def leftover_pids(status: dict) -> list[int]:
    import psutil

    pids = [p.get("pid") for p in status.get("processes", {}).values() if p.get("pid")]
    pids.append(status.get("supervisorPid"))
    alive = []
    for pid in filter(None, pids):
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def figures(*, stack: Stack, started: float, stats: Stats, jobs: Jobs, monitor: Monitor, schedule: Schedule,
            messages: dict, final_health: dict, exit_code: int | None, leftovers: list[int]) -> dict:
    ok = sum(1 for _, code, status in monitor.samples if code == 200 and status == "ok")
    answered = sum(1 for _, code, _ in monitor.samples if code == 200)
    end = monitor.died_at or time.monotonic()
    return {
        "uptimeSeconds": round(end - started), "healthSamples": len(monitor.samples),
        "healthAnswered": answered, "healthOk": ok,
        "restarts": len(monitor.restarts),
        "restartsByProcess": _count(name for _, name, _ in monitor.restarts),
        "faults": [{"name": f.name, "recoveredIn": None if f.recovered_in is None else round(f.recovered_in, 1)}
                   for f in schedule.faults],
        "requests": stats.requests, "byStatus": dict(sorted(stats.by_status.items())),
        "serverErrors": sum(n for code, n in stats.by_status.items() if code >= 500),
        "jobs": jobs.summary(), "messages": messages, "finalHealth": final_health,
        "exitCode": exit_code, "leftoverPids": leftovers,
        "serverErrorsSeen": [{"at": round(moment - started, 1), "route": route, "status": status, "body": body,
                              "fault": getattr(schedule.window_of(moment, ERROR_GRACE), "name", None)}
                             for moment, route, status, body in stats.server_errors],
        "restartsSeen": [{"at": round(moment - started, 1), "process": name, "lastExit": last_exit,
                          "fault": getattr(schedule.window_of(moment, RESTART_GRACE, process=name), "name", None)}
                         for moment, name, last_exit in monitor.restarts],
    }


def _count(names) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in names:
        out[name] = out.get(name, 0) + 1
    return out


def problems(figures: dict, *, stats: Stats, monitor: Monitor, schedule: Schedule) -> list[str]:
    found = []
    if monitor.died_at is not None:
        found.append(f"make run exited during the run, {figures['uptimeSeconds']}s after the start")
    if figures["exitCode"] != 0:
        found.append(f"Ctrl-C did not stop make run cleanly (exit {figures['exitCode']})")
    if figures["leftoverPids"]:
        found.append(f"processes left running after the stop: {figures['leftoverPids']}")
    if figures["finalHealth"].get("status") != "ok":
        found.append(f"not healthy at the end: {figures['finalHealth']}")
    job_figures = figures["jobs"]
    if job_figures["lost"] or job_figures["unfinished"]:
        found.append(f"accepted jobs lost: {job_figures['lost']}, never finished: {job_figures['unfinished']}")
    if figures["messages"].get("duplicated"):
        found.append(f"WhatsApp messages delivered twice: {figures['messages']['duplicated']}")
    for fault in schedule.faults:
        if fault.recovered_in is None:
            found.append(f"{fault.target} did not come back after '{fault.name}'")
    for moment, name, last_exit in monitor.restarts:
        if schedule.window_of(moment, RESTART_GRACE, process=name) is None:
            found.append(f"{name} restarted (exit {last_exit}) with no fault to explain it, "
                         f"{moment - monitor.samples[0][0]:.0f}s into the run")
    for moment, route, status, excerpt in stats.server_errors:
        # Only PostgreSQL going away excuses a 500 (a request caught mid-query); Redis down must not cause any.
        fault = schedule.window_of(moment, ERROR_GRACE)
        if status != 503 and (fault is None or fault.target != "postgres"):
            found.append(f"{status} from {route} {'during ' + repr(fault.name) if fault else 'outside any fault'}: "
                         f"{excerpt}")
    return found


def render(figures: dict, problems: list[str]) -> str:
    jobs, msgs = figures["jobs"], figures["messages"]
    lines = [
        "-" * 72, "  Soak result",
        (f"  uptime            {figures['uptimeSeconds']} s (health answered {figures['healthAnswered']}"
        f"/{figures['healthSamples']} samples, ok {figures['healthOk']})"),
        f"  restarts seen     {figures['restarts']} {figures['restartsByProcess']}",
        "  faults            " + ", ".join(f"{f['name']} → back in {f['recoveredIn']}s" for f in figures["faults"]),
        f"  requests          {figures['requests']} {figures['byStatus']}",
        f"  5xx               {figures['serverErrors']}",
        (f"  jobs              accepted {jobs['accepted']}, done {jobs['done']}, failed {jobs['failed']}, "
        f"lost {jobs['lost']}, unfinished {jobs['unfinished']}"),
        (f"  messages          queued {msgs.get('queued', 0)}, sent {msgs.get('sent', 0)}, pending "
        f"{msgs.get('pending', 0)}, failed {msgs.get('failed', 0)}, duplicated {msgs.get('duplicated', 0)}"),
        f"  final health      {figures['finalHealth'].get('status')} (HTTP {figures['finalHealth'].get('http')})",
        f"  stop              exit {figures['exitCode']}, leftovers {figures['leftoverPids'] or 'none'}",
        "  verdict           " + ("PASS" if not problems else "FAIL"),
        *(f"    - {p}" for p in problems[:30]), "-" * 72,
    ]
    return "\n".join(lines)
