"""Billing tasks called as functions (and once through a real worker), the beat entry and start-up catch-up."""

import time
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from celery.schedules import crontab
from celery.utils.imports import symbol_by_name
from redbeat.schedulers import RedBeatScheduler
from sqlalchemy import delete, func, select

from shared import jobs, tasknames
from shared.db import session_scope
from shared.models import ActivityLog, BillingRun, Customer, CustomerStatus, Invoice, Package
from shared.services import billing
from shared.timeutil import WIB
from worker.celery_app import celery
from worker.tasks import billing as billing_tasks


@pytest.fixture
def customers(committed_world):
    with session_scope() as session:
        package = session.scalars(select(Package).where(Package.name == committed_world.package_name)).one()
        for n, status in enumerate([CustomerStatus.active] * 3 + [CustomerStatus.isolated, CustomerStatus.inactive]):
            session.add(Customer(owner_id=committed_world.mitra_id, package_id=package.id, name=f"Tugas {n}",
                                 phone=f"628145{n:07d}", billing_date=26, discount=0, total_bill=package.price,
                                 status=status))
    yield committed_world
    with session_scope() as session:
        session.execute(delete(BillingRun).where(BillingRun.run_date.between(date(2092, 1, 1), date(2092, 12, 31))))


def accept(user_id, **kwargs) -> str:
    """A committed generation job (its message goes to the billing queue, which these tests do not consume)."""
    with session_scope() as session:
        return jobs.submit(session, tasknames.GENERATE_INVOICES, job_type="invoices.generate", user_id=user_id,
                           **kwargs)


def get_job(job_id, user_id):
    with session_scope() as session:
        return jobs.get_job(session, job_id, user_id=user_id)


def count_invoices(owner_id, period):
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Invoice).where(Invoice.owner_id == owner_id,
                                                                              Invoice.period == period))


def test_beat_runs_the_daily_job_at_0600_jakarta():
    entries = [entry for entry in celery.conf.beat_schedule.values() if entry["task"] == tasknames.DAILY_BILLING]
    assert len(entries) == 1
    entry, = entries
    assert entry["schedule"] == crontab(hour=6, minute=0)
    assert entry["options"]["queue"] == "billing"
    assert celery.conf.timezone == "Asia/Jakarta"
    # One scheduler instance (RedBeat's Redis lock); worker.scheduler subclasses RedBeat.
    assert issubclass(symbol_by_name(celery.conf.beat_scheduler), RedBeatScheduler)
    assert tasknames.DAILY_BILLING in celery.tasks and tasknames.GENERATE_INVOICES in celery.tasks


def test_generate_task_records_counts_on_its_job(customers):
    user_id, owner = customers.superadmin_id, customers.mitra_id
    job_id = accept(user_id, period="2092-03", owner_id=str(owner))
    billing_tasks.generate_invoices.run(job_id=job_id, user_id=str(user_id), period="2092-03", owner_id=str(owner))
    record = get_job(job_id, user_id)
    assert record["state"] == "done" and record["progress"] == 100
    assert record["result"] == {"period": "2092-03", "created": 3, "skipped": 0, "isolated": 1, "inactive": 1}
    assert count_invoices(owner, "2092-03") == 3

    again = accept(user_id, period="2092-03", owner_id=str(owner))
    billing_tasks.generate_invoices.run(job_id=again, user_id=str(user_id), period="2092-03", owner_id=str(owner))
    assert get_job(again, user_id)["result"]["created"] == 0
    assert get_job(again, user_id)["result"]["skipped"] == 3
    with session_scope() as session:
        logs = session.scalars(select(ActivityLog).where(ActivityLog.user_id == user_id,
                                                         ActivityLog.action == "invoice.generate")).all()
    assert len(logs) == 2 and logs[0].metadata_["ownerId"] == str(owner)


def test_generate_task_reports_a_bad_period_as_a_failed_job(customers):
    user_id = customers.superadmin_id
    job_id = accept(user_id, period="2092-13")
    billing_tasks.generate_invoices.run(job_id=job_id, user_id=str(user_id), period="2092-13")
    record = get_job(job_id, user_id)
    assert record["state"] == "failed" and "YYYY-MM" in record["error"]


def test_daily_task_does_today_and_a_missed_day_once(customers, monkeypatch):
    owner = customers.mitra_id
    with session_scope() as session:
        session.add(BillingRun(run_date=date(2092, 1, 22), due_date=date(2092, 1, 23), period="2092-02",
                               created_count=0, reminder_count=0))
    monkeypatch.setattr(billing, "utcnow", lambda: datetime(2092, 1, 25, 6, 0, 5, tzinfo=WIB))
    results = billing_tasks.daily_h1.run()
    # The 23rd and 24th were missed; the 25th is today: billing date 26 → due 26 Jan, period February.
    assert [r["runDate"] for r in results] == ["2092-01-23", "2092-01-24", "2092-01-25"]
    assert results[-1]["period"] == "2092-02" and results[-1]["created"] >= 3
    assert count_invoices(owner, "2092-02") == 3
    assert billing_tasks.daily_h1.run() == []
    assert billing_tasks.daily_h1.run(catch_up=True) == []
    with session_scope() as session:
        runs = session.scalars(select(BillingRun.run_date).where(BillingRun.run_date >= date(2092, 1, 22))
                               .order_by(BillingRun.run_date)).all()
    assert runs == [date(2092, 1, 22), date(2092, 1, 23), date(2092, 1, 24), date(2092, 1, 25)]


@pytest.mark.parametrize(("queues", "sent"), [({"billing", "default"}, True), ({"imports"}, False)])
def test_a_billing_worker_starting_up_queues_one_catch_up(monkeypatch, queues, sent):
    calls = []
    monkeypatch.setattr(celery, "send_task", lambda name, **kwargs: calls.append((name, kwargs)))
    consumer = SimpleNamespace(task_consumer=SimpleNamespace(queues=[SimpleNamespace(name=q) for q in queues]))
    billing_tasks._catch_up_on_start(consumer)
    expected = [(tasknames.DAILY_BILLING, {"kwargs": {"catch_up": True}, "queue": "billing"})]
    assert calls == (expected if sent else [])


@pytest.fixture
def billing_worker():
    from celery.contrib.testing.worker import start_worker
    from celery.signals import worker_ready

    # The start-up catch-up would run today's real job on the test database; it is tested above.
    worker_ready.disconnect(billing_tasks._catch_up_on_start)
    try:
        with start_worker(celery, pool="solo", perform_ping_check=False, queues=["billing"], shutdown_timeout=30):
            yield
    finally:
        worker_ready.connect(billing_tasks._catch_up_on_start)


def test_generation_runs_through_a_real_worker(customers, billing_worker):
    user_id, owner = customers.superadmin_id, customers.mitra_id
    job_id = accept(user_id, period="2092-05", owner_id=str(owner))
    deadline = time.monotonic() + 20
    while (record := get_job(job_id, user_id))["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, record
        time.sleep(0.05)
    assert record["state"] == "done", record
    assert record["result"]["created"] == 3
    assert count_invoices(owner, "2092-05") == 3
