"""Typed settings read from the environment, with safe development defaults."""

import math
import re
from collections import Counter
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shared.version import detect_version

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRETS = {"", "change-me", "dev-insecure-jwt-secret-change-me-please"}
DEFAULT_ADMIN_PASSWORD = "Admin123!"
MIN_SECRET_BITS = 128
SECRET_HINT = "generate one with `openssl rand -hex 32` (or `openssl rand -base64 32`)"
# JWT_EXPIRES_IN / REFRESH_TOKEN_EXPIRES_IN as the spec writes them (the `ms` style of its Node backend): "15m",
# "1h", "7d", "1h30m", or a bare number of seconds ("900").
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION_PART = re.compile(r"(\d+)\s*([smhdw])")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def parse_duration(value: str, *, name: str) -> timedelta:
    """`15m`, `1h`, `7d`, `1h30m` or `900` (seconds) as a timedelta; anything else is a ValueError naming `name`."""
    text = str(value).strip().lower()
    if text.isdigit():
        seconds = int(text)
    else:
        compact = text.replace(" ", "")
        parts = _DURATION_PART.findall(compact)
        if not parts or "".join(f"{n}{u}" for n, u in parts) != compact:
            raise ValueError(f"{name}={value!r} is not a duration: write e.g. 900 (seconds), 15m, 1h or 7d "
                             f"(units s, m, h, d, w)")
        seconds = sum(int(n) * DURATION_UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"{name}={value!r} must be longer than 0 seconds")
    return timedelta(seconds=seconds)


def origin_of(url: str, *, name: str) -> str:
    """`scheme://host[:port]` of an origin as a browser sends it in `Origin`; a path, `*` or no scheme is refused."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ValueError(f"{name}: {url!r} is not an origin; write scheme://host[:port] without a path, e.g. "
                         f"https://app.example.id (several separated by commas; `*` is not allowed)")
    return text.lower()


def estimated_secret_bits(secret: str) -> float:
    """A rough upper bound on a secret's entropy: its length times its characters' Shannon entropy.

    32 x "a" scores 0 and a repeated short pattern scores as its one period; `openssl rand -hex 32` scores ~240 and
    `-base64 32` ~210. It cannot tell a random-looking phrase from a random one: it only refuses the obviously weak.
    """
    if not secret:
        return 0.0
    for period in range(1, len(secret) // 2 + 1):
        if (secret[:period] * (len(secret) // period + 1))[:len(secret)] == secret:
            secret = secret[:period]  # "abcd" * 16 is worth "abcd"
            break
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return max(0.0, per_char * len(secret))


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting must not print the others (secrets among them) in its message.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    app_env: str = Field("development", description="development | test | production")
    # APP_VERSION: the release's version, baked into the images; unset (or empty), this checkout's (shared/version.py).
    app_version: str = Field(default_factory=detect_version)
    # Where `python -m api` (make run) listens: loopback unless asked; HOST=0.0.0.0 lets phones on the LAN in.
    # Compose runs gunicorn instead, which binds the container's 0.0.0.0:8000 itself.
    host: str = "127.0.0.1"
    port: int = 8000
    # Reverse proxies in front of the API whose X-Forwarded-For / X-Forwarded-Proto are believed: 0 when clients
    # connect directly (make run, tests), 1 behind compose's nginx, 2 with a TLS terminator in front of that.
    # More than the real number lets any client name its own IP (and so dodge every per-IP limit).
    trusted_proxy_hops: int = Field(0, ge=0)
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fibernode"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Connections per process: at most db_pool_size + db_max_overflow. Compose sets them per service so
    # the whole stack stays under PostgreSQL's max_connections (README, "PostgreSQL connections").
    db_pool_size: int = Field(10, ge=1)
    db_max_overflow: int = Field(20, ge=0)

    jwt_secret: str = "dev-insecure-jwt-secret-change-me-please"
    # Whether this process signs tokens (the api). Compose sets false for the workers, beat and Flower, which then
    # start in production without JWT_SECRET (they are not given it); the api refuses to start with false.
    signs_tokens: bool = True
    # Token lifetimes: JWT_EXPIRES_IN / REFRESH_TOKEN_EXPIRES_IN (the spec's names: "15m", "7d", "900") win over
    # the older ACCESS_TOKEN_MINUTES / REFRESH_TOKEN_DAYS, which still work; read them as access_token_ttl and
    # refresh_token_ttl.
    jwt_expires_in: str | None = None
    refresh_token_expires_in: str | None = None
    access_token_minutes: int = Field(15, gt=0)
    refresh_token_days: int = Field(7, gt=0)

    # Customers' NIK are encrypted at rest with ENCRYPTION_KEY (64 hex characters: `openssl rand -hex 32`); the
    # comma-separated ENCRYPTION_KEY_PREVIOUS still decrypt what older keys wrote, until
    # `python -m shared.rotate_encryption_key` re-encrypted it (shared/crypto.py; README, "Encryption at rest").
    # Production refuses a missing or weak key unless HANDLES_PERSONAL_DATA=false (compose's beat and flower,
    # which never read a customer); development and tests use a public development key, with a warning.
    encryption_key: str = ""
    encryption_key_previous: str = ""
    handles_personal_data: bool = True

    # Origins other than the API's own whose pages may call /api with credentials and open Socket.IO (a PWA built
    # with VITE_API_URL on another host). Comma-separated; empty (the default): same-origin only. CORS_ORIGIN, the
    # older one-origin name, is read when CORS_ORIGINS is not set.
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("CORS_ORIGINS", "CORS_ORIGIN", "cors_origins"))
    # SameSite of the login device cookie (fn_device). Strict (default) is sent to an API on the same site
    # (app.example.id -> api.example.id); a PWA on another site needs None, which forces Secure (https only).
    device_cookie_samesite: Literal["Strict", "Lax", "None"] = "Strict"
    public_base_url: str = "http://localhost:8000"
    max_upload_mb: int = 5
    max_request_mb: int = 6

    login_max_attempts: int = 5
    login_lockout_minutes: int = 15
    login_ip_max_failures: int = 50
    # Failures for one username, from any IP, by clients without that user's device cookie, before all such
    # clients are locked out for the window (throttles an attacker rotating IPs; the owner's known devices still
    # get in). Per username and IP the limit is login_max_attempts.
    login_account_max_failures: int = 20
    rate_limit_enabled: bool = True
    # Workers emit Socket.IO events through Redis; the in-process test client cannot use a queue.
    socketio_message_queue: bool = True

    admin_username: str = "superadmin"
    admin_password: str = DEFAULT_ADMIN_PASSWORD
    admin_name: str = "Super Admin"
    admin_business_name: str = "FiberNode Pusat"
    seed_demo_data: bool = True

    timezone: str = "Asia/Jakarta"
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    data_dir: Path = REPO_ROOT / ".data"
    # Where the site's certificate is read for the settings page: <certs_dir>/<domain>/fullchain.pem, certbot's
    # live/ layout (the `certs` volume, read-only at /etc/letsencrypt in compose). README, "TLS".
    certs_dir: Path = REPO_ROOT / ".data" / "certs"
    # The TLS setup nginx and certbot run with (compose's DOMAIN / SSL_METHOD), shown next to the stored settings.
    tls_domain: str = Field("", validation_alias="DOMAIN")
    tls_ssl_method: str = Field("", validation_alias="SSL_METHOD")
    import_max_rows: int = 50_000
    # neonize (real WhatsApp, the default) or simulator (demos, training, staging, tests: nothing leaves the
    # machine, and the UI shows a SIMULASI badge).
    wa_transport: Literal["neonize", "simulator"] = "neonize"
    # The WA worker's own pool: leases cost no connection per number, so this stays small however many it runs.
    wa_db_pool_size: int = 5
    # Every process: api (and gunicorn's own lines), Celery worker and beat (their --loglevel is ignored), the WA
    # worker and Flower (worker/flowerconfig.py). debug | info | warning | error | critical, any case.
    log_level: str = "INFO"
    # auto: JSON lines in production, console lines elsewhere; json / console force one (shared/logs.py).
    log_format: Literal["auto", "json", "console"] = "auto"
    # Bearer token a Prometheus scraper sends to GET /metrics (a superadmin's JWT works too); empty: JWT only.
    metrics_token: str = ""
    # Durable jobs (shared/jobs.py): a running job renews its lease every heartbeat; the sweeper runs every
    # sweep interval, re-sends queued jobs Redis may have forgotten and re-runs or fails jobs whose lease expired.
    job_lease_seconds: float = 60
    job_heartbeat_seconds: float = 15
    job_sweep_seconds: float = 30
    job_resend_after_seconds: float = 60
    # The H-1 sweep bills customers added after the 06:00 run whose due date is within a day.
    billing_sweep_minutes: int = 15

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def access_token_ttl(self) -> timedelta:
        if self.jwt_expires_in:
            return parse_duration(self.jwt_expires_in, name="JWT_EXPIRES_IN")
        return timedelta(minutes=self.access_token_minutes)

    @property
    def refresh_token_ttl(self) -> timedelta:
        if self.refresh_token_expires_in:
            return parse_duration(self.refresh_token_expires_in, name="REFRESH_TOKEN_EXPIRES_IN")
        return timedelta(days=self.refresh_token_days)

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL with the psycopg 3 driver, whatever scheme was given."""
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    @field_validator("app_version", mode="before")
    @classmethod
    def _empty_version_is_unset(cls, value: object) -> object:
        # The Dockerfiles' `ENV APP_VERSION=${APP_VERSION}` is "" when an image is built without the argument.
        return value.strip() or detect_version() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = str(value).strip().upper()
        if level == "WARN":
            level = "WARNING"
        if level not in LOG_LEVELS:
            raise ValueError(f"LOG_LEVEL={value!r} is not a log level; use one of {', '.join(LOG_LEVELS)} (any case)")
        return level

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_only(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(origin_of(origin, name="CORS_ORIGINS") for origin in value))

    @model_validator(mode="after")
    def _encryption_keys_are_keys(self) -> "Settings":
        # A malformed key stops every process at start, in development too, naming the variable.
        from shared.crypto import EncryptionKeyError, Keyring

        if self.encryption_key or self.encryption_key_previous:
            try:
                Keyring.from_texts(self.encryption_key or "0" * 64, self.encryption_key_previous)
            except EncryptionKeyError as exc:
                raise ValueError(str(exc)) from None
        return self

    @model_validator(mode="after")
    def _token_lifetimes_make_sense(self) -> "Settings":
        # Parsed here so a bad value stops the process at start, naming the variable.
        access, refresh = self.access_token_ttl, self.refresh_token_ttl
        if refresh < access:
            raise ValueError(f"the refresh token ({refresh}) must live at least as long as the access token "
                             f"({access}): check REFRESH_TOKEN_EXPIRES_IN / JWT_EXPIRES_IN")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        # A production deployment with a guessable JWT secret lets anyone mint superadmin tokens.
        if not self.is_production:
            return self
        if self.signs_tokens:
            self._refuse_a_weak_jwt_secret()
        if self.handles_personal_data or self.encryption_key:
            self._refuse_a_weak_encryption_key()
        # The metrics name every mitra's WA number; empty means superadmin JWTs only.
        if self.metrics_token and estimated_secret_bits(self.metrics_token) < MIN_SECRET_BITS:
            raise ValueError(f"METRICS_TOKEN is too predictable for production; leave it empty or {SECRET_HINT}")
        return self

    def _refuse_a_weak_encryption_key(self) -> None:
        from shared.crypto import DEVELOPMENT_KEY, KEY_HINT

        if not self.encryption_key.strip():
            raise ValueError(f"ENCRYPTION_KEY must be set in production: customers' NIK are encrypted with it; "
                             f"{KEY_HINT}")
        if self.encryption_key.strip().lower() == DEVELOPMENT_KEY or \
                estimated_secret_bits(self.encryption_key.strip()) < MIN_SECRET_BITS:
            raise ValueError(f"ENCRYPTION_KEY is too predictable for production (the development key, or a pattern); "
                             f"{KEY_HINT}")

    def _refuse_a_weak_jwt_secret(self) -> None:
        if self.jwt_secret in PLACEHOLDER_SECRETS or len(self.jwt_secret) < 32:
            raise ValueError(f"JWT_SECRET must be set to a random value of at least 32 characters in production; "
                             f"{SECRET_HINT}")
        # 32 x "a" is 32 characters and worthless: it is the entropy that keeps tokens unforgeable.
        if (bits := estimated_secret_bits(self.jwt_secret)) < MIN_SECRET_BITS:
            raise ValueError(f"JWT_SECRET is too predictable for production (about {bits:.0f} bits of entropy, "
                             f"at least {MIN_SECRET_BITS} needed); {SECRET_HINT}")


@lru_cache
def get_settings() -> Settings:
    return Settings()
