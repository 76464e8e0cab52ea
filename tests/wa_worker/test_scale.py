"""Many numbers on few workers: ownership costs no connection per number (leases in wa_sessions)."""

import time

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from shared import heartbeats
from shared.config import get_settings
from shared.db import session_scope
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaMessageLog, WaSession
from shared.timeutil import utcnow
from shared.wa import outbox
from shared.wa.simulator import SimulatorTransport
from tests.wa_worker.conftest import load, load_queue, wait_for


def committed_owner(session_id):
    return load(session_id).user_id


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


def runs_all(run, ids) -> bool:
    """The manager runs every one of `ids` and each has reported connected (not a stale status from before)."""
    runners = [run.manager.runners.get(session_id) for session_id in ids]
    return all(r is not None and r.ready.is_set() and r.client.is_connected() for r in runners) \
        and connected_count(ids) == len(ids)


def holders(ids) -> dict[str | None, int]:
    with session_scope() as session:
        rows = session.execute(select(WaSession.worker_id, func.count()).where(WaSession.id.in_(ids))
                               .group_by(WaSession.worker_id)).all()
    return {worker: n for worker, n in rows}


def sent_per_message(ids) -> dict[str, int]:
    """How many delivered logs each wa_message_id has (more than one would be a duplicate send)."""
    with session_scope() as session:
        rows = session.execute(select(WaMessageLog.wa_message_id, func.count()).where(
            WaMessageLog.session_id.in_(ids), WaMessageLog.status == "delivered")
            .group_by(WaMessageLog.wa_message_id)).all()
    return {message_id: n for message_id, n in rows}


FAST = {"lease_seconds": 2.0, "heartbeat_interval": 0.5, "share_slack": 1}


def test_two_workers_share_the_numbers_evenly(committed, start_manager):
    ids = [wa.id for wa in paired(committed, 20)]
    first = start_manager(**FAST)
    second = start_manager(**FAST)
    # Whoever grabbed more at the start hands extras over, a few per round, until both are within the slack.
    wait_for(lambda: connected_count(ids) == 20 and sorted(holders(ids).values()) in ([10, 10], [9, 11]),
             timeout=20)
    assert set(holders(ids)) == {first.manager.worker_id, second.manager.worker_id}
    assert len(first.manager.runners) + len(second.manager.runners) == 20


def test_the_numbers_of_a_worker_that_died_are_taken_over_when_its_leases_expire(committed, start_manager):
    ids = [wa.id for wa in paired(committed, 6)]
    transports = [SimulatorTransport(), SimulatorTransport()]
    dying = start_manager(transports[0], **FAST)
    survivor = start_manager(transports[1], **FAST)
    # Each within the slack of its share of 3 (who started first may keep 4).
    wait_for(lambda: sorted(holders(ids).values()) in ([3, 3], [2, 4]) and connected_count(ids) == 6, timeout=15)
    survivor_before = set(survivor.manager.runners)
    # kill -9: no release, no goodbye; its heartbeat and leases just stop being renewed.
    dying.manager.release_all = lambda: None
    dying.close()
    died = time.monotonic()
    wait_for(lambda: runs_all(survivor, ids), timeout=15)
    assert time.monotonic() - died >= FAST["lease_seconds"] - 0.5  # not before the leases expired
    moved = next(iter(set(ids) - set(survivor_before)))
    with session_scope() as session:
        queued = outbox.queue_direct(session, owner_id=committed_owner(moved), message_type="test",
                                     phone="6281299990001", content="Setelah pindah worker")
    wait_for(lambda: load_queue(queued.id).status == "sent")
    assert [m.text for m in transports[1].messages] == ["Setelah pindah worker"] and transports[0].messages == []


def test_a_paused_worker_whose_number_was_taken_sends_nothing(committed, start_manager):
    ids = [wa.id for wa in paired(committed, 1)]
    transports = [SimulatorTransport(), SimulatorTransport()]
    paused = start_manager(transports[0], **FAST)
    wait_for(lambda: connected_count(ids) == 1 and ids[0] in paused.manager.runners)
    # The process stalls: nothing renews, nothing reconciles; only its sender loop will wake later.
    paused.manager.keeper.stop(timeout=2)
    paused.manager.reconcile = lambda: None
    other = start_manager(transports[1], **FAST)
    wait_for(lambda: runs_all(other, ids), timeout=15)
    with session_scope() as session:  # the wake reaches both workers; only the lease holder may claim
        queued = outbox.queue_direct(session, owner_id=committed_owner(ids[0]), message_type="test",
                                     phone="6281299990001", content="Sekali saja")
    wait_for(lambda: load_queue(queued.id).status == "sent")
    wait_for(lambda: paused.manager.runners[ids[0]].lost)
    assert transports[0].messages == [] and [m.text for m in transports[1].messages] == ["Sekali saja"]
    assert list(sent_per_message(ids).values()) == [1]


class SlowStop(SimulatorTransport):
    """Clients that take half a second to stop (a real disconnect), to hold a shutdown to its deadline."""

    def create(self, session_id, events):
        client = super().create(session_id, events)
        stop = client.stop

        def slow_stop():
            time.sleep(0.5)
            stop()

        client.stop = slow_stop
        return client


def test_a_stop_finishes_by_its_deadline_and_releases_every_number(committed, start_manager):
    ids = [wa.id for wa in paired(committed, 30)]
    run = start_manager(SlowStop(), stop_deadline=2.0, **FAST)
    wait_for(lambda: connected_count(ids) == 30, timeout=20)
    started = time.monotonic()
    run.close()  # 30 clients × 0.5 s would be 15 s one at a time
    assert time.monotonic() - started < 4.0
    assert holders(ids) == {None: 30}  # released at once, not left to expire
    with session_scope() as session:
        assert run.manager.worker_id not in {b.instance for b in heartbeats.alive(session, "wa")}
