"""The spec's environment variables: token lifetimes (JWT_EXPIRES_IN, REFRESH_TOKEN_EXPIRES_IN) and CORS_ORIGINS."""

import os
import subprocess
import sys
from datetime import timedelta

import jwt as pyjwt
import pytest
from pydantic import ValidationError
from sqlalchemy import select

from shared.config import REPO_ROOT, Settings, parse_duration
from shared.models import RefreshToken
from shared.timeutil import utcnow


@pytest.mark.parametrize("text, expected", [
    ("15m", timedelta(minutes=15)), ("1h", timedelta(hours=1)), ("900", timedelta(seconds=900)),
    ("7d", timedelta(days=7)), ("1h30m", timedelta(minutes=90)), ("2w", timedelta(days=14)), (" 45S ", timedelta(seconds=45)),
])
def test_durations_as_the_spec_writes_them(text, expected):
    assert parse_duration(text, name="X") == expected


@pytest.mark.parametrize("text", ["15x", "m15", "0", "0m", "-5m", "1.5h", "15 minutes", "1h 30"])
def test_a_bad_duration_names_the_variable(text):
    with pytest.raises(ValidationError, match="JWT_EXPIRES_IN"):
        Settings(jwt_expires_in=text)


def test_the_spec_names_win_over_the_older_ones_which_still_work():
    assert Settings().access_token_ttl == timedelta(minutes=15)
    assert Settings().refresh_token_ttl == timedelta(days=7)
    old = Settings(access_token_minutes=30, refresh_token_days=14)
    assert (old.access_token_ttl, old.refresh_token_ttl) == (timedelta(minutes=30), timedelta(days=14))
    both = Settings(access_token_minutes=30, jwt_expires_in="5m", refresh_token_days=14, refresh_token_expires_in="1d")
    assert (both.access_token_ttl, both.refresh_token_ttl) == (timedelta(minutes=5), timedelta(days=1))


def test_a_refresh_token_shorter_than_the_access_token_is_refused():
    with pytest.raises(ValidationError, match="REFRESH_TOKEN_EXPIRES_IN"):
        Settings(jwt_expires_in="2h", refresh_token_expires_in="1h")


def _clean_env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("JWT_", "REFRESH_TOKEN", "ACCESS_TOKEN", "CORS_", "LOG_LEVEL"))}
    return {**base, **extra}


def test_a_bad_value_in_the_environment_stops_the_process_at_start():
    code = "from shared.config import get_settings; get_settings()"
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
                            env=_clean_env(JWT_EXPIRES_IN="seperempat jam", JWT_SECRET="rahasia-jangan-dicetak"))
    assert result.returncode != 0
    assert "JWT_EXPIRES_IN='seperempat jam' is not a duration" in result.stderr
    assert "rahasia-jangan-dicetak" not in result.stderr  # the other settings are not echoed
    ok = subprocess.run([sys.executable, "-c", code + "; print(get_settings().access_token_ttl)"], check=False, cwd=REPO_ROOT,
                        capture_output=True, text=True, timeout=60,
                        env=_clean_env(JWT_EXPIRES_IN="1h", REFRESH_TOKEN_EXPIRES_IN="7d"))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "1:00:00"


def test_login_issues_tokens_with_the_configured_lifetimes(session_factory, make_user, db, monkeypatch):
    from api.app import create_app
    from shared.services import auth

    settings = Settings(jwt_expires_in="1h", refresh_token_expires_in="2d", socketio_message_queue=False)
    monkeypatch.setattr(auth, "get_settings", lambda: settings)  # as the process's get_settings() would read them
    app = create_app(settings, session_factory=session_factory)
    user = make_user(username="umur_token", password="Rahasia123!")
    res = app.test_client().post("/api/auth/login", json={"username": "umur_token", "password": "Rahasia123!"})
    assert res.status_code == 200, res.json
    claims = pyjwt.decode(res.json["accessToken"], settings.jwt_secret, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 3600
    stored = db.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id)).one()
    assert abs(stored.expires_at - (utcnow() + timedelta(days=2))) < timedelta(minutes=1)
