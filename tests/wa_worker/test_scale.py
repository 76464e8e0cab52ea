"""Many numbers on few workers: ownership costs no connection per number (leases in wa_sessions)."""

import time

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from shared.config import get_settings
from shared.db import session_scope
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.timeutil import utcnow
from shared.wa.simulator import SimulatorTransport
from tests.wa_worker.test_manager import committed, start_manager, wait_for  # noqa: F401


@pytest.fixture
def small_pool():
    """An engine whose pool cannot grow past 4 connections, and its sessionmaker."""
    engine = create_engine(get_settings().sqlalchemy_url, pool_size=4, max_overflow=0, pool_timeout=3,
                           connect_args={"options": "-c timezone=UTC"})
    yield engine, sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def paired(committed, n: int) -> list:
    """N enabled sessions with a stored pairing (the simulator resumes them without a QR)."""
    return [committed(phone=f"0812345{i:05d}", status=WaSessionStatus.connected, phone_number=f"62812345{i:05d}",
                      last_connected_at=utcnow()) for i in range(n)]


def connected_count(ids) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).where(WaSession.id.in_(ids),
                                                         WaSession.status == WaSessionStatus.connected,
                                                         WaSession.worker_id.is_not(None)))


def test_one_worker_with_a_four_connection_pool_runs_forty_numbers(small_pool, committed, start_manager):
    engine, factory = small_pool
    sessions = paired(committed, 40)
    ids = [wa.id for wa in sessions]
    started = time.monotonic()
    run = start_manager(SimulatorTransport(session_factory=factory), session_factory=factory)
    wait_for(lambda: len(run.manager.runners) == 40 and connected_count(ids) == 40, timeout=30)
    assert time.monotonic() - started < 30
    assert engine.pool.checkedout() <= 4
    run.close()
