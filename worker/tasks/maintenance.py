"""Housekeeping jobs: the nightly 03:00 WIB retention run (beat)."""

import logging

from shared import tasknames
from shared.db import session_scope
from shared.services import retention as retention_service
from shared.services.activity import record_activity
from worker.celery_app import celery

log = logging.getLogger(__name__)


@celery.task(name=tasknames.RETENTION, time_limit=1800, soft_time_limit=1740)
def retention() -> dict[str, int]:
    """Delete what is past its retention window and record how much in the activity log."""
    with session_scope() as session:
        # Commit after every batch: each DELETE's row locks are released at once, and work done survives a
        # time limit (the next night goes on from there).
        counts = retention_service.purge(session, on_batch=session.commit)
        record_activity(session, actor=None, action="maintenance.retention", resource="maintenance",
                        metadata={"deleted": counts})
    log.info("retention: deleted %s", ", ".join(f"{table}={count}" for table, count in counts.items()))
    return counts
