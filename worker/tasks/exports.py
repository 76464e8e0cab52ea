"""Export jobs: write a customers, invoices or finance recap file and record where to download it."""

from shared import tasknames
from shared.db import session_scope
from worker.celery_app import celery
from worker.tasks.jobs import run_job


@celery.task(name=tasknames.EXPORT_CUSTOMERS, time_limit=900, soft_time_limit=870)
def export_customers(job_id: str, user_id: str, fmt: str, params: dict) -> None:
    """Write the customers export."""
    _run(job_id, "customers", user_id=user_id, fmt=fmt, params=params)


@celery.task(name=tasknames.EXPORT_INVOICES, time_limit=900, soft_time_limit=870)
def export_invoices(job_id: str, user_id: str, fmt: str, params: dict) -> None:
    """Write the invoices export."""
    _run(job_id, "invoices", user_id=user_id, fmt=fmt, params=params)


@celery.task(name=tasknames.EXPORT_FINANCE, time_limit=900, soft_time_limit=870)
def export_finance(job_id: str, user_id: str, fmt: str, params: dict) -> None:
    """Write the finance recap, summary rows included."""
    _run(job_id, "finance", user_id=user_id, fmt=fmt, params=params)


def _run(job_id: str, kind: str, *, user_id: str, fmt: str, params: dict) -> None:
    from shared.services import exports

    run_job(job_id, lambda session, run: exports.run_export(
        session, job_id=job_id, user_id=user_id, kind=kind, fmt=fmt, params=params, progress=run.progress),
        scope=session_scope, crash_message="Ekspor gagal karena kesalahan server. Silakan coba lagi.")
