import uuid

from flask import current_app
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request

from api.deps import db
from api.input import Blueprint
from api.schemas.health import HealthOut
from shared.models import User, UserRole
from shared.services import health as health_service

blp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


def _asked_by_superadmin() -> bool:
    """Whether a valid superadmin token came along; any other token just gets the public answer."""
    try:
        verify_jwt_in_request(optional=True)
        identity = get_jwt_identity()
        if not identity:
            return False
        user = db().get(User, uuid.UUID(identity))
    except Exception:  # noqa: BLE001 — a bad or expired token, or a database that is down: health reports, it does not refuse
        db().rollback()
        return False
    return user is not None and user.is_active and user.role == UserRole.superadmin


@blp.get("/health")
@blp.doc(security=[])
@blp.response(200, HealthOut)
@blp.alt_response(503, schema=HealthOut, description="The database is down.")
def health():
    """Report each part (database, Redis, worker, beat, WA workers, `make run`'s processes) and an overall status.

    Public, as load balancers and the compose healthcheck call it; instances (hosts, pids) only for a superadmin.
    Only a down database answers 503: a Redis outage or a dead worker must not get the API restarted.
    """
    settings = current_app.config["SETTINGS"]
    detail = _asked_by_superadmin()
    body = health_service.report(db(), redis_url=settings.redis_url, run_dir=settings.data_dir / "run",
                                 detail=detail)
    body["version"] = settings.app_version
    return body, 503 if body["status"] == health_service.DOWN else 200
