"""Database engine and sessions, shared by the API (a session per request) and workers (per task)."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from shared.config import get_settings

# Every session: UTC (the app converts to WIB itself) and no parallel query. A request's statements read a few
# thousand rows at most; starting parallel workers for one (a Gather over a bitmap scan of 1,111 search matches
# at 1M customers) cost 5-6 ms against 3-4 ms alone, and under concurrent requests the workers only compete
# with the other requests for the same cores. The workers' big statements (generation, exports through a
# cursor) write or stream, which PostgreSQL does not run in parallel anyway.
SESSION_OPTIONS = "-c timezone=UTC -c max_parallel_workers_per_gather=0"


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        connect_args={"options": SESSION_OPTIONS},
    )


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session] | None = None) -> Iterator[Session]:
    """Open a session (from `factory`, default the app's), commit at the end, roll back on error."""
    session = (factory or get_sessionmaker())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
