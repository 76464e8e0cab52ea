"""compose/backup/backup.sh, run with sh against a scratch database: retention (BACKUP_KEEP_DAYS=0 keeps the dump
just written), uploads in the set, the off-host copy (rclone's local backend), failures recorded and warned about,
and its restore."""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from scripts.devenv.backup import libpq_env, pg_tool
from shared import backups
from shared.config import REPO_ROOT
from tests.scripts.scratch_db import create_migrated, drop_family

SCRIPT = REPO_ROOT / "compose" / "backup" / "backup.sh"
SCRATCH_DB = "fibernode_compose_backup"


@pytest.fixture(scope="module")
def scratch_url():
    url = create_migrated(SCRATCH_DB)
    yield url
    drop_family(url, SCRATCH_DB)


@pytest.fixture
def engine(scratch_url):
    eng = create_engine(scratch_url)
    with eng.begin() as conn:
        conn.execute(text("DELETE FROM backup_runs"))
    yield eng
    eng.dispose()


@pytest.fixture
def run_script(scratch_url, tmp_path):
    """Run backup.sh with sh, PG* at the scratch database, the embedded server's pg_dump/psql first on PATH."""
    bin_dir = Path(pg_tool("pg_dump")).parent

    def run(*args: str, path_first: Path | None = None, **env: str) -> subprocess.CompletedProcess:
        full = libpq_env(scratch_url)
        full.update(BACKUP_DIR=str(tmp_path / "backups"), UPLOADS_DIR=str(tmp_path / "appdata" / "uploads"),
                    BACKUP_KEEP_DAYS="7", BACKUP_RCLONE_REMOTE="",
                    PATH=os.pathsep.join(p for p in (str(path_first or ""), str(bin_dir), os.environ["PATH"]) if p))
        full.update(env)
        return subprocess.run(["sh", str(SCRIPT), *args], env=full, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL, check=False)

    return run


def _sets(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("fibernode-*"))


def _runs(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(text("SELECT ok, file, off_host, error FROM backup_runs ORDER BY finished_at")).all()


def test_keep_days_zero_keeps_the_dump_just_written(run_script, engine, tmp_path):
    backups_dir = tmp_path / "backups"
    backups_dir.mkdir()
    old = [backups_dir / "fibernode-20260101-000000.dump", backups_dir / "fibernode-20260101-000000.uploads.tar.gz"]
    for path in old:
        path.write_bytes(b"old")
        os.utime(path, (0, 0))
    result = run_script("once", BACKUP_KEEP_DAYS="0")
    assert result.returncode == 0, result.stderr
    names = _sets(backups_dir)
    assert len(names) == 2 and all(name.startswith("fibernode-2") and "20260101" not in name for name in names), names
    assert "removed" in result.stdout
    dump = next(backups_dir.glob("*.dump"))
    assert dump.stat().st_size > 0
    assert [tuple(run) for run in _runs(engine)] == [(True, dump.name, None, None)]


def test_a_week_is_kept_at_seven(run_script, engine, tmp_path):
    backups_dir = tmp_path / "backups"
    backups_dir.mkdir()
    recent, old = backups_dir / "fibernode-20260102-000000.dump", backups_dir / "fibernode-20260101-000000.dump"
    for path, days in ((recent, 3), (old, 8)):
        path.write_bytes(b"x")
        stamp = path.stat().st_mtime - days * 86400
        os.utime(path, (stamp, stamp))
    assert run_script("once").returncode == 0
    names = _sets(backups_dir)
    assert recent.name in names and old.name not in names and len(names) == 3


def test_a_failing_dump_is_logged_recorded_and_warned_about_after_36_hours(run_script, engine, tmp_path):
    fake = tmp_path / "fake-bin"
    fake.mkdir()
    (fake / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump: error: connection to server failed' >&2\nexit 1\n")
    (fake / "pg_dump").chmod(0o755)
    with Session(engine) as session, session.begin():
        good = backups.record(session, source="compose", ok=True, started_at=backups.utcnow(), file="old.dump")
        good.finished_at = backups.utcnow() - timedelta(hours=37)
    result = run_script("once", path_first=fake)
    assert result.returncode == 1
    assert "backup: FAILED: pg_dump failed: pg_dump: error: connection to server failed" in result.stderr
    assert _sets(tmp_path / "backups") == []  # no partial file left
    last = _runs(engine)[-1]
    assert last.ok is False and "connection to server failed" in last.error
    with Session(engine) as session:
        part = backups.health_part(session, detail=True)
    assert part["status"] == "down" and part["error"] == "StaleBackup" and "connection" in part["last_error"]


def _rclone() -> str:
    found = shutil.which("rclone")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rclone is missing and CI=true (.ci/run installs it)")
        pytest.skip("rclone is not installed (apt-get install rclone)")
    return found


def test_the_set_is_copied_off_host_with_rclone_and_pruned_there(run_script, engine, tmp_path):
    _rclone()
    offsite = tmp_path / "offsite"  # rclone's local backend: a plain path is a remote
    offsite.mkdir()
    stale = offsite / "fibernode-20260101-000000.dump"
    stale.write_bytes(b"old")
    os.utime(stale, (0, 0))
    (offsite / "unrelated.txt").write_text("not ours")
    (tmp_path / "appdata" / "uploads").mkdir(parents=True)
    (tmp_path / "appdata" / "uploads" / "logo.webp").write_bytes(b"logo")
    result = run_script("once", BACKUP_RCLONE_REMOTE=str(offsite), RCLONE_CONFIG=str(tmp_path / "rclone.conf"))
    assert result.returncode == 0, result.stderr
    assert _sets(offsite) == _sets(tmp_path / "backups") and len(_sets(offsite)) == 2
    assert (offsite / "unrelated.txt").exists()
    assert _runs(engine)[-1].off_host == str(offsite)


def test_a_failing_off_host_copy_is_a_failed_run_but_keeps_the_local_set(run_script, engine, tmp_path):
    _rclone()
    result = run_script("once", BACKUP_RCLONE_REMOTE="nosuchremote:bucket", RCLONE_CONFIG=str(tmp_path / "none.conf"))
    assert result.returncode == 1 and "rclone copy to nosuchremote:bucket failed" in result.stderr
    assert len(_sets(tmp_path / "backups")) == 2
    assert _runs(engine)[-1].ok is False


def test_restore_puts_the_database_and_the_uploads_back(run_script, engine, scratch_url, tmp_path):
    uploads = tmp_path / "appdata" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "logo.webp").write_bytes(b"the logo")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO settings (key, value) VALUES ('drill_marker', '\"before\"') "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
    assert run_script("once").returncode == 0
    dump = next((tmp_path / "backups").glob("*.dump"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE settings SET value = '\"after\"' WHERE key = 'drill_marker'"))
    (uploads / "logo.webp").write_bytes(b"changed")
    engine.dispose()

    refused = run_script("restore", str(dump))  # stdin is /dev/null: no YA typed
    assert refused.returncode == 1 and "cancelled" in refused.stderr
    result = run_script("restore", str(dump), "--yes")
    assert result.returncode == 0, result.stderr
    with engine.connect() as conn:
        marker = conn.execute(text("SELECT value FROM settings WHERE key = 'drill_marker'")).scalar_one()
        runs = conn.execute(text("SELECT count(*) FROM backup_runs WHERE ok")).scalar_one()
    assert marker == '"before"'
    assert runs == 1  # the run recorded after the dump was carried over
    assert (uploads / "logo.webp").read_bytes() == b"the logo"
