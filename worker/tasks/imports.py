"""CSV import jobs: validate into a preview, then confirm into customers."""

from shared import tasknames
from shared.db import session_scope
from shared.errors import DomainError
from shared.jobs import load_blob, update_job
from worker.celery_app import celery


@celery.task(name=tasknames.VALIDATE_CUSTOMER_IMPORT, time_limit=300)
def validate_customers(job_id: str, user_id: str, filename: str) -> None:
    """Validate an uploaded CSV and store its preview as the job's result."""
    from shared.services import customer_import

    update_job(job_id, state="running", progress=1)
    data = load_blob(job_id)
    if data is None:
        update_job(job_id, state="failed", error="File upload sudah kedaluwarsa. Unggah ulang file CSV.")
        return
    _run(job_id, lambda session: customer_import.validate_upload(
        session, data=data, filename=filename, user_id=user_id, progress=lambda pct: update_job(job_id, progress=pct)))


@celery.task(name=tasknames.CONFIRM_CUSTOMER_IMPORT, time_limit=300)
def confirm_customers(job_id: str, user_id: str, import_id: str) -> None:
    """Insert the valid rows of a validated import in one transaction."""
    from shared.services import customer_import

    update_job(job_id, state="running", progress=5)
    _run(job_id, lambda session: customer_import.confirm(session, import_id=import_id, user_id=user_id))


def _run(job_id: str, work) -> None:
    """Run one unit of work in its own transaction and record the outcome on the job (after commit)."""
    from shared.services.customer_import import describe_error

    try:
        with session_scope() as session:
            result = work(session)
    except DomainError as exc:
        # A bad file or a refused confirm is an answer for the user, not a worker failure.
        update_job(job_id, state="failed", error=describe_error(exc))
        return
    except Exception as exc:
        update_job(job_id, state="failed", error=describe_error(exc))
        raise
    update_job(job_id, state="done", progress=100, result=result)
