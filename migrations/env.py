from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, text

from shared.config import get_settings
from shared.models import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # whatsmeow (neonize) keeps its own tables in the same database; they are not ours to migrate.
    return not (type_ == "table" and name and name.startswith("whatsmeow_"))


def _url() -> str:
    return config.attributes.get("url") or get_settings().sqlalchemy_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      include_object=include_object, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    with engine.connect() as conn:
        _run(conn)


# Two API replicas start at once and both run `alembic upgrade head` (compose/entrypoint.sh). The
# migration runs in one transaction; this lock makes the second wait for the first to commit, then find
# the schema at head and do nothing, instead of both creating the same tables.
MIGRATION_LOCK_KEY = 0x46_4E_4D_49_47  # "FNMIG"


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, include_object=include_object,
                      compare_type=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
