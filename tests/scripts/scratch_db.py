"""A scratch database beside the test database, migrated to head, for tests that back up and restore whole databases."""

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from shared.config import REPO_ROOT, get_settings


def restore_family(name: str) -> tuple[str, ...]:
    """The database and the two a restore creates beside it (scripts/devenv/backup.py, backup.sh)."""
    return name, f"{name}_restore", f"{name}_before_restore"


def _admin(url: str) -> psycopg.Connection:
    conninfo = make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def drop_family(url: str, name: str) -> None:
    with _admin(url) as conn:
        for database in restore_family(name):
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def create_migrated(name: str) -> str:
    """Drop `name` and its restore leftovers, create it empty, upgrade it to head; returns its URL."""
    url = make_url(get_settings().sqlalchemy_url).set(database=name).render_as_string(hide_password=False)
    drop_family(url, name)
    with _admin(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    engine = create_engine(url)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    engine.dispose()
    return url
