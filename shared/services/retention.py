"""Data retention: delete old logs, sent messages, login attempts, dead refresh tokens and finished jobs.

What is never deleted, whatever the settings say:
- invoices, and everything they reference (customers, packages, users): retention touches none of those tables;
- the payment audit trail: activity entries on invoices (pay, unpay, generate), customer deletions (they took
  the customer's unpaid invoices with them) and settings changes (who shortened retention, and when);
- queue rows still pending or sending, and the message logs of such rows;
- a reminder's queue row while the billing run could still look at its due date (it stops a second reminder).

Each table is emptied in batches of `batch_size` rows, one DELETE each, so no statement holds many row locks or
runs long on a busy table; `on_batch` (the task's commit) runs after every batch.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, exists, func, or_, select
from sqlalchemy.orm import Session

import shared.jobs
from shared import heartbeats
from shared.models import ActivityLog, LoginAttempt, RefreshToken, WaMessageLog, WaMessageQueue
from shared.services.billing import CATCH_UP_DAYS
from shared.services.settings import all_settings
from shared.services.settings_defaults import DEFAULT_SETTINGS, RETENTION_MIN_DAYS
from shared.timeutil import WIB, utcnow

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
FINAL_QUEUE_STATUSES = ("sent", "failed", "cancelled")
# Activity kept forever: the money trail. Payment entries are one per payment, as many as the invoices that are
# kept forever anyway, and tax law asks for records of 10 years (UU KUP art. 28(11)); forever is the simple bound.
KEPT_ACTIVITY_RESOURCES = ("invoices",)
KEPT_ACTIVITY_ACTIONS = ("customer.delete", "settings.update")


def retention_days(values: dict[str, str]) -> dict[str, int]:
    """Read each retention window in days (0 = keep forever) from the settings, falling back when garbled."""
    days = {}
    for key, minimum in RETENTION_MIN_DAYS.items():
        raw = (values.get(key) or "").strip()
        if not raw.isdigit():
            # Only a hand-edited row gets here (PATCH validates): fall back rather than skip or purge everything.
            log.warning("retention: setting %s=%r is not a number of days; using %s", key, raw,
                        DEFAULT_SETTINGS[key])
            raw = DEFAULT_SETTINGS[key]
        value = int(raw)
        days[key] = value if value == 0 else max(value, minimum)
    return days


def purge(session: Session, *, now: datetime | None = None, batch_size: int = BATCH_SIZE,
          on_batch: Callable[[], None] | None = None) -> dict[str, int]:
    """Delete everything past its retention window; return the number of rows deleted per table."""
    now = now or utcnow()
    days = retention_days(all_settings(session))
    step = on_batch or session.flush

    def cutoff(key: str) -> datetime | None:
        return now - timedelta(days=days[key]) if days[key] else None

    counts: dict[str, int] = {}
    # Queue rows first: deleting one sets its logs' queue_id to NULL (ON DELETE SET NULL), never cascades.
    if (before := cutoff("retention_wa_queue_days")) is not None:
        counts["wa_message_queue"] = _delete_batched(session, WaMessageQueue.__table__,
                                                     _old_queue_rows(before, now), batch_size, step)
    if (before := cutoff("retention_wa_logs_days")) is not None:
        counts["wa_message_logs"] = _delete_batched(session, WaMessageLog.__table__,
                                                    _old_message_logs(before), batch_size, step)
    if (before := cutoff("retention_activity_days")) is not None:
        counts["activity_logs"] = _delete_batched(session, ActivityLog.__table__,
                                                  _old_activity(before), batch_size, step)
    if (before := cutoff("retention_login_attempts_days")) is not None:
        counts["login_attempts"] = _delete_batched(session, LoginAttempt.__table__,
                                                   [LoginAttempt.created_at < before], batch_size, step)
    if (before := cutoff("retention_refresh_tokens_days")) is not None:
        # Dead for N days: expired N days ago, and (if revoked after expiry, a family revocation) revoked too.
        # A revoked token that has not expired stays: presenting it again is how reuse is detected.
        counts["refresh_tokens"] = _delete_batched(session, RefreshToken.__table__, [
            RefreshToken.expires_at < before,
            or_(RefreshToken.revoked_at.is_(None), RefreshToken.revoked_at < before)], batch_size, step)
    if days["retention_jobs_days"]:
        counts["jobs"] = shared.jobs.purge_finished(session, older_than=timedelta(days=days["retention_jobs_days"]))
        step()
    counts["service_heartbeats"] = heartbeats.prune(session)
    step()
    return counts


def _old_queue_rows(before: datetime, now: datetime) -> list[ColumnElement[bool]]:
    row = WaMessageQueue
    # The billing run's catch-up queues reminders for due dates up to CATCH_UP_DAYS back, skipping invoices that
    # already have a reminder row: keep those rows until their due date is out of its reach, whatever the age.
    reach = now.astimezone(WIB).date() - timedelta(days=CATCH_UP_DAYS + 1)
    return [
        row.status.in_(FINAL_QUEUE_STATUSES),
        row.scheduled_at < before,  # lets idx_wa_queue_status_scheduled narrow the scan
        func.greatest(row.updated_at, row.sent_at, row.claimed_at) < before,
        or_(row.due_date.is_(None), row.due_date < reach),
    ]


def _old_message_logs(before: datetime) -> list[ColumnElement[bool]]:
    in_flight = exists().where(WaMessageQueue.id == WaMessageLog.queue_id,
                               WaMessageQueue.status.not_in(FINAL_QUEUE_STATUSES))
    return [WaMessageLog.sent_at < before, ~in_flight]


def _old_activity(before: datetime) -> list[ColumnElement[bool]]:
    return [
        ActivityLog.created_at < before,
        or_(ActivityLog.resource.is_(None), ActivityLog.resource.not_in(KEPT_ACTIVITY_RESOURCES)),
        ActivityLog.action.not_in(KEPT_ACTIVITY_ACTIONS),
    ]


def _delete_batched(session: Session, table: Table, where: list[ColumnElement[bool]], batch_size: int,
                    step: Callable[[], None]) -> int:
    """Delete matching rows `batch_size` at a time until a batch comes back short; return how many."""
    total = 0
    while True:
        # SKIP LOCKED: a row some request is updating right now is left for tomorrow instead of waited for.
        batch = select(table.c.id).where(*where).limit(batch_size).with_for_update(skip_locked=True)
        deleted = session.execute(delete(table).where(table.c.id.in_(batch.scalar_subquery()))).rowcount or 0
        total += deleted
        step()
        if deleted < batch_size:
            return total
