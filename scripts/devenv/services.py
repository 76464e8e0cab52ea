"""The embedded PostgreSQL and Valkey, shared by every devenv user (see postgres.py and valkey.py).

A process that finds them already running (another `make run`, a pytest session) reuses them; the
last process using them stops them when it exits.
"""

from __future__ import annotations

import atexit
import os

from scripts.devenv.common import PG_DATA, REDIS_DATA, REDIS_STATE, TEST_REDIS_DB, say
from scripts.devenv.postgres import (
    ensure_database,
    pg_url,
    postgres_pid,
    restart_postgres,
    running_postmaster,
    start_postgres,
    stop_postgres,
    stop_postmaster,
    with_database,
)
from scripts.devenv.valkey import (
    read_valkey_state,
    restart_valkey,
    running_valkey,
    start_valkey,
    stop_valkey,
    terminate,
    valkey_process,
    with_redis_db,
)

__all__ = [
    "embedded_summary", "ensure_database", "ensure_services", "pg_url", "postgres_pid", "restart_postgres",
    "restart_valkey", "running_postmaster", "running_valkey", "stop_all_embedded", "stop_services",
    "valkey_process", "with_database", "with_redis_db",
]

_services: dict[str, str] | None = None


def ensure_services(for_tests: bool = False) -> dict[str, str]:
    """Make PostgreSQL and Redis available and return the URLs to use.

    Keys: DATABASE_URL, REDIS_URL, TEST_DATABASE_URL (database `<name>_test`, created when
    `for_tests`) and TEST_REDIS_URL (database index 15). Given DATABASE_URL / REDIS_URL are used
    as they are; otherwise embedded servers are started (or reused) and stopped at exit.
    """
    global _services
    if _services is None:
        database_url = os.environ.get("DATABASE_URL") or start_postgres()
        redis_url = os.environ.get("REDIS_URL") or with_redis_db(start_valkey(), 0)
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
    stop_valkey()
    stop_postgres()


def stop_all_embedded() -> None:
    """Stop the embedded services of this data dir, whoever started them."""
    state = read_valkey_state()
    if state is not None:
        terminate(state["pid"])
        REDIS_STATE.unlink(missing_ok=True)
        say(f"Valkey (pid {state['pid']}) stopped")
    info = running_postmaster()
    if info is not None:
        stop_postmaster()
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
