"""The run directory's status.json and hold files: what a running supervisor tells, and what stops it restarting."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

STATES = ("running", "backoff", "held", "stopped")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hold_path(run_dir: Path, name: str) -> Path:
    """While this file exists the supervisor keeps `name` stopped."""
    return run_dir / f"hold-{name}"


def write_status(path: Path, document: dict) -> None:
    """Replace status.json in one rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".status-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as out:
            json.dump(document, out, indent=2)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _age(iso: str | None, now: datetime) -> str:
    if not iso:
        return "-"
    seconds = int((now - datetime.fromisoformat(iso)).total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _exit_label(code: int | None) -> str:
    if code is None:
        return "-"
    return f"signal {-code}" if code < 0 else f"code {code}"


def format_status(document: dict, run_dir: Path) -> str:
    """The status table `python -m scripts.devenv status` prints."""
    now = datetime.now(UTC)
    pid = document.get("supervisorPid")
    alive = isinstance(pid, int) and _pid_alive(pid)
    header = (
        f"supervisor pid {pid} ({'running' if alive else 'not running'}), "
        f"up {_age(document.get('startedAt'), now)}, updated {_age(document.get('updatedAt'), now)} ago"
    )
    rows = [("process", "state", "pid", "restarts", "last exit", "up")]
    for name, proc in document.get("processes", {}).items():
        state = proc.get("state", "?")
        if state == "held" or hold_path(run_dir, name).exists():
            state = f"{state} (hold file)" if state != "held" else "held"
        rows.append((
            name,
            state,
            str(proc.get("pid") or "-"),
            str(proc.get("restarts", 0)),
            _exit_label(proc.get("lastExit")),
            _age(proc.get("startedAt"), now) if proc.get("state") == "running" else "-",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return "\n".join([header, *lines])
