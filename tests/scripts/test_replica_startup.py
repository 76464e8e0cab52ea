"""Two API replicas start together: both run compose/entrypoint.sh's migrate + seed on one empty database.

Without the advisory locks in migrations/env.py and shared/seed.py the second replica dies on
`relation "users" already exists` or a duplicate superadmin, and its container restarts in a loop.
"""

import os
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy.engine import make_url

from shared.config import REPO_ROOT, get_settings
from tests.scripts.scratch_db import _admin, drop_family

NAME = "fibernode_replica_race"
ENTRYPOINT = REPO_ROOT / "compose" / "entrypoint.sh"


@pytest.fixture
def empty_db():
    url = make_url(get_settings().sqlalchemy_url).set(database=NAME).render_as_string(hide_password=False)
    drop_family(url, NAME)
    with _admin(url) as conn:
        conn.execute(f'CREATE DATABASE "{NAME}"')
    yield url
    drop_family(url, NAME)


def _replica(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "RUN_MIGRATIONS": "true", "APP_ENV": "development",
           "SEED_DEMO_DATA": "true", "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    return subprocess.Popen(["sh", str(ENTRYPOINT), "true"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.timeout(180)
def test_two_replicas_migrate_and_seed_one_empty_database(empty_db):
    replicas = [_replica(empty_db) for _ in range(3)]
    outputs = [replica.communicate(timeout=170)[0] for replica in replicas]
    for replica, output in zip(replicas, outputs):
        assert replica.returncode == 0, output
    conninfo = make_url(empty_db).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        heads = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        superadmins = conn.execute("SELECT count(*) FROM users WHERE role = 'superadmin'").fetchone()[0]
        mitras = conn.execute("SELECT count(*) FROM users WHERE role = 'mitra'").fetchone()[0]
    assert len(heads) == 1
    assert superadmins == 1
    assert mitras == 2
