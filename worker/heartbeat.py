"""Heartbeats of the Celery worker and beat (`service_heartbeats`, see shared/heartbeats.py) for health checks.

The worker's main process beats every 15 s from a thread started on `worker_ready` (after the prefork children
exist) and forgets its row on `worker_shutdown`; beat records its ticks in worker/scheduler.py. Writing a
heartbeat never raises: a database hiccup is logged and the process carries on.
"""

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from celery import signals
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from shared import heartbeats
from shared.config import get_settings

log = logging.getLogger(__name__)

_engine_lock = threading.Lock()
_engine: Engine | None = None


def _heartbeat_engine() -> Engine:
    # Its own engine without a pool: the prefork parent forks replacement children at any time, and a child that
    # inherited an open connection of the parent's would close it under the parent on exit.
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = create_engine(get_settings().sqlalchemy_url, poolclass=NullPool,
                                    connect_args={"options": "-c timezone=UTC", "connect_timeout": 5})
        return _engine


class HeartbeatWriter:
    """Writes one service's heartbeats and logs only when the database starts and stops refusing them."""

    def __init__(self, service: str, instance: str | None = None) -> None:
        self.service = service
        self.instance = instance
        self._failing = False

    def beat(self, info: dict[str, Any]) -> bool:
        """Record a beat; False (logged once per outage) when the database cannot take it."""
        return self._run(lambda session: heartbeats.beat(session, self.service, instance=self.instance, info=info))

    def forget(self) -> bool:
        """Remove this instance's row (a clean stop)."""
        return self._run(lambda session: heartbeats.forget(session, self.service, instance=self.instance))

    def _run(self, write: Callable[[Session], None]) -> bool:
        try:
            with Session(_heartbeat_engine()) as session, session.begin():
                write(session)
        except Exception:  # a heartbeat must never take its process down
            if not self._failing:
                log.warning("%s heartbeat not recorded (database unreachable?); retrying", self.service,
                            exc_info=True)
            self._failing = True
            return False
        if self._failing:
            log.info("%s heartbeat recorded again", self.service)
        self._failing = False
        return True


class Heartbeat:
    """A daemon thread that records `service` every `interval` seconds until `stop()`."""

    def __init__(self, service: str, info: Callable[[], dict[str, Any]], *, interval: float = heartbeats.BEAT_SECONDS,
                 instance: str | None = None) -> None:
        self._writer = HeartbeatWriter(service, instance)
        self._info = info
        self.interval = interval
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"{self._writer.service}-heartbeat", daemon=True)
            self._thread.start()

    def stop(self, *, forget: bool = True, timeout: float = 5.0) -> None:
        """Stop beating and, by default, remove the row so health does not wait for it to go stale."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if forget:
            self._writer.forget()

    def _run(self) -> None:
        while True:
            try:
                info = self._info()
            except Exception:  # report what can be said rather than nothing
                log.debug("heartbeat info failed", exc_info=True)
                info = {}
            self._writer.beat(info)
            if self._stopped.wait(self.interval):
                return


_worker_heartbeat: Heartbeat | None = None


def _worker_info(consumer) -> dict[str, Any]:
    task_consumer = getattr(consumer, "task_consumer", None)
    queues = sorted(queue.name for queue in task_consumer.queues) if task_consumer else sorted(
        consumer.app.amqp.queues.consume_from or {})
    controller = getattr(consumer, "controller", None)
    return {"hostname": consumer.hostname, "queues": queues,
            "concurrency": getattr(controller, "concurrency", None), "pid": os.getpid()}


@signals.worker_ready.connect
def start_worker_heartbeat(sender=None, **_kwargs) -> None:
    """Beat as `worker` from the worker's main process (worker_ready is not sent in prefork children)."""
    global _worker_heartbeat
    if _worker_heartbeat is None:
        _worker_heartbeat = Heartbeat("worker", lambda: _worker_info(sender))
        _worker_heartbeat.start()


@signals.worker_shutdown.connect
def stop_worker_heartbeat(**_kwargs) -> None:
    """Forget this worker's heartbeat on a clean stop."""
    global _worker_heartbeat
    if _worker_heartbeat is not None:
        _worker_heartbeat.stop()
        _worker_heartbeat = None
