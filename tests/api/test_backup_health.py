"""The health report's backup part: a failed run is recorded, and a last good backup over 36 h old warns."""

from datetime import timedelta

import pytest
from sqlalchemy import delete

from shared import backups
from shared.models import BackupRun, ServiceHeartbeat
from shared.timeutil import utcnow


@pytest.fixture
def no_runs(db):
    db.execute(delete(BackupRun))  # rolled back with the test
    db.execute(delete(ServiceHeartbeat))


def add_run(db, *, hours_ago: float, ok: bool, error: str | None = None, file: str | None = None) -> None:
    run = backups.record(db, source="compose", ok=ok, started_at=utcnow(), file=file, error=error)
    run.finished_at = utcnow() - timedelta(hours=hours_ago)
    db.flush()


def test_no_backup_recorded_is_unknown_and_not_an_outage(client, no_runs):
    part = client.get("/api/health").get_json()["parts"]["backup"]
    assert part == {"status": "unknown", "lastSuccessAt": None, "staleAfterHours": 36}


def test_a_recent_good_backup_is_ok(superadmin_client, db, no_runs):
    add_run(db, hours_ago=2, ok=True, file="fibernode-20261201-023000.dump")
    part = superadmin_client.get("/api/health").get_json()["parts"]["backup"]
    assert part["status"] == "ok" and part["lastRunOk"] is True and part["lastSuccessAt"]
    assert part["lastFile"] == "fibernode-20261201-023000.dump" and part["lastError"] is None


def test_failures_after_a_good_backup_warn_once_it_is_36_hours_old(client, superadmin_client, db, no_runs):
    add_run(db, hours_ago=37, ok=True, file="fibernode-old.dump")
    add_run(db, hours_ago=12, ok=False, error="pg_dump: error: connection to server failed")
    body = superadmin_client.get("/api/health").get_json()
    part = body["parts"]["backup"]
    assert part["status"] == "down" and part["error"] == "StaleBackup" and part["lastRunOk"] is False
    assert part["lastError"].startswith("pg_dump: error")
    assert body["status"] == "degraded"
    public = client.get("/api/health").get_json()["parts"]["backup"]
    assert public["status"] == "down" and "lastError" not in public and "lastFile" not in public


def test_only_failures_is_down(client, db, no_runs):
    add_run(db, hours_ago=1, ok=False, error="boom")
    part = client.get("/api/health").get_json()["parts"]["backup"]
    assert part["status"] == "down" and part["error"] == "NoGoodBackup" and part["lastSuccessAt"] is None


def test_a_failure_under_36_hours_after_a_good_backup_is_not_yet_a_warning(client, db, no_runs):
    add_run(db, hours_ago=30, ok=True)
    add_run(db, hours_ago=6, ok=False, error="boom")
    assert client.get("/api/health").get_json()["parts"]["backup"]["status"] == "ok"
