"""What is up: the database, Redis, the Celery worker and beat, the WA workers, backups, and `make run`'s processes.

Heartbeats live in PostgreSQL (shared/heartbeats.py), so while Redis is down health still knows who is alive;
while the database is down nothing but Redis can be told. `detail` adds hosts, pids and each instance's own report,
which only the superadmin gets (the endpoint is public).
"""

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from shared import backups
from shared.heartbeats import STALE_SECONDS
from shared.models import ServiceHeartbeat
from shared.timeutil import utcnow

log = logging.getLogger(__name__)

OK, DEGRADED, DOWN, UNKNOWN = "ok", "degraded", "down", "unknown"
SERVICES = ("worker", "beat", "wa")
# `make run`'s supervisor rewrites its status file every few seconds; an older one is from a supervisor that died.
PROCESS_STATUS_MAX_AGE = timedelta(seconds=30)
REDIS_TIMEOUT_SECONDS = 2


def report(session: Session, *, redis_url: str, run_dir: Path | None = None, detail: bool = False) -> dict[str, Any]:
    """Check every part; overall `down` when the database is, `degraded` when another part is down."""
    database = _database(session)
    parts: dict[str, Any] = {"database": database, "redis": _redis(redis_url)}
    if database["status"] == OK:
        parts.update(_heartbeat_parts(session, detail=detail))
        parts["backup"] = backups.health_part(session, detail=detail)
    else:
        parts.update({service: {"status": UNKNOWN, "alive": 0} for service in SERVICES})
        parts["backup"] = {"status": UNKNOWN, "last_success_at": None}
    processes = _processes(run_dir, detail=detail) if run_dir is not None else None
    if processes is not None:
        parts["processes"] = processes
    if database["status"] != OK:
        status = DOWN
    elif all(part["status"] == OK for name, part in parts.items()
             if not (name == "backup" and part["status"] == UNKNOWN)):  # no backup recorded yet: not an outage
        status = OK
    else:
        status = DEGRADED
    return {"status": status, "checked_at": utcnow(), "parts": parts,
            # The first fields this endpoint had, kept for existing clients.
            "database": _legacy(database), "redis": _legacy(parts["redis"])}


def _legacy(part: dict) -> str:
    return "ok" if part["status"] == OK else f"error: {part.get('error', 'unknown')}"


def _database(session: Session) -> dict[str, Any]:
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 — any failure means "down": reported, not raised
        log.warning("health: database unreachable: %s", exc)
        session.rollback()
        return {"status": DOWN, "error": type(exc).__name__}
    return {"status": OK}


def _redis(url: str) -> dict[str, Any]:
    client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                  socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 — any failure means "down"
        return {"status": DOWN, "error": type(exc).__name__}
    finally:
        client.close()
    return {"status": OK}


def _heartbeat_parts(session: Session, *, detail: bool) -> dict[str, dict[str, Any]]:
    rows = list(session.scalars(select(ServiceHeartbeat).where(ServiceHeartbeat.service.in_(SERVICES))
                                .order_by(ServiceHeartbeat.beat_at.desc())))
    since = utcnow() - timedelta(seconds=STALE_SECONDS)
    parts = {}
    for service in SERVICES:
        mine = [row for row in rows if row.service == service]
        alive = [row for row in mine if row.beat_at >= since]
        part: dict[str, Any] = {"status": OK if alive else DOWN, "alive": len(alive),
                                "last_beat_at": mine[0].beat_at if mine else None}
        if service == "beat":
            latest = (alive or mine or [None])[0]
            info = latest.info if latest is not None else {}
            part.update(last_tick_at=_maybe_timestamp(info.get("lastTickAt")), next_run_in=info.get("nextRunIn"))
            if alive and info.get("redisOk") is False:
                part["status"] = DEGRADED  # ticking, but nothing can be scheduled while Redis is away
        if service == "wa":
            part["owned"] = sum(_count(row.info.get("owned")) for row in alive)
        if detail:
            part["instances"] = [{"instance": row.instance, "started_at": row.started_at, "beat_at": row.beat_at,
                                  "alive": row.beat_at >= since, "info": row.info} for row in mine]
        parts[service] = part
    return parts


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _processes(run_dir: Path, *, detail: bool) -> dict[str, Any] | None:
    """The supervisor's view of `make run`'s processes, or None without a fresh status file."""
    try:
        data = json.loads((run_dir / "status.json").read_text())
        updated_at = _timestamp(data["updatedAt"])
        processes = data["processes"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, OverflowError, KeyError, TypeError):
        log.warning("health: unreadable %s ignored", run_dir / "status.json", exc_info=True)
        return None
    if updated_at is None or not isinstance(processes, dict) or utcnow() - updated_at > PROCESS_STATUS_MAX_AGE:
        return None
    items = {}
    for name, proc in processes.items():
        if not isinstance(proc, dict):
            continue
        item = {"state": str(proc.get("state", UNKNOWN)), "restarts": _count(proc.get("restarts")),
                "last_exit": proc.get("lastExit"), "started_at": _maybe_timestamp(proc.get("startedAt"))}
        if detail:
            item["pid"] = proc.get("pid")
        items[str(name)] = item
    running = all(item["state"] == "running" for item in items.values())
    return {"status": OK if running else DEGRADED, "updated_at": updated_at, "items": items}


def _timestamp(value: Any) -> datetime | None:
    """An ISO 8601 string or epoch seconds, as an aware UTC datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _maybe_timestamp(value: Any) -> datetime | None:
    try:
        return _timestamp(value)
    except (ValueError, OverflowError, OSError):
        return None
