"""Backup runs in PostgreSQL: each backup records its result; health warns when the last good one is old.

compose's db-backup (compose/backup/backup.sh, with psql) and `make backup` (scripts/devenv/backup.py) both write
`backup_runs`. The warning is about the age of the newest *good* run, not about failed rows: a backup that cannot
reach the database cannot record its failure either, and still shows once 36 hours pass.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import BackupRun
from shared.timeutil import utcnow

# A nightly backup that missed one night is still under 36 h old; two missed nights are not.
STALE_AFTER = timedelta(hours=36)


def record(session: Session, *, source: str, ok: bool, started_at: datetime, file: str | None = None,
           size_bytes: int | None = None, off_host: str | None = None, error: str | None = None) -> BackupRun:
    """Store one backup attempt's result (the caller commits)."""
    run = BackupRun(source=source, ok=ok, started_at=started_at, finished_at=utcnow(), file=file,
                    size_bytes=size_bytes, off_host=off_host, error=error[:2000] if error else None)
    session.add(run)
    session.flush()
    return run


def health_part(session: Session, *, detail: bool, now: datetime | None = None) -> dict[str, Any]:
    """The `backup` part of /api/health.

    `unknown` while no backup has ever been recorded (a development database; a fresh install before its first
    night), `down` when the newest good backup is older than 36 h or there is none but failures, else `ok`.
    The last failure's message and the file names go to the superadmin only.
    """
    now = now or utcnow()
    last = session.scalars(select(BackupRun).order_by(BackupRun.finished_at.desc()).limit(1)).first()
    good = session.scalars(select(BackupRun).where(BackupRun.ok.is_(True))
                           .order_by(BackupRun.finished_at.desc()).limit(1)).first()
    if last is None:
        return {"status": "unknown", "last_success_at": None, "stale_after_hours": _hours(STALE_AFTER)}
    fresh = good is not None and now - good.finished_at <= STALE_AFTER
    part: dict[str, Any] = {"status": "ok" if fresh else "down",
                            "last_success_at": good.finished_at if good else None,
                            "last_run_at": last.finished_at, "last_run_ok": last.ok,
                            "stale_after_hours": _hours(STALE_AFTER)}
    if not fresh:
        part["error"] = "StaleBackup" if good is not None else "NoGoodBackup"
    if detail:
        part.update(last_error=None if last.ok else last.error, last_file=good.file if good else None,
                    last_source=last.source, off_host=good.off_host if good else None)
    return part


def _hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)
