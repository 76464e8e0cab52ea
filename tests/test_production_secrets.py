"""Production refuses the published superadmin password and low-entropy JWT secrets."""

import base64
import os
import secrets
import subprocess
import sys

import pytest
from pydantic import ValidationError

from shared.config import REPO_ROOT, Settings, estimated_secret_bits
from shared.seed import SeedRefused, refuse_published_passwords, seed

GOOD_SECRET = secrets.token_hex(32)
GOOD_KEY = secrets.token_hex(32)  # ENCRYPTION_KEY


def run_seed(**env: str) -> subprocess.CompletedProcess:
    # A database nobody listens on: the refusal must come before the seed touches it.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ADMIN_", "SEED_", "JWT_", "APP_ENV", "ENCRYPTION_"))}
    env = {**base, "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none", "SEED_DEMO_DATA": "false", **env}
    return subprocess.run([sys.executable, "-m", "shared.seed"], check=False, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


@pytest.mark.parametrize("password", [None, "Admin123!"])
def test_production_seed_refuses_the_default_admin_password(password):
    env = {"APP_ENV": "production", "JWT_SECRET": GOOD_SECRET, "ENCRYPTION_KEY": GOOD_KEY}
    if password is not None:
        env["ADMIN_PASSWORD"] = password
    result = run_seed(**env)
    assert result.returncode != 0
    assert "ADMIN_PASSWORD" in result.stderr and "seed refused" in result.stderr
    assert "Traceback" not in result.stderr  # an operator message, not a crash


def test_the_seed_function_refuses_too(db):
    settings = Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET, seed_demo_data=False)
    with pytest.raises(SeedRefused, match="ADMIN_PASSWORD"):
        seed(db, demo=False, settings=settings)


def test_production_seed_refuses_demo_accounts_and_weak_admin_passwords():
    with pytest.raises(SeedRefused, match="SEED_DEMO_DATA"):
        refuse_published_passwords(Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET,
                                            admin_password="Pemilik-Kuat-2026", seed_demo_data=True))
    with pytest.raises(SeedRefused, match="ADMIN_PASSWORD"):
        refuse_published_passwords(Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET,
                                            admin_password="12345678", seed_demo_data=False))


def test_production_accepts_an_own_admin_password_and_development_keeps_the_default():
    refuse_published_passwords(Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET,
                                        admin_password="Pemilik-Kuat-2026", seed_demo_data=False))
    refuse_published_passwords(Settings(app_env="development"))


@pytest.mark.parametrize("secret", ["a" * 32, "x7" * 24, "abcd" * 16, "0123456789abcdef" * 4,
                                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"])
def test_production_refuses_a_low_entropy_jwt_secret(secret):
    with pytest.raises(ValidationError, match="openssl rand"):
        Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=secret)


def test_openssl_generated_secrets_pass():
    for _ in range(200):
        Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=secrets.token_hex(32))  # openssl rand -hex 32
        Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=base64.b64encode(secrets.token_bytes(32)).decode())  # -base64 32
    assert estimated_secret_bits("a" * 32) == 0


def test_development_keeps_its_placeholder():
    assert Settings(app_env="development").jwt_secret


@pytest.mark.parametrize("token", ["metrics", "prometheus-scrape-token", "a" * 64])
def test_production_refuses_a_guessable_metrics_token(token):
    with pytest.raises(ValidationError, match="METRICS_TOKEN"):
        Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET, metrics_token=token)


def test_production_accepts_a_random_metrics_token_or_none():
    assert Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET, metrics_token=secrets.token_hex(32)).metrics_token
    assert Settings(app_env="production", encryption_key=GOOD_KEY, jwt_secret=GOOD_SECRET).metrics_token == ""


def test_processes_that_sign_nothing_start_in_production_without_jwt_secret():
    # Compose gives JWT_SECRET to the api only; the workers, beat and Flower run with SIGNS_TOKENS=false.
    worker = Settings(app_env="production", encryption_key=GOOD_KEY, signs_tokens=False)
    assert worker.is_production
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(app_env="production", encryption_key=GOOD_KEY)  # the api (signs_tokens by default) still refuses the placeholder
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(app_env="production", encryption_key=GOOD_KEY, signs_tokens=True, jwt_secret="a" * 32)


def test_the_api_refuses_to_start_as_a_process_that_signs_nothing():
    from api.app import create_app

    with pytest.raises(RuntimeError, match="SIGNS_TOKENS"):
        create_app(Settings(app_env="production", encryption_key=GOOD_KEY, signs_tokens=False))


def test_a_worker_process_loads_its_settings_without_jwt_secret():
    # As compose runs the worker: production, SIGNS_TOKENS=false, no JWT_SECRET in its environment.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "APP_ENV", "SIGNS_", "ENCRYPTION_"))}
    code = "from shared.config import get_settings; import worker.celery_app; print(get_settings().is_production)"
    env = {**base, "APP_ENV": "production", "SIGNS_TOKENS": "false", "ENCRYPTION_KEY": GOOD_KEY}
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")
    refused = subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO_ROOT, capture_output=True, text=True,
                             timeout=60, env={**base, "APP_ENV": "production", "ENCRYPTION_KEY": GOOD_KEY})
    assert refused.returncode != 0 and "JWT_SECRET" in refused.stderr
