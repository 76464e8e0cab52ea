"""The nightly retention task: scheduled at 03:00 WIB, deletes in committed batches, records what it deleted."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from sqlalchemy import select

from shared import tasknames
from shared.db import session_scope
from shared.models import ActivityLog, LoginAttempt
from shared.timeutil import utcnow
from worker.celery_app import celery
from worker.tasks import maintenance


@pytest.fixture
def task_sessions(monkeypatch, session_factory):
    # The task's commits land in the test's savepoints, so nothing outlives the test.
    monkeypatch.setattr(maintenance, "session_scope", lambda: session_scope(session_factory))


def test_beat_runs_retention_nightly_at_0300_jakarta_on_a_consumed_queue():
    entries = [entry for entry in celery.conf.beat_schedule.values() if entry["task"] == tasknames.RETENTION]
    assert len(entries) == 1
    entry, = entries
    assert entry["schedule"] == crontab(hour=3, minute=0)
    assert entry["options"]["queue"] == tasknames.QUEUES[tasknames.RETENTION] == "default"
    assert "worker.tasks.maintenance" in celery.conf.include  # a worker started from celery_app registers it
    assert tasknames.RETENTION in celery.tasks
    assert celery.tasks[tasknames.RETENTION].time_limit


def test_retention_task_deletes_and_records_the_counts(db, task_sessions):
    old = LoginAttempt(username="lama", ip_address="10.0.0.9", success=False,
                       created_at=utcnow() - timedelta(days=400))
    db.add(old)
    db.flush()
    old_id = old.id

    counts = maintenance.retention.run()

    db.expire_all()
    assert db.get(LoginAttempt, old_id) is None
    assert counts["login_attempts"] >= 1
    entry = db.scalars(select(ActivityLog).where(ActivityLog.action == "maintenance.retention")
                       .order_by(ActivityLog.created_at.desc())).first()
    assert entry is not None and entry.user_id is None
    assert entry.metadata_["deleted"] == counts
