"""Migration 0014 on a database that already has customers: their NIKs get encrypted, and downgrade decrypts."""

import json

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared import crypto
from shared.config import REPO_ROOT, get_settings

SCRATCH_DB = "fibernode_migration_0014_test"
NIKS = ["3201234567890001", "3201234567890002", None]


@pytest.fixture(scope="module")
def scratch_engine():
    url = make_url(get_settings().sqlalchemy_url).set(database=SCRATCH_DB)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH_DB))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH_DB)))
    engine = create_engine(url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(drop)


def migrate(engine, name: str, revision: str) -> None:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, name)(config, revision)


def test_existing_niks_are_encrypted_and_downgrade_decrypts_them(scratch_engine):
    migrate(scratch_engine, "upgrade", "0012_backup_runs")
    with scratch_engine.begin() as conn:
        owner = conn.execute(text(
            "INSERT INTO users (username, password_hash, name, role, business_name) "
            "VALUES ('lama', 'x', 'Lama', 'superadmin', 'Pusat Lama') RETURNING id")).scalar_one()
        package = conn.execute(text("INSERT INTO packages (name, speed, price) VALUES ('P', '10 Mbps', 100000) "
                                    "RETURNING id")).scalar_one()
        for i, nik in enumerate(NIKS):
            conn.execute(text("INSERT INTO customers (owner_id, package_id, name, phone, nik, billing_date, "
                              "total_bill) VALUES (:o, :p, :n, :ph, :nik, 5, 100000)"),
                         {"o": owner, "p": package, "n": f"Pelanggan {i}", "ph": f"62812000000{i}", "nik": nik})
        conn.execute(text("INSERT INTO activity_logs (user_id, action, resource, metadata) VALUES "
                          "(:o, 'customer.update', 'customers', CAST(:m AS jsonb))"),
                     {"o": owner, "m": json.dumps({"changes": {"nik": {"old": NIKS[0], "new": NIKS[1]},
                                                               "name": {"old": "A", "new": "B"}}})})

    migrate(scratch_engine, "upgrade", "head")
    with scratch_engine.connect() as conn:
        stored = conn.execute(text("SELECT name, nik FROM customers ORDER BY name")).all()
        logged = conn.execute(text("SELECT metadata FROM activity_logs")).scalar_one()
        width = conn.execute(text("SELECT character_maximum_length FROM information_schema.columns "
                                  "WHERE table_name = 'customers' AND column_name = 'nik'")).scalar_one()
    assert width == 255
    keys = crypto.keyring()
    assert stored[2].nik is None
    for (_, value), nik in zip(stored[:2], NIKS[:2], strict=True):
        assert value.startswith(f"enc1:{keys.current_id}:") and nik not in value
        assert keys.decrypt(value, purpose=crypto.NIK_PURPOSE) == nik
    assert logged["changes"]["nik"] == {"old": "************0001", "new": "************0002"}
    assert logged["changes"]["name"] == {"old": "A", "new": "B"}

    migrate(scratch_engine, "downgrade", "0012_backup_runs")
    with scratch_engine.connect() as conn:
        assert [row.nik for row in conn.execute(text("SELECT nik FROM customers ORDER BY name"))] == NIKS
        assert conn.execute(text("SELECT character_maximum_length FROM information_schema.columns "
                                 "WHERE table_name = 'customers' AND column_name = 'nik'")).scalar_one() == 20
