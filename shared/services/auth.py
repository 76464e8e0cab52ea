"""Login with lockout, rotating refresh tokens with reuse detection, logout, own profile."""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shared.config import get_settings
from shared.errors import Invalid, Locked, TooManyRequests, Unauthorized
from shared.models import LoginAttempt, RefreshToken, User
from shared.security import (
    hash_password,
    new_token,
    token_digest,
    validate_password_strength,
    verify_password,
)
from shared.services.activity import record_activity
from shared.timeutil import utcnow

BAD_CREDENTIALS = "Username atau password salah."


@dataclass
class IssuedRefreshToken:
    token: str
    expires_at: datetime


def login(session: Session, *, username: str, password: str, ip: str, user_agent: str) -> tuple[User, str]:
    """Check credentials and lockouts, record the attempt, and issue a refresh token."""
    settings = get_settings()
    username = username.strip()
    _refuse_if_locked(session, username=username, ip=ip)
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.is_active
    session.add(LoginAttempt(username=username[:100], ip_address=ip, success=ok, user_agent=user_agent))
    if not ok:
        session.flush()
        remaining = settings.login_max_attempts - _recent_failures(session, username)
        if remaining <= 0:
            _refuse_if_locked(session, username=username, ip=ip)
        message = BAD_CREDENTIALS
        if user is not None and not user.is_active and verify_password(user.password_hash, password):
            message = "Akun Anda telah dinonaktifkan. Hubungi superadmin."
        elif 0 < remaining <= 2:
            message += f" Sisa {remaining} percobaan sebelum akun dikunci sementara."
        raise Unauthorized(message, code="invalid_credentials", keep_writes=True)
    user.last_login_at = utcnow()
    token = issue_refresh_token(session, user=user, ip=ip, user_agent=user_agent)
    record_activity(session, actor=user, action="auth.login", resource="users", resource_id=user.id)
    return user, token


def _lockout_window() -> timedelta:
    return timedelta(minutes=get_settings().login_lockout_minutes)


def _recent_failures(session: Session, username: str) -> int:
    """Failures for this username inside the window and after its last success."""
    since = utcnow() - _lockout_window()
    last_success = session.scalar(
        select(func.max(LoginAttempt.created_at)).where(
            func.lower(LoginAttempt.username) == username.lower(), LoginAttempt.success.is_(True)))
    if last_success and last_success > since:
        since = last_success
    return session.scalar(
        select(func.count()).where(func.lower(LoginAttempt.username) == username.lower(),
                                   LoginAttempt.success.is_(False), LoginAttempt.created_at > since)) or 0


def _refuse_if_locked(session: Session, *, username: str, ip: str) -> None:
    settings = get_settings()
    window = _lockout_window()
    now = utcnow()
    if _recent_failures(session, username) >= settings.login_max_attempts:
        # Locked until the window has passed since the failure that reached the limit.
        failures = session.scalars(
            select(LoginAttempt.created_at).where(func.lower(LoginAttempt.username) == username.lower(),
                                                  LoginAttempt.success.is_(False),
                                                  LoginAttempt.created_at > now - window)
            .order_by(LoginAttempt.created_at.desc()).limit(settings.login_max_attempts)).all()
        unlock_at = failures[-1] + window if failures else now + window
        minutes = max(1, math.ceil((unlock_at - now).total_seconds() / 60))
        raise Locked(f"Akun dikunci sementara karena terlalu banyak percobaan login gagal. "
                     f"Coba lagi dalam {minutes} menit.", details={"retryAfterMinutes": minutes,
                                                                   "unlockAt": unlock_at.isoformat()},
                     keep_writes=True)
    ip_failures = session.scalar(
        select(func.count()).where(LoginAttempt.ip_address == ip, LoginAttempt.success.is_(False),
                                   LoginAttempt.created_at > now - window)) or 0
    # Looser per-IP throttle: one typo-prone user behind an office NAT must not lock everyone out.
    if ip_failures >= settings.login_ip_max_failures:
        raise TooManyRequests("Terlalu banyak percobaan login gagal dari jaringan ini. Coba lagi nanti.",
                              keep_writes=True)


def issue_refresh_token(session: Session, *, user: User, ip: str, user_agent: str,
                        family_id: uuid.UUID | None = None) -> str:
    token = new_token()
    session.add(RefreshToken(
        user_id=user.id, token=token_digest(token), user_agent=user_agent or "unknown", ip_address=ip,
        expires_at=utcnow() + timedelta(days=get_settings().refresh_token_days),
        family_id=family_id or uuid.uuid4(),
    ))
    return token


def rotate_refresh_token(session: Session, *, token: str, ip: str, user_agent: str) -> tuple[User, str]:
    """Exchange a refresh token for a new one; reusing a rotated token revokes all of the user's tokens."""
    # Row lock: two concurrent refreshes of one token cannot both succeed.
    stored = session.scalar(select(RefreshToken).where(RefreshToken.token == token_digest(token))
                            .with_for_update())
    if stored is None:
        raise Unauthorized("Sesi tidak valid. Silakan login kembali.", code="invalid_refresh_token")
    now = utcnow()
    if stored.revoked_at is not None:
        revoke_all_refresh_tokens(session, user_id=stored.user_id)
        record_activity(session, actor=None, action="auth.refresh_token_reuse", resource="users",
                        resource_id=stored.user_id, metadata={"ip": ip})
        raise Unauthorized("Sesi tidak valid karena token telah digunakan. Silakan login kembali.",
                           code="refresh_token_reused", keep_writes=True)
    if stored.expires_at <= now:
        raise Unauthorized("Sesi telah berakhir. Silakan login kembali.", code="refresh_token_expired")
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Akun Anda telah dinonaktifkan. Hubungi superadmin.", code="inactive_user")
    stored.revoked_at = now
    stored.last_used_at = now
    return user, issue_refresh_token(session, user=user, ip=ip, user_agent=user_agent, family_id=stored.family_id)


def revoke_all_refresh_tokens(session: Session, *, user_id: uuid.UUID) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def logout(session: Session, *, token: str) -> None:
    stored = session.scalar(select(RefreshToken).where(RefreshToken.token == token_digest(token)))
    if stored is not None and stored.revoked_at is None:
        stored.revoked_at = utcnow()
        record_activity(session, actor=session.get(User, stored.user_id), action="auth.logout", resource="users",
                        resource_id=stored.user_id)


PROFILE_FIELDS = ("name", "phone", "bank_name", "bank_account", "bank_holder")


def update_profile(session: Session, *, actor: User, changes: dict) -> User:
    """Update the actor's own name, phone, bank details and (with the current password) password."""
    from shared.phone import require_phone

    new_password = changes.pop("new_password", None)
    current_password = changes.pop("current_password", None)
    if new_password is not None:
        if not current_password or not verify_password(actor.password_hash, current_password):
            raise Invalid.field("currentPassword", "Password saat ini salah.")
        if problem := validate_password_strength(new_password):
            raise Invalid.field("newPassword", problem)
        actor.password_hash = hash_password(new_password)
    if changes.get("phone"):
        changes["phone"] = require_phone(changes["phone"])
    changed = [field for field in PROFILE_FIELDS if field in changes and getattr(actor, field) != changes[field]]
    for field in changed:
        setattr(actor, field, changes[field])
    if new_password is not None:
        changed.append("password")
    record_activity(session, actor=actor, action="profile.update", resource="users", resource_id=actor.id,
                    metadata={"fields": changed})
    session.flush()
    return actor
