"""Password hashing (Argon2id) and opaque token helpers."""

import base64
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()  # argon2-cffi defaults to Argon2id with RFC 9106 low-memory parameters

# Verified against when the username does not exist, so timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    """An unguessable URL-safe token (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def successor_token(parent: str, secret: str) -> str:
    """The refresh token that replaces `parent` on rotation: an HMAC of it, so a retry of the same refresh (two
    tabs, a lost response) can be answered with the same successor without storing any token in plaintext."""
    mac = hmac.new(secret.encode(), b"fibernode.refresh-successor:" + parent.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


DEVICE_COOKIE_SALT = "fibernode.login-device"
DEVICE_MAX_USERS = 10


def sign_device(secret: str, *, device_id: str, user_ids: list[str]) -> str:
    """A device cookie value: this browser's id and the users who logged in on it, signed with the app secret.

    The signature covers the user ids, so the cookie cannot be forged or carried over to another username.
    """
    serializer = URLSafeTimedSerializer(secret, salt=DEVICE_COOKIE_SALT)
    return serializer.dumps({"d": device_id, "u": user_ids[-DEVICE_MAX_USERS:]})


def read_device(secret: str, value: str | None, *, max_age_seconds: int) -> tuple[str, list[str]] | None:
    """(device id, user ids) of a genuine, unexpired device cookie, else None."""
    if not value:
        return None
    try:
        data = URLSafeTimedSerializer(secret, salt=DEVICE_COOKIE_SALT).loads(value, max_age=max_age_seconds)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    return data["d"][:40], [str(u) for u in data["u"]]


def validate_password_strength(password: str) -> str | None:
    """Return an Indonesian error message when a password is too weak, else None."""
    if len(password) < 8:
        return "Password minimal 8 karakter."
    if password.isdigit() or password.isalpha():
        return "Password harus mengandung huruf dan angka."
    return None
