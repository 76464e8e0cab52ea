"""GET /api/health: each part, an overall status, 503 only for a down database, detail only for a superadmin."""

import json
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import create_engine, delete, update
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from shared import heartbeats
from shared.models import BackupRun, ServiceHeartbeat
from shared.timeutil import utcnow

CLOSED = "127.0.0.1:1"  # nothing listens on port 1


@pytest.fixture
def settings_for(bound_app, monkeypatch, tmp_path):
    """Swap the app's settings for a copy with some fields changed (the status file dir is a temp dir)."""

    def swap(**changes):
        changed = bound_app.config["SETTINGS"].model_copy(update={"data_dir": tmp_path, **changes})
        monkeypatch.setitem(bound_app.config, "SETTINGS", changed)
        return changed

    swap()
    return swap


@pytest.fixture
def no_heartbeats(db):
    db.execute(delete(ServiceHeartbeat))  # rolled back with the test
    db.execute(delete(BackupRun))  # no backup recorded: the backup part is unknown and does not degrade


@pytest.fixture
def all_alive(db, no_heartbeats):
    heartbeats.beat(db, "worker", instance="host-w:10", info={"hostname": "celery@host-w", "queues": ["billing"],
                                                              "concurrency": 2, "pid": 10})
    heartbeats.beat(db, "beat", instance="host-b:11", info={"lastTickAt": utcnow().isoformat(), "nextRunIn": 30.0,
                                                            "redisOk": True})
    heartbeats.beat(db, "wa", instance="wa-1", info={"owned": 3, "workerId": "wa-1"})
    db.flush()


def make_stale(db, instance: str) -> None:
    db.execute(update(ServiceHeartbeat).where(ServiceHeartbeat.instance == instance)
               .values(beat_at=utcnow() - timedelta(seconds=heartbeats.STALE_SECONDS + 5)))


def write_status(settings, *, age: float = 0, **processes) -> None:
    run = settings.data_dir / "run"
    run.mkdir(parents=True, exist_ok=True)
    (run / "status.json").write_text(json.dumps({
        "updatedAt": (utcnow() - timedelta(seconds=age)).isoformat(), "processes": processes}))


def test_health_is_ok_when_every_part_is(client, settings_for, all_alive):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok" and body["version"]
    parts = body["parts"]
    assert set(parts) == {"database", "redis", "worker", "beat", "wa", "backup"}  # no status file: no processes part
    assert parts["backup"]["status"] == "unknown"
    assert parts["worker"]["status"] == "ok" and parts["worker"]["alive"] == 1 and parts["worker"]["lastBeatAt"]
    assert parts["beat"]["status"] == "ok" and parts["beat"]["lastTickAt"] and parts["beat"]["nextRunIn"] == 30.0
    assert parts["wa"] == {"status": "ok", "alive": 1, "owned": 3, "lastBeatAt": parts["wa"]["lastBeatAt"]}


def test_a_dead_worker_degrades_health_but_still_answers_200(client, settings_for, all_alive, db):
    make_stale(db, "host-w:10")
    body = client.get("/api/health").get_json()
    assert body["status"] == "degraded"
    assert body["parts"]["worker"]["status"] == "down" and body["parts"]["worker"]["alive"] == 0
    assert body["parts"]["worker"]["lastBeatAt"]  # when it was last seen
    assert client.get("/api/health").status_code == 200


def test_a_wa_worker_owning_no_number_is_alive_and_owned_sums_alive_workers(client, settings_for, db, no_heartbeats):
    heartbeats.beat(db, "wa", instance="wa-idle", info={"owned": 0, "workerId": "wa-idle"})
    assert client.get("/api/health").get_json()["parts"]["wa"]["status"] == "ok"
    heartbeats.beat(db, "wa", instance="wa-a", info={"owned": 4})
    heartbeats.beat(db, "wa", instance="wa-dead", info={"owned": 9})
    make_stale(db, "wa-dead")
    wa = client.get("/api/health").get_json()["parts"]["wa"]
    assert wa["alive"] == 2 and wa["owned"] == 4


def test_no_wa_worker_at_all_is_down(client, settings_for, no_heartbeats):
    body = client.get("/api/health").get_json()
    assert body["parts"]["wa"] == {"status": "down", "alive": 0, "owned": 0, "lastBeatAt": None}
    assert body["status"] == "degraded"


def test_redis_down_degrades_health_without_503(client, settings_for, all_alive):
    settings_for(redis_url=f"redis://{CLOSED}/0")
    response = client.get("/api/health")
    assert response.status_code == 200  # the compose healthcheck must not restart the API for a Redis outage
    body = response.get_json()
    assert body["status"] == "degraded" and body["redis"] == "error: ConnectionError"
    assert body["parts"]["redis"] == {"status": "down", "error": "ConnectionError"}
    assert body["parts"]["worker"]["status"] == "ok"  # heartbeats are in PostgreSQL


def test_a_down_database_answers_503(bound_app, settings_for):
    dead = create_engine(f"postgresql+psycopg://nobody@{CLOSED}/none", poolclass=NullPool)
    bound_app.extensions["db_sessionmaker"] = sessionmaker(bind=dead)
    response = bound_app.test_client().get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down" and body["database"] == "error: OperationalError"
    assert body["parts"]["worker"] == {"status": "unknown", "alive": 0}


def test_instances_hosts_and_pids_are_for_the_superadmin_only(client, superadmin_client, mitra_client, bound_app,
                                                              settings_for, all_alive):
    write_status(bound_app.config["SETTINGS"], api={"pid": 4242, "state": "running", "restarts": 0})
    full = superadmin_client.get("/api/health").get_json()["parts"]
    worker, = full["worker"]["instances"]
    assert worker["instance"] == "host-w:10" and worker["info"]["hostname"] == "celery@host-w" and worker["alive"]
    assert full["processes"]["items"]["api"]["pid"] == 4242
    with bound_app.app_context():
        expired = create_access_token(identity="x", expires_delta=timedelta(seconds=-1))
    for answer in [client.get("/api/health"), mitra_client.get("/api/health"),
                   client.get("/api/health", headers={"Authorization": f"Bearer {expired}"}),
                   client.get("/api/health", headers={"Authorization": "Bearer not-a-token"})]:
        assert answer.status_code == 200
        parts = answer.get_json()["parts"]
        assert all("instances" not in part for part in parts.values())
        assert "pid" not in parts["processes"]["items"]["api"]
        assert "host-w" not in answer.get_data(as_text=True)


def test_processes_come_from_a_fresh_status_file_only(client, bound_app, settings_for, all_alive):
    settings = bound_app.config["SETTINGS"]
    write_status(settings, api={"pid": 1, "state": "running", "restarts": 0, "startedAt": utcnow().isoformat()},
                 beat={"pid": 2, "state": "backoff", "restarts": 3, "lastExit": 1, "startedAt": None})
    body = client.get("/api/health").get_json()
    processes = body["parts"]["processes"]
    assert processes["status"] == "degraded" and body["status"] == "degraded"
    assert processes["items"]["beat"] == {"state": "backoff", "restarts": 3, "lastExit": 1, "startedAt": None}
    assert processes["items"]["api"]["state"] == "running" and processes["items"]["api"]["startedAt"]

    write_status(settings, age=31, api={"pid": 1, "state": "running", "restarts": 0})
    assert "processes" not in client.get("/api/health").get_json()["parts"]  # its supervisor is gone
    (settings.data_dir / "run" / "status.json").write_text("{not json")
    assert client.get("/api/health").status_code == 200
