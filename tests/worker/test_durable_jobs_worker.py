"""Durable jobs through real workers: a worker killed -9 mid-job, and Redis forgetting every queued message."""

import os
import signal
import subprocess
import sys
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import worker_ready

from shared import jobs, tasknames
from shared.config import REPO_ROOT, get_settings
from shared.db import get_engine, session_scope
from shared.jobs import redis_client
from worker.celery_app import celery
from worker.tasks import billing as billing_tasks

LEASE_SECONDS = 3


@pytest.fixture(autouse=True)
def export_dir(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path


def accept(world, task, job_type, **kwargs) -> str:
    with session_scope() as session:
        return jobs.submit(session, task, job_type=job_type, user_id=world.superadmin_id, **kwargs)


def job(world, job_id) -> dict:
    with session_scope() as session:
        return jobs.get_job(session, job_id, user_id=world.superadmin_id)


def settled(world, ids) -> list[dict] | None:
    records = [job(world, job_id) for job_id in ids]
    return records if all(r["state"] in ("done", "failed") for r in records) else None


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout}s")


@pytest.fixture
def in_process_worker():
    """Start a worker in this process on every job queue (the billing catch-up on start would bill the test DB)."""
    worker_ready.disconnect(billing_tasks._catch_up_on_start)
    try:
        yield lambda: start_worker(celery, pool="solo", perform_ping_check=False,
                                   queues=["default", "billing", "exports"], shutdown_timeout=30)
    finally:
        worker_ready.connect(billing_tasks._catch_up_on_start)


def spawn_worker(tmp_path) -> subprocess.Popen:
    """A separate worker process on the exports queue, with a short lease, that the test can kill -9."""
    env = {**os.environ, "JOB_LEASE_SECONDS": str(LEASE_SECONDS), "JOB_HEARTBEAT_SECONDS": "1",
           "DATA_DIR": str(tmp_path)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "-Q", "exports", "-P", "solo",
         "--without-mingle", "--without-gossip", "-n", f"doomed-{os.getpid()}@%h", "--loglevel=warning"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_job_whose_worker_is_killed_mid_run_is_run_again_within_the_lease(committed_world, in_process_worker,
                                                                             tmp_path):
    # An exclusive lock on packages holds the export mid-run (its query joins packages) until the test lets go.
    blocker = get_engine().connect()
    blocker.begin()
    blocker.exec_driver_sql("LOCK TABLE packages IN ACCESS EXCLUSIVE MODE")
    doomed = None
    try:
        job_id = accept(committed_world, tasknames.EXPORT_CUSTOMERS, "export.customers", fmt="csv", params={})
        doomed = spawn_worker(tmp_path)
        wait_until(lambda: job(committed_world, job_id)["state"] == "running", 30, "the doomed worker claiming it")
        time.sleep(1.5)  # it renews its lease meanwhile
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        killed_at = time.monotonic()

        def swept():  # beat's sweep, run here every 0.1 s
            with session_scope() as session:
                jobs.sweep(session)
            return job(committed_world, job_id)["state"] == "queued"

        wait_until(swept, LEASE_SECONDS + 5, "the sweeper re-queuing it")
        assert time.monotonic() - killed_at <= LEASE_SECONDS + 2
        record = job(committed_world, job_id)
        assert record["notice"] == "Tugas diulang karena worker berhenti." and record["attempts"] == 1
    finally:
        blocker.rollback()
        blocker.close()
        if doomed and doomed.poll() is None:
            doomed.kill()
    with in_process_worker():  # a healthy worker takes the re-sent message
        record, = wait_until(lambda: settled(committed_world, [job_id]), 30, "the re-run finishing")
    assert record["state"] == "done", record
    assert record["attempts"] == 2 and record["notice"] == "Tugas diulang karena worker berhenti."


def test_jobs_queued_when_redis_is_flushed_still_finish_after_the_sweep(committed_world, monkeypatch,
                                                                       in_process_worker):
    monkeypatch.setattr(get_settings(), "job_resend_after_seconds", 0.5)
    ids = [accept(committed_world, tasknames.EXPORT_CUSTOMERS, "export.customers", fmt="csv", params={}),
           accept(committed_world, tasknames.EXPORT_CUSTOMERS, "export.customers", fmt="xlsx", params={}),
           accept(committed_world, tasknames.GENERATE_INVOICES, "invoices.generate", period="2092-09",
                  owner_id=str(committed_world.mitra_id))]
    redis_client().flushall()  # no worker ran: Redis forgets every message
    time.sleep(0.6)
    with in_process_worker():
        time.sleep(1)
        assert [job(committed_world, i)["state"] for i in ids] == ["queued"] * 3  # nothing left to wake a worker
        # Beat's sweep (or a starting worker's) re-sends what Redis forgot; the worker runs the sweep and the jobs.
        celery.send_task(tasknames.SWEEP_JOBS, queue="default")
        records = wait_until(lambda: settled(committed_world, ids), 30, "every job finishing")
    assert [r["state"] for r in records] == ["done"] * 3, records
    assert records[2]["result"]["period"] == "2092-09"


@pytest.mark.parametrize(("queues", "sent"), [({"default", "billing"}, True), ({"exports"}, False)])
def test_a_worker_on_the_default_queue_sweeps_once_when_it_starts(monkeypatch, queues, sent):
    from types import SimpleNamespace

    from worker.tasks import jobs as job_tasks

    calls = []
    monkeypatch.setattr(celery, "send_task", lambda name, **kwargs: calls.append((name, kwargs)))
    consumer = SimpleNamespace(task_consumer=SimpleNamespace(queues=[SimpleNamespace(name=q) for q in queues]))
    job_tasks._sweep_on_start(consumer)
    assert calls == ([(tasknames.SWEEP_JOBS, {"queue": "default"})] if sent else [])


def test_beat_sweeps_jobs_every_30_s_and_billing_every_15_min():
    entries = {entry["task"]: entry for entry in celery.conf.beat_schedule.values()}
    assert entries[tasknames.SWEEP_JOBS]["schedule"] == 30
    assert entries[tasknames.SWEEP_JOBS]["options"]["queue"] == "default"
    assert entries[tasknames.SWEEP_BILLING]["schedule"] == 15 * 60
    assert entries[tasknames.SWEEP_BILLING]["options"]["queue"] == "billing"
    assert {tasknames.SWEEP_JOBS, tasknames.SWEEP_BILLING} <= set(celery.tasks)
