import uuid

from flask import after_this_request, current_app, request
from flask_jwt_extended import create_access_token

from api.deps import client_ip, current_session_id, current_user, db, login_required, user_agent
from api.extensions import limiter
from api.input import Blueprint
from api.schemas.users import LoginIn, LoginOut, ProfileIn, RefreshIn, TokenPairOut, UserOut
from shared.models import User
from shared.security import new_token, read_device, sign_device
from shared.services import auth as auth_service

# A browser that logged in as a user before: failures elsewhere do not lock it out (shared/services/auth.py).
DEVICE_COOKIE = "fn_device"
DEVICE_COOKIE_DAYS = 365

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, token refresh, own profile")


def _login_rate_key() -> str:
    # Keyed by IP + username so one NAT-ed office does not throttle all its operators together.
    body = request.get_json(silent=True)  # any JSON value: the schema refuses a non-object later
    username = body.get("username") if isinstance(body, dict) else None
    username = (username if isinstance(username, str) else "")[:100].lower()
    return f"{client_ip()}|{username}"


def _token_pair(user: User, refresh_token: str, session_id: uuid.UUID) -> dict:
    # `sid` ties the access token to its session, so revoking the session ends it too (api/deps.py).
    access = create_access_token(identity=str(user.id),
                                 additional_claims={"role": user.role.value, "sid": str(session_id)})
    return {"access_token": access, "refresh_token": refresh_token, "user": user}


def _secret() -> str:
    return current_app.config["JWT_SECRET_KEY"]


def _known_device() -> auth_service.KnownDevice | None:
    found = read_device(_secret(), request.cookies.get(DEVICE_COOKIE),
                        max_age_seconds=DEVICE_COOKIE_DAYS * 24 * 3600)
    return auth_service.KnownDevice(*found) if found else None


def _remember_device(device: auth_service.KnownDevice | None, user: User) -> None:
    """Set (or extend) the signed device cookie after a successful login as `user`."""
    device_id = device.device_id if device else new_token(16)
    user_ids = [u for u in (device.user_ids if device else []) if u != str(user.id)] + [str(user.id)]
    value = sign_device(_secret(), device_id=device_id, user_ids=user_ids)

    @after_this_request
    def _set(response):
        # SameSite=None (a PWA on another site, DEVICE_COOKIE_SAMESITE) is only accepted by browsers with Secure.
        samesite = current_app.config["SETTINGS"].device_cookie_samesite
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, path="/api/auth",
                            httponly=True, samesite=samesite, secure=request.is_secure or samesite == "None")
        return response


@blp.post("/login")
@blp.doc(security=[])
@limiter.limit("10 per minute", key_func=_login_rate_key)
@limiter.limit("60 per minute", key_func=client_ip)
@blp.arguments(LoginIn)
@blp.response(200, LoginOut)
def login(body):
    """Log in with username and password.

    Sets the HttpOnly device cookie `fn_device` (a browser that logged in as this user before is not locked out by
    failures elsewhere). `securityNotice` reports failed logins to the account since its previous login.
    """
    device = _known_device()
    result = auth_service.login(db(), username=body["username"], password=body["password"],
                                ip=client_ip(), user_agent=user_agent(), device=device)
    _remember_device(device, result.user)
    return {**_token_pair(result.user, result.refresh_token, result.session_id),
            "security_notice": result.security_notice}


@blp.post("/refresh")
@blp.doc(security=[])
@limiter.limit("30 per minute", key_func=client_ip)
@blp.arguments(RefreshIn)
@blp.response(200, TokenPairOut)
def refresh(body):
    """Exchange a refresh token for a new pair (the old one is revoked).

    The same token again within 30 seconds (two tabs, a lost response) gets the same new pair; later it counts as
    stolen and ends that session (`refresh_token_reused`).
    """
    user, token, session_id = auth_service.rotate_refresh_token(db(), token=body["refresh_token"], ip=client_ip(),
                                                                user_agent=user_agent())
    return _token_pair(user, token, session_id)


@blp.post("/logout")
@blp.doc(security=[])
@limiter.limit("30 per minute", key_func=client_ip)
@blp.arguments(RefreshIn)
@blp.response(204)
def logout(body):
    """End the refresh token's session (its access tokens stop working too)."""
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
    """Update own name, phone, bank details or password (with the current password).

    A new password ends the user's other sessions; this one stays logged in.
    """
    return auth_service.update_profile(db(), actor=current_user(), changes=body,
                                       current_session=current_session_id())
