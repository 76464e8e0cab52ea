"""Paths, ports and messages shared by every devenv command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _data_dir() -> Path:
    # The same variable the app's Settings reads; children run with cwd=REPO, so a relative value
    # means the same folder to them and to us.
    configured = os.environ.get("DATA_DIR")
    if not configured:
        return REPO / ".data"
    path = Path(configured).expanduser()
    return path if path.is_absolute() else (REPO / path).resolve()


DATA = _data_dir()
PG_DATA = DATA / "pg"
REDIS_DATA = DATA / "redis"
REDIS_STATE = REDIS_DATA / "devenv.json"
RUN_DIR = DATA / "run"  # status.json and hold-<name> files of a running `devenv run`
ARTIFACTS = REPO / "test-artifacts"

DB_NAME = "fibernode"
E2E_DB_NAME = "fibernode_e2e"
REDIS_PORT = int(os.environ.get("DEVENV_REDIS_PORT", "6390"))
TEST_REDIS_DB = 15
E2E_REDIS_DB = 14
API_PORT = int(os.environ.get("PORT", "8000"))
FLOWER_PORT = int(os.environ.get("FLOWER_PORT", "5555"))
LOGINS = (("superadmin", "Admin123!"), ("mitra1", "Mitra123!"), ("mitra2", "Mitra123!"))


class DevenvError(Exception):
    """A problem the developer can fix; printed without a traceback."""


def say(message: str) -> None:
    """Print a status line on stderr, keeping stdout for `export` lines and child output."""
    print(f"devenv: {message}", file=sys.stderr, flush=True)
