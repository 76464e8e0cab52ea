"""Celery application: `celery -A worker.celery_app worker|beat`."""

from celery import Celery
from celery.schedules import crontab

from shared import tasknames
from shared.config import get_settings
from worker import heartbeat  # noqa: F401  (connects the worker heartbeat to worker_ready/worker_shutdown)

settings = get_settings()

BEAT_LOOP_SECONDS = 30

celery = Celery("fibernode", broker=settings.redis_url, include=["worker.tasks.imports", "worker.tasks.billing", "worker.tasks.exports"])
celery.conf.update(
    timezone="Asia/Jakarta",
    enable_utc=True,
    task_default_queue="default",
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_time_limit=600,
    task_soft_time_limit=540,
    broker_connection_retry_on_startup=True,
    # Jobs here finish in minutes; a redelivery after an hour only happens when a worker died.
    broker_transport_options={"visibility_timeout": 3600},
    # Beat must run as ONE instance (`make run` and docker compose start one). RedBeat keeps the schedule
    # in Redis behind a lock, so a second beat started by mistake waits instead of firing the job twice;
    # the job itself also claims each day once in the billing_runs table.
    # worker.scheduler.HeartbeatScheduler is RedBeat plus a `beat` heartbeat in PostgreSQL (GET /api/health).
    beat_scheduler="worker.scheduler:HeartbeatScheduler",
    redbeat_redis_url=settings.redis_url,
    # Beat extends its lock at each tick and then sleeps up to beat_max_loop_interval (300 s by default): the lock
    # must outlive that sleep by a wide margin, or it expires first and beat exits with LockNotOwnedError
    # (tests/worker/test_beat.py). A 30 s loop also keeps the beat heartbeat fresh.
    beat_max_loop_interval=BEAT_LOOP_SECONDS,
    redbeat_lock_timeout=5 * BEAT_LOOP_SECONDS,
    # Without timeouts a Redis that stops answering would hang beat mid-tick until its lock lapses.
    redbeat_redis_options={"socket_connect_timeout": 5, "socket_timeout": 10},
    beat_schedule={
        "daily-billing-h1": {
            "task": tasknames.DAILY_BILLING,
            "schedule": crontab(hour=6, minute=0),  # 06:00 in the app timezone, Asia/Jakarta
            # A run still queued after a day is dropped; the next run catches the day up.
            "options": {"queue": tasknames.QUEUES[tasknames.DAILY_BILLING], "expires": 20 * 3600},
        },
    },
)
