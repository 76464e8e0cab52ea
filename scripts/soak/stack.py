"""The product as `make run` starts it, in a scratch data folder on free ports, and the faults done to it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_PROCESSES = ("api", "worker", "beat", "wa", "flower")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    data_dir: Path
    log_path: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def status_path(self) -> Path:
        return self.data_dir / "run" / "status.json"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DATA_DIR=str(self.data_dir), PORT=str(self.port), FLOWER_PORT=str(free_port()),
                   DEVENV_REDIS_PORT=str(free_port()), WA_TRANSPORT="simulator", PYTHONUNBUFFERED="1")
        return env

    def start(self, timeout: float = 180.0) -> None:
        """Start `python -m scripts.devenv run` (what `make run` runs after setup) and wait for the API."""
        self.port = self.port or free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen([sys.executable, "-m", "scripts.devenv", "run"], cwd=REPO,
                                            env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make run exited with {self.process.returncode} before it was healthy; "
                                   f"see {self.log_path}")
            if self.health()[0] == 200:
                return
            time.sleep(1)
        raise RuntimeError(f"the API did not answer within {timeout:.0f}s; see {self.log_path}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 60.0) -> int | None:
        """Ctrl-C, as a user would; returns the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                return None
        return self.process.returncode

    def health(self) -> tuple[int, dict | None]:
        try:
            with urllib.request.urlopen(self.base_url + "/api/health", timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read())
            except ValueError:
                return error.code, None
        except (urllib.error.URLError, OSError, ValueError):
            return 0, None

    def status(self) -> dict:
        """The supervisor's status.json ({} while it has not written one)."""
        try:
            return json.loads(self.status_path.read_text())
        except (OSError, ValueError):
            return {}

    def pid_of(self, name: str) -> int | None:
        proc = self.status().get("processes", {}).get(name) or {}
        return proc.get("pid") if proc.get("state") == "running" else None

    # --- faults -------------------------------------------------------------------------------

    def kill(self, name: str, sig: int = signal.SIGKILL) -> int | None:
        pid = self.pid_of(name)
        if pid is None:
            return None
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return None
        return pid

    def hold(self, name: str) -> None:
        """Keep the supervisor from (re)starting `name` until release()."""
        (self.data_dir / "run" / f"hold-{name}").touch()

    def release(self, name: str) -> None:
        (self.data_dir / "run" / f"hold-{name}").unlink(missing_ok=True)

    def database_url(self) -> str:
        """The embedded PostgreSQL's URL, as `scripts.devenv env` prints it."""
        out = subprocess.run([sys.executable, "-m", "scripts.devenv", "env"], cwd=REPO, env=self.env(),
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("export DATABASE_URL="):
                return line.split("=", 1)[1].strip("'")
        raise RuntimeError("scripts.devenv env printed no DATABASE_URL")
