"""Personal data encrypted at rest: customers' NIK (national ID, Indonesia's PDP law) with AES-256-GCM.

A stored value reads `enc1:<key id>:<base64url(nonce | ciphertext | tag)>`. The key id (8 hex characters, derived
from the key) says which key sealed it, so several keys can coexist: ENCRYPTION_KEY seals everything written, and
the keys in ENCRYPTION_KEY_PREVIOUS still open what older keys sealed until `python -m shared.rotate_encryption_key`
has re-encrypted it (README, "Encryption at rest"). The column's purpose is the associated data: a value copied
into another encrypted column does not open there.

`EncryptedString` is the SQLAlchemy type: the ORM and Core statements encrypt on write and decrypt on read, so the
rest of the code handles plain strings. Equality in SQL cannot work (every encryption of a value differs): no query
filters on an encrypted column.

Outside production, without ENCRYPTION_KEY, a fixed development key is used (with a warning); production refuses
to start without a strong key (shared/config.py) and this module never falls back to the development key there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

PREFIX = "enc1"
KEY_BYTES = 32
NONCE_BYTES = 12
# Not a secret: what development and tests seal with when ENCRYPTION_KEY is unset. Production never uses it.
DEVELOPMENT_KEY = hashlib.sha256(b"fibernode development encryption key (public, never for production)").hexdigest()
KEY_HINT = "generate one with `openssl rand -hex 32`"
_ENCRYPTED = re.compile(rf"^{PREFIX}:([0-9a-f]{{8}}):([A-Za-z0-9_-]+)$")


class EncryptionKeyError(RuntimeError):
    """A key is malformed, missing, or a stored value was sealed by a key this process does not have."""


def decode_key(text: str, *, name: str = "ENCRYPTION_KEY") -> bytes:
    """32 bytes from 64 hex characters (`openssl rand -hex 32`) or base64 / base64url of 32 bytes."""
    value = text.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", value):
        return bytes.fromhex(value)
    try:
        raw = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise EncryptionKeyError(f"{name} must be {KEY_BYTES} random bytes written as 64 hex characters or base64; "
                                 f"{KEY_HINT}")
    return raw


def key_id(key: bytes) -> str:
    """A short public name of a key: which one sealed a value, without revealing anything about it."""
    return hashlib.sha256(b"fibernode key id\0" + key).hexdigest()[:8]


@dataclass(frozen=True)
class Keyring:
    """The key that seals (current) and every key that still opens (current first, then the previous ones)."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    @classmethod
    def from_texts(cls, current: str, previous: str = "") -> Keyring:
        olds = tuple(decode_key(part, name="ENCRYPTION_KEY_PREVIOUS") for part in previous.split(",") if part.strip())
        return cls(decode_key(current), olds)

    @cached_property
    def current_id(self) -> str:
        return key_id(self.current)

    @cached_property
    def by_id(self) -> dict[str, bytes]:
        keys = {key_id(key): key for key in reversed(self.previous)}
        keys[self.current_id] = self.current
        return keys

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.current).encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{PREFIX}:{self.current_id}:{base64.urlsafe_b64encode(nonce + sealed).rstrip(b'=').decode()}"

    def decrypt(self, stored: str, *, purpose: str) -> str:
        match = _ENCRYPTED.match(stored)
        if match is None:
            raise EncryptionKeyError(f"not an encrypted value ({purpose})")
        kid, body = match.groups()
        key = self.by_id.get(kid)
        if key is None:
            raise EncryptionKeyError(
                f"{purpose} was encrypted with key {kid}, which is neither ENCRYPTION_KEY ({self.current_id}) nor in "
                f"ENCRYPTION_KEY_PREVIOUS: set the key it was written with (README, \"Encryption at rest\")")
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        try:
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise EncryptionKeyError(f"{purpose} under key {kid} does not decrypt: the value was altered or "
                                     f"belongs to another column") from exc


def is_encrypted(value: str | None) -> bool:
    return value is not None and _ENCRYPTED.match(value) is not None


def keyring_from_settings(settings) -> Keyring:
    """The process's keyring: ENCRYPTION_KEY (+ _PREVIOUS), or outside production the development key."""
    if settings.encryption_key:
        return Keyring.from_texts(settings.encryption_key, settings.encryption_key_previous)
    if settings.is_production:
        raise EncryptionKeyError(f"ENCRYPTION_KEY is not set: production will not read or write customers' NIK "
                                 f"without it; {KEY_HINT}")
    log.warning("ENCRYPTION_KEY is not set: customers' NIK are encrypted with the public development key "
                "(fine for development and tests, never for real data)")
    return Keyring.from_texts(DEVELOPMENT_KEY, settings.encryption_key_previous)


@lru_cache
def keyring() -> Keyring:
    from shared.config import get_settings

    return keyring_from_settings(get_settings())


class EncryptedString(TypeDecorator):
    """A VARCHAR whose values are stored encrypted (see the module docstring); reads and writes plain `str`.

    A value still in plaintext (written before migration 0014, or by raw SQL) reads as it is, so nothing breaks
    before `python -m shared.rotate_encryption_key` seals it.
    """

    impl = String
    cache_ok = True

    def __init__(self, length: int = 255, *, purpose: str):
        super().__init__(length)
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(str(value), purpose=self.purpose)

    def process_result_value(self, value, dialect):
        if value is None or not value.startswith(f"{PREFIX}:"):
            return value
        return keyring().decrypt(value, purpose=self.purpose)


NIK_PURPOSE = "customers.nik"
