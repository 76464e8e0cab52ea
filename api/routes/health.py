import marshmallow as ma
import redis
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import text

from api.deps import db

blp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


class HealthOut(ma.Schema):
    status = ma.fields.String()
    database = ma.fields.String()
    redis = ma.fields.String()
    version = ma.fields.String()


@blp.get("/health")
@blp.doc(security=[])
@blp.response(200, HealthOut)
@blp.alt_response(503, schema=HealthOut)
def health():
    """Report database and Redis reachability."""
    settings = current_app.config["SETTINGS"]
    checks = {"database": "ok", "redis": "ok"}
    try:
        db().execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 — any failure means "down", reported, not raised
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "degraded", "version": settings.app_version, **checks}
    return body, 200 if healthy else 503
