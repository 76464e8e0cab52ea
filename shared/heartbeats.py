"""Process heartbeats in PostgreSQL: each long-running process says it is alive; health and healthchecks read them.

    python -m shared.heartbeats check worker [--max-age 90]   # exit 0 if this host has a fresh `worker` beat
"""

import argparse
import os
import socket
import sys
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared.models.heartbeat import ServiceHeartbeat
from shared.timeutil import utcnow

# A process beats every BEAT_SECONDS; one whose last beat is older than STALE_SECONDS is taken for dead.
BEAT_SECONDS = 15
STALE_SECONDS = 60


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(session: Session, service: str, *, instance: str | None = None, info: dict[str, Any] | None = None) -> None:
    """Record that `service` on `instance` (default this host:pid) is alive, with what it wants to report."""
    now = utcnow()
    stmt = insert(ServiceHeartbeat).values(service=service, instance=instance or instance_name(), started_at=now,
                                           beat_at=now, info=info or {})
    session.execute(stmt.on_conflict_do_update(
        index_elements=[ServiceHeartbeat.service, ServiceHeartbeat.instance],
        set_={"beat_at": stmt.excluded.beat_at, "info": stmt.excluded.info}))


def forget(session: Session, service: str, *, instance: str | None = None) -> None:
    """Remove a process's heartbeat when it stops cleanly."""
    session.execute(delete(ServiceHeartbeat).where(ServiceHeartbeat.service == service,
                                                   ServiceHeartbeat.instance == (instance or instance_name())))


def alive(session: Session, service: str, *, max_age: float = STALE_SECONDS,
          host: str | None = None) -> list[ServiceHeartbeat]:
    """The instances of `service` that beat within `max_age` seconds (on `host` only, when given)."""
    stmt = select(ServiceHeartbeat).where(ServiceHeartbeat.service == service,
                                          ServiceHeartbeat.beat_at >= utcnow() - timedelta(seconds=max_age))
    if host is not None:
        stmt = stmt.where(ServiceHeartbeat.instance.startswith(f"{host}:"))
    return list(session.scalars(stmt.order_by(ServiceHeartbeat.instance)))


def prune(session: Session, *, older_than: timedelta = timedelta(days=1)) -> int:
    """Drop heartbeats of processes gone for longer than `older_than` (restarts leave one row per pid)."""
    result = session.execute(delete(ServiceHeartbeat).where(ServiceHeartbeat.beat_at < utcnow() - older_than))
    return result.rowcount or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.heartbeats", description="container healthchecks")
    sub = parser.add_subparsers(dest="cmd", required=True)
    check = sub.add_parser("check", help="exit 0 if SERVICE on this host beat recently")
    check.add_argument("service")
    check.add_argument("--max-age", type=float, default=STALE_SECONDS)
    args = parser.parse_args(argv)

    from shared.db import session_scope

    with session_scope() as session:
        found = alive(session, args.service, max_age=args.max_age, host=socket.gethostname())
    if not found:
        print(f"no {args.service} heartbeat from {socket.gethostname()} in the last {args.max_age:.0f}s",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
