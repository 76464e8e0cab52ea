"""Per-request database session and the authenticated actor."""

import uuid
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, request
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from sqlalchemy.orm import Session

from shared.errors import Forbidden, Unauthorized
from shared.models import User, UserRole


def db() -> Session:
    """The request's session; committed once when the request succeeds (see app.py)."""
    if "db" not in g:
        g.db = current_app.extensions["db_sessionmaker"]()
        g.db.info["ip_address"] = client_ip()
    return g.db


def client_ip() -> str:
    return (request.remote_addr or "unknown")[:45]


def user_agent() -> str:
    return (request.headers.get("User-Agent") or "unknown")[:500]


def current_user() -> User:
    if "current_user" not in g:
        verify_jwt_in_request()
        user = db().get(User, _user_id(get_jwt_identity()))
        if user is None or not user.is_active:
            raise Unauthorized("Sesi Anda tidak berlaku lagi. Silakan login kembali.", code="inactive_user")
        g.current_user = user
    return g.current_user


def _user_id(identity) -> uuid.UUID:
    # A validly signed token is still input: a `sub` that is no user id is an invalid token, not a 500.
    try:
        return uuid.UUID(str(identity))
    except ValueError:
        raise Unauthorized("Token tidak valid. Silakan login kembali.", code="invalid_token") from None


def login_required(*roles: UserRole) -> Callable:
    """Require a valid access token and, when given, one of the roles."""

    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            user = current_user()
            if roles and user.role not in roles:
                raise Forbidden("Anda tidak memiliki akses untuk tindakan ini.")
            return fn(*args, **kwargs)

        return wrapper

    return decorator


superadmin_required = login_required(UserRole.superadmin)
