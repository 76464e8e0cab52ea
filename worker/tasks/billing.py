"""Billing jobs: a manual generation for a period, and the daily 06:00 WIB H-1 run (beat)."""

import logging
import uuid

from celery.signals import worker_ready

from shared import tasknames
from shared.db import session_scope
from shared.models import User
from shared.services import billing
from shared.services.activity import record_activity
from shared.tasknames import QUEUES
from worker.celery_app import celery
from worker.tasks.jobs import run_job

log = logging.getLogger(__name__)


@celery.task(name=tasknames.GENERATE_INVOICES, time_limit=600, soft_time_limit=540)
def generate_invoices(job_id: str, user_id: str, period: str, owner_id: str | None = None) -> None:
    """Generate one period's invoices and record {created, skipped, period} as the job's result."""

    def work(session, run) -> dict:
        result = billing.generate_invoices(session, period=period, owner_id=owner_id)
        record_activity(session, actor=session.get(User, uuid.UUID(user_id)), action="invoice.generate",
                        resource="invoices", metadata={**result, "ownerId": owner_id})
        return result

    run_job(job_id, work, scope=session_scope, start_progress=5,
            crash_message="Pembuatan tagihan gagal. Coba lagi nanti.")


@celery.task(name=tasknames.DAILY_BILLING, time_limit=900, soft_time_limit=840)
def daily_h1(catch_up: bool = False) -> list[dict]:
    """The 06:00 job: invoices due tomorrow exist and their reminders are scheduled; missed days caught up."""
    with session_scope() as session:
        results = billing.run_daily_billing(session, scheduled=not catch_up)
    for result in results:
        log.info("daily billing %(runDate)s: %(created)s created, %(skipped)s existed, %(reminders)s reminders",
                 result)
    return results


@celery.task(name=tasknames.SWEEP_BILLING, time_limit=300, soft_time_limit=270)
def sweep_h1() -> list[dict]:
    """Every ~15 min: customers added after 06:00 whose due date is within a day get their invoice and reminder."""
    with session_scope() as session:
        results = billing.sweep_h1(session)
    for result in results:
        if result["created"] or result["reminders"]:
            log.info("billing sweep %(runDate)s: %(created)s invoices, %(reminders)s reminders added", result)
    return results


@worker_ready.connect
def _catch_up_on_start(sender, **kwargs) -> None:
    # A machine that was off at 06:00 catches up when its billing worker comes back; running beside beat's
    # own run is safe (the day is claimed once in billing_runs).
    consumed = {queue.name for queue in getattr(sender.task_consumer, "queues", [])}
    if QUEUES[tasknames.DAILY_BILLING] in consumed:
        celery.send_task(tasknames.DAILY_BILLING, kwargs={"catch_up": True}, queue=QUEUES[tasknames.DAILY_BILLING])
