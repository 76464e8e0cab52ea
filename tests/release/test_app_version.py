"""One version everywhere: APP_VERSION (or the checkout's tag / pyproject) is what the API stores and reports."""

import subprocess

import pytest

from shared.config import REPO_ROOT, Settings
from shared.seed import seed
from shared.services.settings import all_settings, record_app_version
from shared.version import _git_describe, detect_version, from_describe


@pytest.mark.parametrize(("described", "version"), [
    ("v1.4.0", "1.4.0"),
    ("v1.4.0-3-gabc1234", "1.4.0+3.gabc1234"),
    ("v2.0.0-rc.1", "2.0.0-rc.1"),
    ("v2.0.0-rc.1-12-g0123abc", "2.0.0-rc.1+12.g0123abc"),
    ("nightly", None),
    ("1.4.0", None),  # not one of our v* tags
])
def test_git_describe_becomes_a_semver(described, version):
    assert from_describe(described) == version


def _git(repo, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


def test_a_checkout_is_its_nearest_tag_else_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.7.0"\n')
    assert detect_version.__wrapped__(tmp_path) == "0.7.0"  # no git at all: pyproject
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "feat: one")
    assert detect_version.__wrapped__(tmp_path) == "0.7.0"  # git, no tag yet (before the first release)
    _git(tmp_path, "tag", "v1.2.0")
    assert detect_version.__wrapped__(tmp_path) == "1.2.0"
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "fix: two")
    assert detect_version.__wrapped__(tmp_path).startswith("1.2.0+1.g")


def test_app_version_env_wins_and_empty_means_unset(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "3.1.4")
    assert Settings().app_version == "3.1.4"
    monkeypatch.setenv("APP_VERSION", "")  # an image built without --build-arg APP_VERSION
    assert Settings().app_version == detect_version() != ""
    monkeypatch.delenv("APP_VERSION")
    assert Settings().app_version == (_git_describe(REPO_ROOT) or "0.1.0" if (REPO_ROOT / ".git").exists()
                                      else detect_version())


def test_the_start_up_step_stores_the_running_version(db, client):
    """Before: app_version stayed "0.1.0" whatever was deployed, so the PWA's update banner never fired."""
    settings = Settings(app_version="1.5.0", seed_demo_data=False)
    seed(db, demo=False, settings=settings)
    db.flush()
    assert all_settings(db)["app_version"] == "1.5.0"
    assert client.get("/api/settings/branding").json["app_version"] == "1.5.0"
    seed(db, demo=False, settings=settings.model_copy(update={"app_version": "1.6.0"}))  # the next deploy
    assert client.get("/api/settings/branding").json["app_version"] == "1.6.0"


def test_recording_the_version_is_idempotent(db):
    assert record_app_version(db, "4.0.0") is True
    assert record_app_version(db, "4.0.0") is False  # a second API process starting: no write
    assert record_app_version(db, "4.0.1") is True
    assert all_settings(db)["app_version"] == "4.0.1"


def test_an_invalid_app_version_is_refused_not_stored(db, caplog):
    record_app_version(db, "4.0.0")
    seed(db, demo=False, settings=Settings(app_version="4.0 beta; drop", seed_demo_data=False))
    assert all_settings(db)["app_version"] == "4.0.0"
    assert "not a version" in caplog.text
