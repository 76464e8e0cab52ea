"""State read at scrape time for GET /metrics: durable jobs, Redis queue depth, WA sends per number.

Nothing is counted in process memory: a few grouped queries on indexed columns and an LLEN per Celery queue, run
only when Prometheus scrapes (every 15-60 s), so the numbers are right whichever process or worker did the work.
Labels stay bounded: job states x queues, and one series per WA session (one per mitra), capped at MAX_SESSIONS.
"""

import logging
from collections.abc import Iterator

import redis
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from shared import jobs
from shared.db import session_scope
from shared.models import Job, User, WaMessageQueue, WaSession
from shared.tasknames import QUEUES

log = logging.getLogger(__name__)

MAX_SESSIONS = 500
SENT_WINDOW = text("interval '24 hours'")
UNSENT = ("pending", "sending")


class StateCollector(Collector):
    """A Prometheus collector that reads the database and Redis each time it is collected."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with session_scope(self._factory) as session:
            yield _jobs(session)
            yield from _wa(session)
        yield from _queue_depth()


def _jobs(session: Session) -> GaugeMetricFamily:
    family = GaugeMetricFamily("fibernode_jobs", "Durable jobs in the jobs table by state and queue",
                               labels=["state", "queue"])
    counts = {(state, queue or "default"): 0 for state in jobs.STATES for queue in set(QUEUES.values())}
    for state, queue, count in session.execute(select(Job.state, Job.queue, func.count()).group_by(Job.state,
                                                                                                   Job.queue)):
        counts[(state, queue or "default")] = count
    for (state, queue), count in sorted(counts.items()):
        family.add_metric([state, queue], count)
    return family


def _wa(session: Session) -> Iterator[GaugeMetricFamily]:
    sessions = session.execute(select(WaSession.id, User.username, WaSession.status)
                               .join(User, User.id == WaSession.user_id)
                               .order_by(WaSession.created_at).limit(MAX_SESSIONS)).all()
    sent = GaugeMetricFamily("fibernode_wa_sent_24h", "WA messages sent in the last 24 hours, per number",
                             labels=["session", "mitra"])
    waiting = GaugeMetricFamily("fibernode_wa_queue", "WA messages waiting or being sent, per number",
                                labels=["session", "mitra", "status"])
    connected = GaugeMetricFamily("fibernode_wa_connected", "1 when the number's WA session is connected",
                                  labels=["session", "mitra"])
    sent_counts = dict(session.execute(
        select(WaMessageQueue.session_id, func.count()).where(
            WaMessageQueue.status == "sent", WaMessageQueue.sent_at > func.now() - SENT_WINDOW)
        .group_by(WaMessageQueue.session_id)).all())
    unsent = {(sid, status): count for sid, status, count in session.execute(
        select(WaMessageQueue.session_id, WaMessageQueue.status, func.count())
        .where(WaMessageQueue.status.in_(UNSENT)).group_by(WaMessageQueue.session_id, WaMessageQueue.status))}
    for row in sessions:
        labels = [str(row.id), row.username]
        sent.add_metric(labels, sent_counts.get(row.id, 0))
        connected.add_metric(labels, 1 if getattr(row.status, "value", row.status) == "connected" else 0)
        for status in UNSENT:
            waiting.add_metric([*labels, status], unsent.get((row.id, status), 0))
    yield from (sent, waiting, connected)


def _queue_depth() -> Iterator[GaugeMetricFamily]:
    """Messages waiting in each Celery queue (a Redis list per queue); absent while Redis is unreachable."""
    family = GaugeMetricFamily("fibernode_celery_queue_length", "Celery messages waiting in Redis, per queue",
                               labels=["queue"])
    up = GaugeMetricFamily("fibernode_redis_up", "1 when Redis answered this scrape")
    names = sorted(set(QUEUES.values()))
    try:
        with jobs._probe_client().pipeline(transaction=False) as pipe:  # 2 s timeouts: a scrape never hangs
            for name in names:
                pipe.llen(name)
            lengths = pipe.execute()
    except redis.RedisError:
        log.warning("metrics: Redis unreachable, queue depth left out")
        up.add_metric([], 0)
        yield up
        return
    for name, length in zip(names, lengths, strict=True):
        family.add_metric([name], length)
    up.add_metric([], 1)
    yield from (family, up)
