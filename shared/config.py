"""Typed settings read from the environment, with safe development defaults."""

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.version import detect_version

REPO_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRETS = {"", "change-me", "dev-insecure-jwt-secret-change-me-please"}
DEFAULT_ADMIN_PASSWORD = "Admin123!"
MIN_SECRET_BITS = 128
SECRET_HINT = "generate one with `openssl rand -hex 32` (or `openssl rand -base64 32`)"


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
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

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
    access_token_minutes: int = 15
    refresh_token_days: int = 7

    cors_origin: str = "http://localhost:5173"
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

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        # A production deployment with a guessable JWT secret lets anyone mint superadmin tokens.
        if not self.is_production:
            return self
        if self.signs_tokens:
            self._refuse_a_weak_jwt_secret()
        # The metrics name every mitra's WA number; empty means superadmin JWTs only.
        if self.metrics_token and estimated_secret_bits(self.metrics_token) < MIN_SECRET_BITS:
            raise ValueError(f"METRICS_TOKEN is too predictable for production; leave it empty or {SECRET_HINT}")
        return self

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
