"""Beat's scheduler: RedBeat that reports its ticks as the `beat` heartbeat and rides out a Redis outage.

Configured as `beat_scheduler` in worker/celery_app.py.
"""

import logging
import os
import socket
import time
from types import SimpleNamespace

import redis
from redbeat.schedulers import RedBeatScheduler, acquire_distributed_beat_lock

from shared.timeutil import utcnow
from worker.heartbeat import HeartbeatWriter

log = logging.getLogger(__name__)


def lock_outlives_sleep(max_interval: float, lock_timeout: float) -> bool:
    """Whether beat's lock survives its longest sleep between ticks with room to spare (a slow tick, a GC pause).

    Beat extends the lock at the start of each tick and then sleeps up to `max_interval`; a lock that expires
    before the next tick is lost (LockNotOwnedError) and beat exits. Twice the sleep is the least margin allowed.
    """
    return max_interval > 0 and lock_timeout >= 2 * max_interval


class HeartbeatScheduler(RedBeatScheduler):
    """RedBeat whose ticks are recorded as the `beat` heartbeat (at most one write per `heartbeat_every` s)."""

    heartbeat_every = 10.0
    # While Redis is down beat keeps ticking at this pace, so it schedules again soon after Redis returns.
    redis_retry_seconds = 5.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._heartbeat = HeartbeatWriter("beat")
        self._recorded_at = float("-inf")
        self._redis_ok = True

    def tick(self, *args, **kwargs) -> float:
        try:
            interval = self._tick_holding_lock(*args, **kwargs)
            redis_ok = True
        except (redis.ConnectionError, redis.TimeoutError):
            if self._redis_ok:
                log.warning("beat: Redis unreachable; nothing is scheduled until it returns", exc_info=True)
            interval = min(self.redis_retry_seconds, self.max_interval)
            redis_ok = False
        if redis_ok and not self._redis_ok:
            log.info("beat: Redis reachable again, scheduling")
        self._record(interval, redis_ok)
        return interval

    def _tick_holding_lock(self, *args, **kwargs) -> float:
        if self.lock_key and self.lock is None:
            # The lock could not be taken at start (Redis went away right then): take it now, waiting like a
            # second beat does while another instance holds it.
            acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=self))
        try:
            return super().tick(*args, **kwargs)
        except redis.exceptions.LockNotOwnedError:
            # The lock lapsed: Redis lost it (restarted without the key) or was down longer than the lock timeout.
            # Take it back if it is free; if another beat holds it now, that one schedules and this one exits.
            if not self.lock.acquire(blocking=False):
                raise
            log.warning("beat: lock had lapsed and was taken back; reinstalling the schedule")
            self.setup_schedule()  # a Redis that lost the lock lost the schedule entries with it
            return super().tick(*args, **kwargs)

    def _record(self, interval: float, redis_ok: bool) -> None:
        now = time.monotonic()
        if now - self._recorded_at < self.heartbeat_every and redis_ok == self._redis_ok:
            return
        self._recorded_at = now
        self._redis_ok = redis_ok
        self._heartbeat.beat({
            "lastTickAt": utcnow().isoformat(), "nextRunIn": round(float(interval), 1),
            "maxInterval": self.max_interval, "lockTimeout": self.lock_timeout, "redisOk": redis_ok,
            "hostname": socket.gethostname(), "pid": os.getpid(),
        })

    def close(self) -> None:
        try:
            super().close()
        except redis.RedisError:
            log.warning("beat: lock not released (Redis unreachable); it expires on its own", exc_info=True)
            self.lock = None
        self._heartbeat.forget()
