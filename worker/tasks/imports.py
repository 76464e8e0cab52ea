"""CSV import jobs: validate into a preview, then confirm into customers."""

from shared import jobs, tasknames
from shared.db import session_scope
from shared.errors import Invalid
from worker.celery_app import celery
from worker.tasks.jobs import run_job

UPLOAD_GONE = "File upload sudah kedaluwarsa. Unggah ulang file CSV."


@celery.task(name=tasknames.VALIDATE_CUSTOMER_IMPORT, time_limit=300)
def validate_customers(job_id: str, user_id: str, filename: str) -> None:
    """Validate an uploaded CSV and store its preview as the job's result."""
    from shared.services import customer_import

    def work(session, run) -> dict:
        data = jobs.load_blob(session, job_id)
        if data is None:
            raise Invalid(UPLOAD_GONE)
        return customer_import.validate_upload(session, data=data, filename=filename, user_id=user_id,
                                               progress=run.progress)

    # A bad file or a refused confirm is an answer for the user, not a worker failure: describe_error says which.
    run_job(job_id, work, scope=session_scope, describe=customer_import.describe_error)


@celery.task(name=tasknames.CONFIRM_CUSTOMER_IMPORT, time_limit=300)
def confirm_customers(job_id: str, user_id: str, import_id: str) -> None:
    """Insert the valid rows of a validated import in one transaction."""
    from shared.services import customer_import

    run_job(job_id, lambda session, run: customer_import.confirm(session, import_id=import_id, user_id=user_id),
            scope=session_scope, start_progress=5, describe=customer_import.describe_error)
