"""CSV import jobs: validate into a preview, then confirm into customers."""

from worker.celery_app import celery
from shared import tasknames
from shared.db import session_scope
from shared.jobs import load_blob, update_job


@celery.task(name=tasknames.VALIDATE_CUSTOMER_IMPORT, time_limit=300)
def validate_customers(job_id: str, user_id: str, filename: str) -> None:
    """Validate an uploaded CSV and store its preview as the job's result."""
    from shared.services import customer_import

    update_job(job_id, state="running", progress=1)
    try:
        data = load_blob(job_id) or b""
        with session_scope() as session:
            preview = customer_import.validate_upload(
                session, data=data, filename=filename, user_id=user_id,
                progress=lambda pct: update_job(job_id, progress=pct))
        update_job(job_id, state="done", progress=100, result=preview)
    except Exception as exc:
        update_job(job_id, state="failed", error=customer_import.describe_error(exc))
        raise


@celery.task(name=tasknames.CONFIRM_CUSTOMER_IMPORT, time_limit=300)
def confirm_customers(job_id: str, user_id: str, import_id: str) -> None:
    """Insert the valid rows of a validated import in one transaction."""
    from shared.services import customer_import

    update_job(job_id, state="running", progress=5)
    try:
        with session_scope() as session:
            result = customer_import.confirm(session, import_id=import_id, user_id=user_id)
        update_job(job_id, state="done", progress=100, result=result)
    except Exception as exc:
        update_job(job_id, state="failed", error=customer_import.describe_error(exc))
        raise
