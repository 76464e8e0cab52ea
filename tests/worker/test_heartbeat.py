"""The Celery worker's heartbeat: one row per worker (its main process, not each child), gone on a clean stop."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shared.config import REPO_ROOT
from shared.db import session_scope
from shared.models import ServiceHeartbeat
from worker import heartbeat

pytestmark = pytest.mark.usefixtures("engine")


def rows(service: str, instance_prefix: str = "") -> list[ServiceHeartbeat]:
    with session_scope() as session:
        return list(session.scalars(select(ServiceHeartbeat).where(
            ServiceHeartbeat.service == service, ServiceHeartbeat.instance.startswith(instance_prefix))))


def test_a_heartbeat_thread_beats_until_stopped_and_survives_a_failing_info():
    calls = []

    def info():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("info unavailable")
        return {"n": len(calls)}

    beat = heartbeat.Heartbeat("test-svc", info, interval=0.05, instance="test-host:1")
    beat.start()
    try:
        deadline = time.monotonic() + 5
        while len(calls) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(calls) >= 4  # the failing call did not end the thread
        assert rows("test-svc")[0].info["n"] >= 3
    finally:
        beat.stop()
    assert rows("test-svc") == []


def test_a_database_outage_is_logged_once_and_never_raised(monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="worker.heartbeat")
    monkeypatch.setattr(heartbeat, "_engine", None)
    monkeypatch.setattr(heartbeat, "get_settings", lambda: SimpleNamespace(
        sqlalchemy_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    writer = heartbeat.HeartbeatWriter("test-svc", "test-host:2")
    assert writer.beat({}) is False
    assert writer.beat({}) is False
    assert writer.forget() is False
    assert len([r for r in caplog.records if "heartbeat not recorded" in r.getMessage()]) == 1


def test_a_real_prefork_worker_beats_once_from_its_main_process_and_forgets_on_shutdown():
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "-Q", "test-heartbeat", "-c", "2",
         "--pool", "prefork", "--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", "test-heartbeat@%h"],
        cwd=REPO_ROOT, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    prefix = f"{socket.gethostname()}:"
    mine = f"{prefix}{proc.pid}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(r.instance == mine for r in rows("worker", prefix)):
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.2)
        found = [r for r in rows("worker", prefix) if r.instance == mine]
        assert len(found) == 1, [r.instance for r in rows("worker", prefix)]
        assert found[0].info == {"hostname": f"test-heartbeat@{socket.gethostname()}", "queues": ["test-heartbeat"],
                                 "concurrency": 2, "pid": proc.pid}
        time.sleep(0.5)  # children are up by now; none of them beats (other tests' killed workers may have rows)
        ours = [r.instance for r in rows("worker", prefix) if r.info.get("hostname") == found[0].info["hostname"]]
        assert ours == [mine]
    finally:
        proc.send_signal(signal.SIGTERM)  # warm shutdown
        output = proc.communicate(timeout=60)[0]
    assert [r for r in rows("worker", prefix) if r.instance == mine] == [], output
