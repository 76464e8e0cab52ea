"""Billing jobs: a manual generation for a period, and the daily 06:00 WIB H-1 run (beat)."""

import logging
import uuid

from celery.signals import worker_ready

from shared import tasknames
from shared.db import session_scope
from shared.errors import DomainError
from shared.jobs import update_job
from shared.models import User
from shared.services import billing
from shared.services.activity import record_activity
from shared.tasknames import QUEUES
from worker.celery_app import celery

log = logging.getLogger(__name__)


@celery.task(name=tasknames.GENERATE_INVOICES, time_limit=600, soft_time_limit=540)
def generate_invoices(job_id: str, user_id: str, period: str, owner_id: str | None = None) -> None:
    """Generate one period's invoices and record {created, skipped, period} as the job's result."""
    update_job(job_id, state="running", progress=5)
    try:
        with session_scope() as session:
            result = billing.generate_invoices(session, period=period, owner_id=owner_id)
            record_activity(session, actor=session.get(User, uuid.UUID(user_id)), action="invoice.generate",
                            resource="invoices", metadata={**result, "ownerId": owner_id})
    except DomainError as exc:
        update_job(job_id, state="failed", error=exc.message)
        return
    except Exception:
        update_job(job_id, state="failed", error="Pembuatan tagihan gagal. Coba lagi nanti.")
        raise
    update_job(job_id, state="done", progress=100, result=result)


@celery.task(name=tasknames.DAILY_BILLING, time_limit=900, soft_time_limit=840)
def daily_h1(catch_up: bool = False) -> list[dict]:
    """The 06:00 job: invoices due tomorrow exist and their reminders are scheduled; missed days caught up."""
    with session_scope() as session:
        results = billing.run_daily_billing(session, scheduled=not catch_up)
    for result in results:
        log.info("daily billing %(runDate)s: %(created)s created, %(skipped)s existed, %(reminders)s reminders",
                 result)
    return results


@worker_ready.connect
def _catch_up_on_start(sender, **kwargs) -> None:
    # A machine that was off at 06:00 catches up when its billing worker comes back; running beside beat's
    # own run is safe (the day is claimed once in billing_runs).
    consumed = {queue.name for queue in getattr(sender.task_consumer, "queues", [])}
    if QUEUES[tasknames.DAILY_BILLING] in consumed:
        celery.send_task(tasknames.DAILY_BILLING, kwargs={"catch_up": True}, queue=QUEUES[tasknames.DAILY_BILLING])
