"""An import job goes queued → done through a real Celery worker (Redis broker, committed data)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import func, select

from shared import jobs, tasknames
from shared.db import session_scope
from shared.models import Customer


@pytest.fixture
def worker():
    from worker.celery_app import celery

    with start_worker(celery, pool="solo", perform_ping_check=False, queues=["imports"], shutdown_timeout=30):
        yield


def get_job(job_id, user_id):
    with session_scope() as session:
        return jobs.get_job(session, job_id, user_id=user_id)


def wait_for(job_id, user_id, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = get_job(job_id, user_id)
        if record["state"] in ("done", "failed"):
            return record
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {record['state']} after {timeout}s")


def test_import_jobs_run_through_a_real_worker(committed_world, worker):
    user_id = committed_world.superadmin_id
    with session_scope() as session:
        job_id = jobs.submit(session, tasknames.VALIDATE_CUSTOMER_IMPORT, job_type="customer_import.validate",
                             user_id=user_id, blob=committed_world.csv(4), filename="worker.csv")
    record = wait_for(job_id, user_id)
    assert record["state"] == "done", record
    assert record["result"]["validCount"] == 4

    with session_scope() as session:
        confirm_id = jobs.submit(session, tasknames.CONFIRM_CUSTOMER_IMPORT, job_type="customer_import.confirm",
                                 user_id=user_id, import_id=record["result"]["importId"])
    record = wait_for(confirm_id, user_id)
    assert record["state"] == "done", record
    assert record["result"] == {"imported": 4, "skipped": 0}
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Customer)
                              .where(Customer.owner_id == committed_world.mitra_id)) == 4
