"""Restore drill: seed a scratch database and a logo, back up with `make backup`'s code (real pg_dump), damage the
data, restore with `make restore`'s code (real pg_restore), and find every table, the invoices and the logo as
they were."""

import argparse
import json
import os
import shutil
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from scripts.devenv import backup as backup_tool
from scripts.devenv.common import DevenvError
from shared.config import REPO_ROOT, get_settings
from shared.seed import seed
from tests.scripts.scratch_db import create_migrated, drop_family

SCRATCH_DB = "fibernode_backup_drill"
LOGO = b"RIFF\x1a\x00\x00\x00WEBPVP8 original logo bytes"
CHECKSUM = text("SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.id), '')) FROM invoices i")


@pytest.fixture
def scratch_url():
    url = create_migrated(SCRATCH_DB)
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        seed(session, demo=True, settings=get_settings())
        session.execute(text(
            "INSERT INTO invoices (customer_id, owner_id, period, amount, discount, total_amount, due_date) "
            "SELECT c.id, c.owner_id, p.period, c.total_bill, 0, c.total_bill, :due "
            "FROM customers c CROSS JOIN (VALUES ('2026-10'), ('2026-11')) AS p(period)"), {"due": date(2026, 11, 10)})
    engine.dispose()
    yield url
    drop_family(url, SCRATCH_DB)


def _snapshot(url: str) -> tuple[dict[str, int], str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename <> 'backup_runs' ORDER BY tablename")).scalars().all()
        counts = {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in tables}
        checksum = conn.execute(CHECKSUM).scalar_one()
    engine.dispose()
    return counts, checksum


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def test_backup_then_damage_then_restore_gives_back_every_row_and_the_logo(scratch_url, tmp_path):
    uploads = tmp_path / "data" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "logo-1.webp").write_bytes(LOGO)
    before_counts, before_checksum = _snapshot(scratch_url)
    assert before_counts["customers"] >= 3 and before_counts["invoices"] == 2 * before_counts["customers"]

    made = backup_tool.backup(scratch_url, uploads=uploads, dest=tmp_path / "backups", keep_days=7)
    assert made.dump.stat().st_size > 0 and made.uploads is not None

    _execute(scratch_url,
             "UPDATE invoices SET status = 'paid', paid_at = now(), payment_method = 'cash'",
             "DELETE FROM invoices WHERE customer_id IN (SELECT id FROM customers ORDER BY id LIMIT 2)",
             "DELETE FROM customers WHERE id IN (SELECT id FROM customers ORDER BY id LIMIT 2)",
             # a table the dump does not know: a restore replaces the database, it does not merge
             "CREATE TABLE stray (id int)")
    (uploads / "logo-1.webp").write_bytes(b"someone else's logo")
    (uploads / "logo-2.webp").write_bytes(b"uploaded after the backup")
    damaged_counts, damaged_checksum = _snapshot(scratch_url)
    assert damaged_counts["customers"] == before_counts["customers"] - 2 and damaged_checksum != before_checksum

    backup_tool.restore(scratch_url, made.dump, uploads=uploads)

    assert _snapshot(scratch_url) == (before_counts, before_checksum)
    assert (uploads / "logo-1.webp").read_bytes() == LOGO
    assert sorted(path.name for path in uploads.iterdir()) == ["logo-1.webp"]
    # The damaged state is kept for a look, not lost: database and folder.
    assert (uploads.parent / "uploads.before-restore" / "logo-2.webp").is_file()
    assert _snapshot(scratch_url.replace(SCRATCH_DB, f"{SCRATCH_DB}_before_restore"))[0] == damaged_counts | {
        "stray": 0}
    # The run recorded after the dump survives the restore: health does not see an older last backup.
    engine = create_engine(scratch_url)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT file, ok, source FROM backup_runs")).all()
    engine.dispose()
    assert [tuple(run) for run in runs] == [(made.dump.name, True, "make")]


def test_a_failing_restore_leaves_the_database_alone(scratch_url, tmp_path):
    broken = tmp_path / "fibernode-20260101-000000.dump"
    broken.write_bytes(b"PGDMP not really a dump")
    before = _snapshot(scratch_url)
    with pytest.raises(DevenvError, match="pg_restore failed"):
        backup_tool.restore(scratch_url, broken, uploads=tmp_path / "uploads")
    assert _snapshot(scratch_url) == before


def test_keep_days_zero_keeps_the_set_just_written_and_drops_older_ones(scratch_url, tmp_path):
    dest = tmp_path / "backups"
    dest.mkdir()
    old = [dest / "fibernode-20260101-000000.dump", dest / "fibernode-20260101-000000.uploads.tar.gz"]
    for path in old:
        path.write_bytes(b"old")
        os.utime(path, (0, 0))
    made = backup_tool.backup(scratch_url, uploads=tmp_path / "no-uploads-yet", dest=dest, keep_days=0)
    assert sorted(path.name for path in dest.iterdir()) == sorted([made.dump.name, made.uploads.name])


def test_a_failing_backup_records_a_failed_run(scratch_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))  # no pg_dump there
    with pytest.raises(DevenvError, match="pg_dump"):
        backup_tool.backup(scratch_url, uploads=tmp_path, dest=tmp_path / "backups", keep_days=7)
    engine = create_engine(scratch_url)
    with engine.connect() as conn:
        run = conn.execute(text("SELECT ok, error FROM backup_runs")).one()
    engine.dispose()
    assert run.ok is False and "pg_dump" in run.error
    assert list((tmp_path / "backups").glob("*")) == []  # no partial file left


def test_restore_refuses_while_make_run_is_running_and_without_a_yes(tmp_path, monkeypatch):
    dump = tmp_path / "fibernode-x.dump"
    dump.write_bytes(b"x")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "status.json").write_text(json.dumps({"supervisorPid": os.getpid()}))
    monkeypatch.setattr(backup_tool, "RUN_DIR", run_dir)
    with pytest.raises(DevenvError, match="make run` is running"):
        backup_tool.cmd_restore(argparse.Namespace(command=[str(dump), "--yes"]))
    with pytest.raises(DevenvError, match="--yes"):  # pytest's stdin is not a terminal
        backup_tool.confirm("replace?", assume_yes=False)


def test_make_backup_and_make_restore_commands_round_trip(scratch_url, tmp_path):
    """The command line `make backup` / `make restore FILE=… YES=1` run, on a data dir of its own."""
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    (data / "uploads" / "logo.webp").write_bytes(LOGO)
    env = dict(os.environ, DATABASE_URL=scratch_url, DATA_DIR=str(data), REDIS_URL=os.environ["REDIS_URL"])
    devenv = [sys.executable, "-m", "scripts.devenv"]
    made = subprocess.run([*devenv, "backup"], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert made.returncode == 0, made.stderr
    dump, = (data / "backups").glob("*.dump")
    before = _snapshot(scratch_url)
    _execute(scratch_url, "UPDATE invoices SET status = 'paid', paid_at = now()")
    (data / "uploads" / "logo.webp").unlink()

    asked = subprocess.run([*devenv, "restore", "--", str(dump)], env=env, cwd=REPO_ROOT, capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    assert asked.returncode != 0 and "--yes" in asked.stderr  # no terminal to type YA in: nothing restored
    assert _snapshot(scratch_url) != before

    restored = subprocess.run([*devenv, "restore", "--", str(dump), "--yes"], env=env, cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=120, check=False)
    assert restored.returncode == 0, restored.stderr
    assert _snapshot(scratch_url) == before
    assert (data / "uploads" / "logo.webp").read_bytes() == LOGO


def test_make_backup_copies_the_set_off_host_with_rclone(scratch_url, tmp_path):
    if shutil.which("rclone") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rclone is missing and CI=true (.ci/run installs it)")
        pytest.skip("rclone is not installed (apt-get install rclone)")
    offsite = tmp_path / "offsite"  # rclone's local backend: a plain path is a remote
    offsite.mkdir()
    made = backup_tool.backup(scratch_url, uploads=tmp_path / "uploads", dest=tmp_path / "backups", keep_days=7,
                              rclone_remote=str(offsite))
    assert sorted(path.name for path in offsite.iterdir()) == sorted([made.dump.name, made.uploads.name])
    assert (offsite / made.dump.name).read_bytes() == made.dump.read_bytes() and made.off_host == str(offsite)
