"""What every database session of the app is set to (shared.db.SESSION_OPTIONS)."""

from sqlalchemy import text

from shared.db import get_engine


def test_sessions_are_utc_and_never_start_parallel_workers():
    with get_engine().connect() as conn:
        assert conn.scalar(text("SHOW timezone")) == "UTC"
        assert conn.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
