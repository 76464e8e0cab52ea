from flask import request
from flask_jwt_extended import create_access_token

from api.deps import client_ip, current_user, db, login_required, user_agent
from api.extensions import limiter
from api.input import Blueprint
from api.schemas.users import LoginIn, ProfileIn, RefreshIn, TokenPairOut, UserOut
from shared.models import User
from shared.services import auth as auth_service

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, token refresh, own profile")


def _login_rate_key() -> str:
    # Keyed by IP + username so one NAT-ed office does not throttle all its operators together.
    body = request.get_json(silent=True)  # any JSON value: the schema refuses a non-object later
    username = body.get("username") if isinstance(body, dict) else None
    username = (username if isinstance(username, str) else "")[:100].lower()
    return f"{client_ip()}|{username}"


def _token_pair(user: User, refresh_token: str) -> dict:
    access = create_access_token(identity=str(user.id), additional_claims={"role": user.role.value})
    return {"access_token": access, "refresh_token": refresh_token, "user": user}


@blp.post("/login")
@blp.doc(security=[])
@limiter.limit("10 per minute", key_func=_login_rate_key)
@limiter.limit("60 per minute", key_func=client_ip)
@blp.arguments(LoginIn)
@blp.response(200, TokenPairOut)
def login(body):
    """Log in with username and password."""
    user, refresh = auth_service.login(db(), username=body["username"], password=body["password"],
                                       ip=client_ip(), user_agent=user_agent())
    return _token_pair(user, refresh)


@blp.post("/refresh")
@blp.doc(security=[])
@limiter.limit("30 per minute", key_func=client_ip)
@blp.arguments(RefreshIn)
@blp.response(200, TokenPairOut)
def refresh(body):
    """Exchange a refresh token for a new pair (the old one is revoked)."""
    user, token = auth_service.rotate_refresh_token(db(), token=body["refresh_token"], ip=client_ip(),
                                                    user_agent=user_agent())
    return _token_pair(user, token)


@blp.post("/logout")
@blp.doc(security=[])
@limiter.limit("30 per minute", key_func=client_ip)
@blp.arguments(RefreshIn)
@blp.response(204)
def logout(body):
    """Revoke a refresh token."""
    auth_service.logout(db(), token=body["refresh_token"])


@blp.get("/me")
@blp.response(200, UserOut)
@login_required()
def me():
    """The logged-in user."""
    return current_user()


@blp.patch("/me")
@limiter.limit("20 per minute", key_func=client_ip)
@blp.arguments(ProfileIn)
@blp.response(200, UserOut)
@login_required()
def update_me(body):
    """Update own name, phone, bank details or password (with the current password)."""
    return auth_service.update_profile(db(), actor=current_user(), changes=body)
