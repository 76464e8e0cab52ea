"""`python -m api` (make run's API) listens where HOST says, loopback by default; it used to bind 0.0.0.0 always."""

import errno
import os
import socket
import subprocess
import sys
import time

from shared.config import REPO_ROOT, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect_errno(host: str, port: int) -> int:
    # connect_ex: the tests' network guard wraps connect() only, and 127.0.0.2 is loopback too.
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port))


def test_the_default_is_loopback():
    assert Settings.model_fields["host"].default == "127.0.0.1"


def test_asking_for_loopback_binds_only_loopback():
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "APP_ENV": "test"}
    proc = subprocess.Popen([sys.executable, "-m", "api"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while connect_errno("127.0.0.1", port) != 0:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "python -m api did not listen within 60 s"
            time.sleep(0.2)
        # Another address of this machine (all of 127/8 is loopback on Linux) reaches a 0.0.0.0 socket, not this.
        assert connect_errno("127.0.0.2", port) == errno.ECONNREFUSED
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
