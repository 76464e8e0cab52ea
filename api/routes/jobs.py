from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.customers import JobOut
from shared import jobs

blp = Blueprint("jobs", __name__, url_prefix="/api/jobs", description="Async job status")


@blp.get("/<job_id>")
@blp.response(200, JobOut)
@login_required()
def get_job(job_id):
    """The state, progress, result or error of one of the user's jobs."""
    return jobs.get_job(db(), job_id, user_id=current_user().id)
