"""Export jobs: write a customers, invoices or finance recap file and record where to download it."""

from shared import tasknames
from shared.db import session_scope
from shared.errors import DomainError
from shared.jobs import update_job
from worker.celery_app import celery


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

    update_job(job_id, state="running", progress=1)
    try:
        with session_scope() as session:
            result = exports.run_export(session, job_id=job_id, user_id=user_id, kind=kind, fmt=fmt, params=params,
                                        progress=lambda pct: update_job(job_id, progress=pct))
    except DomainError as exc:
        update_job(job_id, state="failed", error=exc.message)
        return
    except Exception:
        update_job(job_id, state="failed", error="Ekspor gagal karena kesalahan server. Silakan coba lagi.")
        raise
    update_job(job_id, state="done", progress=100, result=result)
