"""Fixtures for the WA worker tests: committed sessions (the manager's own transactions must see them) and
managers running in threads, as `python -m worker.wa` runs one."""

import threading
import time
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import delete, select

from shared import heartbeats
from shared.db import session_scope
from shared.models import User, UserRole
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaMessageLog, WaMessageQueue, WaSession
from shared.wa import events
from shared.wa.simulator import SimulatorTransport
from worker.wa.manager import WaManager


def wait_for(predicate: Callable[[], object], timeout: float = 8.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def load(session_id: uuid.UUID) -> WaSession:
    with session_scope() as session:
        return session.get(WaSession, session_id)


@pytest.fixture
def committed(engine):
    """Create users with WA sessions in committed transactions (visible to the manager); delete them after."""
    users: list[uuid.UUID] = []

    def make(*, phone: str | None = "6281234567001", enabled: bool = True,
             status: WaSessionStatus = WaSessionStatus.connecting, **fields) -> WaSession:
        suffix = uuid.uuid4().hex[:8]
        with session_scope() as session:
            user = User(username=f"wa_{suffix}", password_hash="x", name=f"WA {suffix}", role=UserRole.mitra,
                        business_name=f"WA Usaha {suffix}", phone=phone)
            session.add(user)
            session.flush()
            wa = WaSession(user_id=user.id, enabled=enabled, status=status, **fields)
            session.add(wa)
            session.flush()
            users.append(user.id)
            return wa

    yield make
    with session_scope() as session:
        ids = list(session.scalars(select(WaSession.id).where(WaSession.user_id.in_(users))))
        session.execute(delete(WaMessageLog).where(WaMessageLog.session_id.in_(ids)))
        session.execute(delete(WaMessageQueue).where(WaMessageQueue.session_id.in_(ids)))
        session.execute(delete(User).where(User.id.in_(users)))


@pytest.fixture
def emitted():
    events.recorded.clear()
    yield events.recorded
    events.recorded.clear()


class Running:
    """A manager running in a thread, as `python -m worker.wa` runs it."""

    def __init__(self, transport: SimulatorTransport, **options):
        self.stop = threading.Event()
        options = {"poll_interval": 0.2, "heartbeat_interval": 0.5, "start_wait": 2.0, "settle": 0.0, **options}
        self.manager = WaManager(transport, **options)
        self.thread = threading.Thread(target=self.manager.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "the manager did not stop"


@pytest.fixture
def start_manager():
    running: list[Running] = []

    def start(transport: SimulatorTransport | None = None, **options) -> Running:
        run = Running(transport or SimulatorTransport(qr_interval=0.5), **options)
        running.append(run)
        return run

    yield start
    for run in running:
        if run.thread.is_alive():
            run.close()
    with session_scope() as session:  # a test that played a crash leaves its heartbeat behind
        for run in running:
            heartbeats.forget(session, "wa", instance=run.manager.worker_id)


def load_queue(queue_id: uuid.UUID) -> WaMessageQueue:
    with session_scope() as session:
        return session.get(WaMessageQueue, queue_id)
