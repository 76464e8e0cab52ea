"""Accepted jobs are PostgreSQL rows: they survive Redis forgetting them, are sent only after commit, are claimed
once, and the sweeper re-sends, re-runs or fails them."""

import uuid
from datetime import timedelta
from functools import partial

import pytest
import redis
from sqlalchemy import func, select, text, update

from shared import jobs, tasknames
from shared.db import session_scope
from shared.jobs import redis_client
from shared.models import Job, JobBlob
from tests.fixtures.imports import csv_bytes


@pytest.fixture
def tasks(monkeypatch, session_factory):
    """The task modules, their transactions joined to the test's rolled-back connection."""
    from worker.tasks import billing, exports, imports

    for module in (billing, exports, imports):
        monkeypatch.setattr(module, "session_scope", partial(session_scope, session_factory))
    return {tasknames.GENERATE_INVOICES: billing.generate_invoices, tasknames.EXPORT_INVOICES: exports.export_invoices,
            tasknames.EXPORT_CUSTOMERS: exports.export_customers,
            tasknames.VALIDATE_CUSTOMER_IMPORT: imports.validate_customers}


@pytest.fixture(autouse=True)
def _export_dir(monkeypatch, tmp_path):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)


def accept_three(client) -> list[str]:
    """What the issue lost: a generation and two exports accepted while no worker runs."""
    ids = [client.post("/api/invoices/generate", json={}).json["jobId"],
           client.get("/api/invoices/export", query_string={"format": "csv"}).json["jobId"],
           client.get("/api/customers/export", query_string={"format": "xlsx"}).json["jobId"]]
    assert len(set(ids)) == 3
    return ids


def queued_messages() -> dict[str, dict]:
    """The job messages waiting in Redis, by job id: what a worker would receive."""
    import base64
    import json

    found = {}
    for queue in ("billing", "exports", "imports", "default"):
        for raw in redis_client().lrange(queue, 0, -1):
            message = json.loads(raw)
            found[message["headers"]["id"]] = {"task": message["headers"]["task"],
                                              "kwargs": json.loads(base64.b64decode(message["body"]))[1]}
    return found


def age(db, job_ids, *, seconds=120, column="sent_at"):
    """Let time pass for these jobs: their last send (or lease) is `seconds` older."""
    db.execute(update(Job).where(Job.id.in_([uuid.UUID(j) for j in job_ids]))
               .values({column: func.clock_timestamp() - timedelta(seconds=seconds)}))


def run_message(tasks, message):
    tasks[message["task"]](**message["kwargs"])


def test_accepted_jobs_survive_redis_forgetting_them_and_run_after_the_sweep(superadmin_client, db, tasks):
    ids = accept_three(superadmin_client)
    assert set(queued_messages()) == set(ids)
    redis_client().flushdb()  # what a Valkey without an append log remembers after kill -9
    for job_id in ids:
        res = superadmin_client.get(f"/api/jobs/{job_id}")
        assert res.status_code == 200, res.json
        assert res.json["state"] == "queued"
    assert jobs.sweep(db)["resent"] == 0  # sent a moment ago: not yet
    age(db, ids)
    assert jobs.sweep(db) == {"rerun": 0, "failed": 0, "resent": 3}
    db.commit()  # the re-sends go after the sweep's commit
    messages = queued_messages()
    assert set(messages) == set(ids)
    for message in messages.values():
        run_message(tasks, message)
    for job_id in ids:
        assert superadmin_client.get(f"/api/jobs/{job_id}").json["state"] == "done"


def test_a_queued_job_redis_still_holds_is_not_sent_again(superadmin_client, db):
    job_id = superadmin_client.post("/api/invoices/generate", json={}).json["jobId"]
    age(db, [job_id])
    assert jobs.sweep(db)["resent"] == 0  # its message is still in Redis, a worker is just busy or stopped
    age(db, [job_id], seconds=11 * 60)
    assert jobs.sweep(db)["resent"] == 1  # that long: a worker may have taken it and died before claiming


def test_the_message_is_sent_only_after_commit(session_factory, superadmin):
    session = session_factory()
    job_id = jobs.submit(session, tasknames.GENERATE_INVOICES, job_type="invoices.generate", user_id=superadmin.id,
                         period="2092-01")
    session.flush()
    assert queued_messages() == {}
    session.commit()
    assert set(queued_messages()) == {job_id}
    rolled_back = jobs.submit(session, tasknames.GENERATE_INVOICES, job_type="invoices.generate",
                              user_id=superadmin.id, period="2092-02")
    session.rollback()
    session.commit()
    assert rolled_back not in queued_messages()
    session.close()


def test_redis_down_is_503_in_indonesian_and_accepts_nothing(superadmin_client, monkeypatch, db):
    monkeypatch.setattr(jobs, "_probe_client", lambda: redis.Redis(port=1, socket_connect_timeout=0.5))
    for res in (superadmin_client.post("/api/invoices/generate", json={}),
                superadmin_client.get("/api/invoices/export", query_string={"format": "csv"})):
        assert res.status_code == 503
        assert res.json["error"]["code"] == "queue_unavailable"
        assert res.json["error"]["message"].startswith("Antrian tugas sedang tidak tersedia")
    assert db.scalar(select(func.count()).select_from(Job)) == 0


def test_a_send_that_fails_after_commit_leaves_the_job_for_the_sweeper(superadmin_client, monkeypatch, db):
    client = jobs.celery_client()
    monkeypatch.setattr(client, "send_task", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("gone")))
    res = superadmin_client.post("/api/invoices/generate", json={})
    assert res.status_code == 202  # accepted: the row is the truth
    job_id = res.json["jobId"]
    monkeypatch.undo()
    assert queued_messages() == {}
    age(db, [job_id])
    assert jobs.sweep(db)["resent"] == 1
    db.commit()
    assert set(queued_messages()) == {job_id}


def test_a_duplicate_delivery_does_nothing(superadmin_client, db, tasks):
    job_id = superadmin_client.post("/api/invoices/generate", json={}).json["jobId"]
    message = queued_messages()[job_id]
    run_message(tasks, message)
    first = superadmin_client.get(f"/api/jobs/{job_id}").json
    run_message(tasks, message)  # Celery redelivering the acks_late message, or a sweeper re-send
    assert superadmin_client.get(f"/api/jobs/{job_id}").json == first
    assert first["state"] == "done" and first["attempts"] == 1


def test_a_job_whose_worker_died_is_run_again_and_the_ui_is_told(superadmin_client, db, tasks):
    job_id = superadmin_client.post("/api/invoices/generate", json={}).json["jobId"]
    message = queued_messages()[job_id]
    held = jobs.claim(db, job_id)  # a worker took it ... and was killed -9: nothing renews the lease
    assert jobs.sweep(db)["rerun"] == 0  # the lease still runs
    age(db, [job_id], seconds=1, column="lease_expires_at")
    assert jobs.sweep(db) == {"rerun": 1, "failed": 0, "resent": 0}
    record = superadmin_client.get(f"/api/jobs/{job_id}").json
    assert record["state"] == "queued" and record["notice"] == "Tugas diulang karena worker berhenti."
    assert not jobs.finish(db, held, result={"late": True})  # the dead run cannot finish it any more
    run_message(tasks, message)
    record = superadmin_client.get(f"/api/jobs/{job_id}").json
    assert record["state"] == "done" and record["attempts"] == 2
    assert record["notice"] == "Tugas diulang karena worker berhenti."


def test_a_job_that_keeps_killing_its_worker_fails_after_three_attempts_with_a_reason(superadmin_client, db):
    job_id = superadmin_client.post("/api/invoices/generate", json={}).json["jobId"]
    for attempt in range(1, 4):
        assert jobs.claim(db, job_id).attempt == attempt
        age(db, [job_id], seconds=1, column="lease_expires_at")
        jobs.sweep(db)
    record = superadmin_client.get(f"/api/jobs/{job_id}").json
    assert record["state"] == "failed" and record["attempts"] == 3
    assert record["error"] == "Tugas gagal karena worker berhenti saat mengerjakannya (3 kali dicoba). Silakan ulangi."


def test_a_job_not_safe_to_rerun_fails_at_once_and_drops_its_upload(db, superadmin, superadmin_client):
    job_id = jobs.submit(db, tasknames.VALIDATE_CUSTOMER_IMPORT, job_type="customer_import.validate",
                         user_id=superadmin.id, blob=b"nama\n", rerunnable=False, filename="a.csv")
    jobs.claim(db, job_id)
    age(db, [job_id], seconds=1, column="lease_expires_at")
    assert jobs.sweep(db)["failed"] == 1
    record = superadmin_client.get(f"/api/jobs/{job_id}").json
    assert record["state"] == "failed" and "tidak diulang otomatis" in record["error"]
    assert db.get(JobBlob, uuid.UUID(job_id)) is None


def test_an_upload_is_kept_in_postgresql_until_its_job_finishes(as_user, make_user, db, tasks):
    from shared.models import UserRole

    admin = as_user(make_user(role=UserRole.superadmin))
    data = csv_bytes("valid.csv")
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n'
            + data + b"\r\n--b--\r\n")
    job_id = admin.post("/api/customers/import", data=body, content_type="multipart/form-data; boundary=b")\
        .json["jobId"]
    assert db.get(JobBlob, uuid.UUID(job_id)).data == data
    assert not redis_client().keys("fibernode:blob:*")
    redis_client().flushdb()
    run_message(tasks, {"task": tasknames.VALIDATE_CUSTOMER_IMPORT,
                        "kwargs": {"job_id": job_id, "user_id": str(admin.user.id), "filename": "p.csv"}})
    assert admin.get(f"/api/jobs/{job_id}").json["state"] == "done"
    db.expire_all()
    assert db.get(JobBlob, uuid.UUID(job_id)) is None


def test_purge_finished_deletes_old_done_and_failed_jobs_only(db, superadmin):
    def job(state, finished_days_ago=None):
        job_id = jobs.submit(db, tasknames.VALIDATE_CUSTOMER_IMPORT, job_type="customer_import.validate",
                             user_id=superadmin.id, blob=b"x", filename="a.csv")
        if state != "queued":
            held = jobs.claim(db, job_id)
            if state == "done":
                jobs.finish(db, held, result={})
            elif state == "failed":
                jobs.fail(db, held, error="x")
        if finished_days_ago is not None:
            db.execute(text("UPDATE jobs SET finished_at = clock_timestamp() - make_interval(days => :d) "
                            "WHERE id = :id"), {"d": finished_days_ago, "id": job_id})
        return uuid.UUID(job_id)

    old_done, old_failed = job("done", 40), job("failed", 40)
    kept = [job("done", 5), job("failed", 1), job("queued"), job("running")]
    assert jobs.purge_finished(db, older_than=timedelta(days=30)) == 2
    remaining = set(db.scalars(select(Job.id).where(Job.id.in_([old_done, old_failed, *kept]))))
    assert remaining == set(kept)
    assert jobs.purge_finished(db, older_than=timedelta(days=30)) == 0
