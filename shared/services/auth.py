"""Login with per-client lockout, refresh-token families (sessions) with a reuse grace window, logout, own profile.

Lockout (spec: 5 failures = locked 15 minutes) counts per username AND client: a browser holding the user's signed
device cookie (it logged in as them before) is one client, any other client is its IP. Someone else's failures,
from anywhere, therefore never lock the owner's known device out; an attacker rotating IPs is still throttled by a
username-wide limit that applies only to clients without the device cookie (login_account_max_failures).

Sessions: one login is one refresh-token family; its id is the access token's `sid` claim, so revoking a family
(logout, reuse after the grace window, a password change elsewhere, deactivation) also ends its access tokens at
the next request (api/deps.py current_user).
"""

import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, event, exists, func, or_, select, update
from sqlalchemy.orm import Session

from shared.config import get_settings
from shared.errors import Invalid, Locked, TooManyRequests, Unauthorized
from shared.models import LoginAttempt, RefreshToken, User
from shared.security import (
    hash_password,
    new_token,
    successor_token,
    token_digest,
    validate_password_strength,
    verify_password,
)
from shared.services.activity import record_activity
from shared.timeutil import utcnow

BAD_CREDENTIALS = "Username atau password salah."
# Two tabs refreshing at once, or a response lost on a phone network: the same token presented again this soon
# after its rotation gets the same successor instead of being treated as theft.
log = logging.getLogger(__name__)

REFRESH_REUSE_GRACE = timedelta(seconds=30)
MAX_SUCCESSOR_HOPS = 5
DEVICE_PREFIX = "d:"
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass
class KnownDevice:
    """A verified device cookie: the browser's id and the users who have logged in on it."""

    device_id: str
    user_ids: list[str]


@dataclass
class LoginResult:
    user: User
    refresh_token: str
    session_id: uuid.UUID
    security_notice: dict | None = None


def login(session: Session, *, username: str, password: str, ip: str, user_agent: str,
          device: KnownDevice | None = None) -> LoginResult:
    """Check credentials and lockouts, record the attempt, and open a session (a refresh-token family)."""
    settings = get_settings()
    username = username.strip()
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    known_device = device is not None and user is not None and str(user.id) in device.user_ids
    client_key = f"{DEVICE_PREFIX}{device.device_id}" if known_device else f"ip:{ip}"
    _refuse_if_locked(session, username=username, client_key=client_key, ip=ip, known_device=known_device)
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.is_active
    # The clock of the app, like last_login_at and the windows below (now() would be the transaction's start).
    session.add(LoginAttempt(username=username[:100], ip_address=ip, success=ok, user_agent=user_agent,
                             client_key=client_key[:100], created_at=utcnow()))
    if not ok:
        session.flush()
        remaining = settings.login_max_attempts - _client_failures(session, username, client_key)
        if user is not None:
            _record_lockout_if_reached(session, user=user, username=username, client_key=client_key, ip=ip,
                                       remaining=remaining)
        message = BAD_CREDENTIALS
        if user is not None and not user.is_active and verify_password(user.password_hash, password):
            message = "Akun Anda telah dinonaktifkan. Hubungi superadmin."
        elif remaining <= 0:
            message += (f" Login ke akun ini dari perangkat/jaringan Anda dikunci sementara selama "
                        f"{settings.login_lockout_minutes} menit.")
        elif remaining <= 2:
            message += f" Sisa {remaining} percobaan sebelum akun dikunci sementara."
        raise Unauthorized(message, code="invalid_credentials", keep_writes=True)
    notice = _security_notice(session, user=user, username=username, client_key=client_key)
    user.last_login_at = utcnow()
    family_id = uuid.uuid4()
    token = issue_refresh_token(session, user=user, ip=ip, user_agent=user_agent, family_id=family_id)
    record_activity(session, actor=user, action="auth.login", resource="users", resource_id=user.id)
    return LoginResult(user=user, refresh_token=token, session_id=family_id, security_notice=notice)


def _lockout_window() -> timedelta:
    return timedelta(minutes=get_settings().login_lockout_minutes)


def _same_username(username: str) -> ColumnElement[bool]:
    return func.lower(LoginAttempt.username) == username.lower()


def _without_device() -> ColumnElement[bool]:
    # Rows from before client keys existed count as unknown clients.
    return or_(LoginAttempt.client_key.is_(None), LoginAttempt.client_key.not_like(f"{DEVICE_PREFIX}%"))


def _client_since(session: Session, username: str, client_key: str) -> datetime:
    """Start of the window, or this client's last success for this username if later."""
    since = utcnow() - _lockout_window()
    last_success = session.scalar(select(func.max(LoginAttempt.created_at)).where(
        _same_username(username), LoginAttempt.client_key == client_key, LoginAttempt.success.is_(True)))
    return max(since, last_success) if last_success else since


def _failures(session: Session, username: str, since: datetime, *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).where(
        _same_username(username), LoginAttempt.success.is_(False), LoginAttempt.created_at > since, *where)) or 0


def _client_failures(session: Session, username: str, client_key: str) -> int:
    """This client's failures for this username inside the window and after its last success."""
    return _failures(session, username, _client_since(session, username, client_key),
                     LoginAttempt.client_key == client_key)


def _account_failures(session: Session, username: str) -> int:
    """Failures for this username inside the window from every client without its device cookie."""
    return _failures(session, username, utcnow() - _lockout_window(), _without_device())


def _refuse_if_locked(session: Session, *, username: str, client_key: str, ip: str, known_device: bool) -> None:
    settings = get_settings()
    if _client_failures(session, username, client_key) >= settings.login_max_attempts:
        _raise_locked(session, username, settings.login_max_attempts,
                      _client_since(session, username, client_key), LoginAttempt.client_key == client_key)
    if known_device:
        return  # the owner's browser: neither other clients' failures nor its network's count against it
    if _account_failures(session, username) >= settings.login_account_max_failures:
        _raise_locked(session, username, settings.login_account_max_failures,
                      utcnow() - _lockout_window(), _without_device())
    ip_failures = session.scalar(
        select(func.count()).where(LoginAttempt.ip_address == ip, LoginAttempt.success.is_(False),
                                   LoginAttempt.created_at > utcnow() - _lockout_window())) or 0
    # Looser per-IP throttle: one typo-prone user behind an office NAT must not lock everyone out.
    if ip_failures >= settings.login_ip_max_failures:
        raise TooManyRequests("Terlalu banyak percobaan login gagal dari jaringan ini. Coba lagi nanti.",
                              keep_writes=True)


def _raise_locked(session: Session, username: str, limit: int, since: datetime,
                  *where: ColumnElement[bool]) -> None:
    """423 until the window has passed since the failure that reached the limit."""
    window = _lockout_window()
    now = utcnow()
    failures = session.scalars(
        select(LoginAttempt.created_at).where(_same_username(username), LoginAttempt.success.is_(False),
                                              LoginAttempt.created_at > since, *where)
        .order_by(LoginAttempt.created_at.desc()).limit(limit)).all()
    unlock_at = failures[-1] + window if failures else now + window
    minutes = max(1, math.ceil((unlock_at - now).total_seconds() / 60))
    raise Locked(f"Akun dikunci sementara karena terlalu banyak percobaan login gagal. "
                 f"Coba lagi dalam {minutes} menit.", details={"retryAfterMinutes": minutes,
                                                               "unlockAt": unlock_at.isoformat()},
                 keep_writes=True)


def _record_lockout_if_reached(session: Session, *, user: User, username: str, client_key: str, ip: str,
                               remaining: int) -> None:
    """Tell the owner (activity log) the moment a failure locks a client, or every unknown client, out."""
    settings = get_settings()
    scopes = []
    if remaining == 0:
        scopes.append("client")
    if not client_key.startswith(DEVICE_PREFIX) and \
            _account_failures(session, username) == settings.login_account_max_failures:
        scopes.append("account")
    for scope in scopes:
        record_activity(session, actor=None, action="auth.lockout", resource="users", resource_id=user.id,
                        metadata={"username": user.username, "ip": ip, "scope": scope,
                                  "lockoutMinutes": settings.login_lockout_minutes})


def _security_notice(session: Session, *, user: User, username: str, client_key: str) -> dict | None:
    """Failed logins for this account since its previous login, for a one-time banner after this one.

    Failures from this same known browser are the owner's own typos and are left out.
    """
    since = user.last_login_at or user.created_at
    where = [_same_username(username), LoginAttempt.success.is_(False), LoginAttempt.created_at > since]
    if client_key.startswith(DEVICE_PREFIX):
        where.append(or_(LoginAttempt.client_key.is_(None), LoginAttempt.client_key != client_key))
    count = session.scalar(select(func.count()).where(*where)) or 0
    if not count:
        return None
    last = session.execute(select(LoginAttempt.ip_address, LoginAttempt.created_at).where(*where)
                           .order_by(LoginAttempt.created_at.desc()).limit(1)).one()
    return {"failed_attempts": count, "last_failed_ip": last.ip_address, "last_failed_at": last.created_at,
            "message": f"Ada {count} percobaan login gagal ke akun Anda sejak login terakhir (terakhir dari "
                       f"{last.ip_address}, {format_local_datetime(last.created_at)})."}


def format_local_datetime(moment: datetime) -> str:
    """`2 Des 2026 10.15 WIB`: the business time zone, Indonesian month and clock style."""
    zone_name = get_settings().timezone
    local = moment.astimezone(ZoneInfo(zone_name))
    label = ZONE_LABELS.get(zone_name, zone_name)
    return f"{local.day} {SHORT_MONTHS[local.month - 1]} {local.year} {local:%H.%M} {label}"


def issue_refresh_token(session: Session, *, user: User, ip: str, user_agent: str,
                        family_id: uuid.UUID | None = None, token: str | None = None) -> str:
    token = token or new_token()
    session.add(RefreshToken(
        user_id=user.id, token=token_digest(token), user_agent=user_agent or "unknown", ip_address=ip,
        expires_at=utcnow() + get_settings().refresh_token_ttl,
        family_id=family_id or uuid.uuid4(),
    ))
    return token


def rotate_refresh_token(session: Session, *, token: str, ip: str,
                         user_agent: str) -> tuple[User, str, uuid.UUID]:
    """Exchange a refresh token for its successor: (user, new refresh token, session id).

    The same token again within the grace window gets the same successor; later, it is treated as stolen and its
    family (that one login) is revoked; the user's other sessions are not touched.
    """
    # Row lock: two concurrent refreshes of one token are serialised; the second sees it rotated (grace path).
    stored = session.scalar(select(RefreshToken).where(RefreshToken.token == token_digest(token))
                            .with_for_update())
    if stored is None:
        raise Unauthorized("Sesi tidak valid. Silakan login kembali.", code="invalid_refresh_token")
    user = session.get(User, stored.user_id)
    if user is None or not user.is_active:
        # Deactivation revoked the family: a later refresh is expected, not an attack.
        raise Unauthorized("Akun Anda telah dinonaktifkan. Hubungi superadmin.", code="inactive_user")
    now = utcnow()
    if stored.revoked_at is None:
        if stored.expires_at <= now:
            raise Unauthorized("Sesi telah berakhir. Silakan login kembali.", code="refresh_token_expired")
        stored.revoked_at = now
        stored.last_used_at = now
        successor = issue_refresh_token(session, user=user, ip=ip, user_agent=user_agent,
                                        family_id=stored.family_id,
                                        token=successor_token(token, get_settings().jwt_secret))
        return user, successor, stored.family_id
    if (head := _successor_within_grace(session, token=token, stored=stored, now=now)) is not None:
        return user, head, stored.family_id
    if not session_is_alive(session, stored.family_id):
        raise Unauthorized("Sesi tidak valid. Silakan login kembali.", code="session_revoked")
    revoke_family(session, family_id=stored.family_id)
    record_activity(session, actor=None, action="auth.refresh_token_reuse", resource="users",
                    resource_id=stored.user_id, metadata={"ip": ip, "sessionId": str(stored.family_id)})
    raise Unauthorized("Sesi tidak valid karena token telah digunakan. Silakan login kembali.",
                       code="refresh_token_reused", keep_writes=True)


def _successor_within_grace(session: Session, *, token: str, stored: RefreshToken, now: datetime) -> str | None:
    """The family's live token, when `token` was rotated (not revoked) within the grace window, else None.

    Follows the successor chain (a second quick rotation in another tab) while each step is itself recent. A
    revoked family's tokens have no live successor, so logout and revocations are never undone here.
    """
    secret = get_settings().jwt_secret
    current_token, current = token, stored
    for _ in range(MAX_SUCCESSOR_HOPS):
        if current.revoked_at is None:
            return current_token if current.expires_at > now else None
        if now - current.revoked_at > REFRESH_REUSE_GRACE:
            return None
        current_token = successor_token(current_token, secret)
        current = session.scalar(select(RefreshToken).where(RefreshToken.token == token_digest(current_token),
                                                            RefreshToken.family_id == stored.family_id)
                                 .with_for_update())
        if current is None:
            return None
    return None


def session_alive_clause(session_id: uuid.UUID | ColumnElement) -> ColumnElement[bool]:
    """True while the session (refresh-token family) has an unrevoked, unexpired token (`session_id` a value or a
    bind parameter)."""
    return exists().where(RefreshToken.family_id == session_id, RefreshToken.revoked_at.is_(None),
                          RefreshToken.expires_at > func.now())


def session_is_alive(session: Session, session_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(session_alive_clause(session_id))))


# Called with the ids of the sessions a commit ended (logout, token reuse, deactivation, password change). The API
# registers one that closes those sessions' open Socket.IO connections (api/socket_events.py): a revoked session
# must stop receiving pushes at once, not when its connection happens to drop.
session_end_listeners: list[Callable[[list[uuid.UUID]], None]] = []


def _after_commit_end_sessions(session: Session, family_ids: list[uuid.UUID]) -> None:
    if not family_ids or not session_end_listeners:
        return
    pending: set[uuid.UUID] = session.info.setdefault("ended_sessions", set())
    if not pending:
        def notify(_session: Session) -> None:
            ended = sorted(session.info.pop("ended_sessions", set()), key=str)
            for listener in session_end_listeners:
                try:
                    listener(ended)
                except Exception:
                    log.warning("session end listener %r failed", listener, exc_info=True)

        def forget(_session: Session) -> None:
            session.info.pop("ended_sessions", None)

        event.listen(session, "after_commit", notify, once=True)
        event.listen(session, "after_rollback", forget, once=True)
    pending.update(family_ids)


def revoke_family(session: Session, *, family_id: uuid.UUID) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.family_id == family_id,
                                               RefreshToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    _after_commit_end_sessions(session, [family_id])


def revoke_all_refresh_tokens(session: Session, *, user_id: uuid.UUID,
                              except_session: uuid.UUID | None = None) -> None:
    """End every session of the user (but `except_session`, the one asking): refresh and access tokens alike."""
    stmt = update(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
    if except_session is not None:
        stmt = stmt.where(RefreshToken.family_id != except_session)
    ended = session.scalars(stmt.values(revoked_at=utcnow()).returning(RefreshToken.family_id)).all()
    _after_commit_end_sessions(session, list(set(ended)))


def logout(session: Session, *, token: str) -> None:
    """End the token's session: its family, so a rotated sibling or its access tokens cannot carry on."""
    stored = session.scalar(select(RefreshToken).where(RefreshToken.token == token_digest(token)))
    if stored is not None and session_is_alive(session, stored.family_id):
        revoke_family(session, family_id=stored.family_id)
        record_activity(session, actor=session.get(User, stored.user_id), action="auth.logout", resource="users",
                        resource_id=stored.user_id)


PROFILE_FIELDS = ("name", "phone", "bank_name", "bank_account", "bank_holder")


def update_profile(session: Session, *, actor: User, changes: dict, current_session: uuid.UUID | None = None) -> User:
    """Update the actor's own name, phone, bank details and (with the current password) password.

    A new password ends the actor's other sessions (whoever knew the old one); `current_session`, the one asking,
    stays logged in.
    """
    from shared.phone import require_phone

    new_password = changes.pop("new_password", None)
    current_password = changes.pop("current_password", None)
    if new_password is not None:
        if not current_password or not verify_password(actor.password_hash, current_password):
            raise Invalid.field("currentPassword", "Password saat ini salah.")
        if problem := validate_password_strength(new_password):
            raise Invalid.field("newPassword", problem)
        actor.password_hash = hash_password(new_password)
        revoke_all_refresh_tokens(session, user_id=actor.id, except_session=current_session)
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
