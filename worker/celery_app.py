"""Celery application: `celery -A worker.celery_app worker|beat`."""

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging, task_postrun, task_prerun

from shared import tasknames
from shared.config import get_settings
from worker import heartbeat  # noqa: F401  (connects the worker heartbeat to worker_ready/worker_shutdown)

settings = get_settings()


@setup_logging.connect
def _logging(**_kwargs) -> None:
    # Connected, this replaces Celery's own logging setup: worker and beat log like the API (JSON in production),
    # at LOG_LEVEL (the --loglevel option is ignored), task lines carrying job_id and request_id (shared/logs.py).
    # A host that set up logging already (pytest, around an in-process test worker) keeps its handlers.
    import logging

    from shared.logs import configure_from_settings

    configure_from_settings(settings, install_handler=not logging.getLogger().handlers)


@task_prerun.connect
def _bind_task(task_id=None, task=None, **_kwargs) -> None:
    # Every line a task logs names it; durable jobs add job_id and request_id on top (worker/tasks/jobs.py).
    import structlog

    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))


@task_postrun.connect
def _unbind_task(**_kwargs) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()


BEAT_LOOP_SECONDS = 30

TASK_MODULES = ["worker.tasks.imports", "worker.tasks.billing", "worker.tasks.exports", "worker.tasks.maintenance",
                "worker.tasks.jobs"]
celery = Celery("fibernode", broker=settings.redis_url, include=TASK_MODULES)
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
        "daily-retention": {
            "task": tasknames.RETENTION,
            "schedule": crontab(hour=3, minute=0),  # 03:00 WIB: the quietest hour, well before the 06:00 run
            # A missed run is simply skipped: the next night deletes what this one would have.
            "options": {"queue": tasknames.QUEUES[tasknames.RETENTION], "expires": 20 * 3600},
        },
        # Durable jobs: re-send what Redis forgot, re-run or fail jobs whose worker died (shared/jobs.py).
        # A sweep not picked up before the next one is due is dropped, so a stopped worker finds one, not a pile.
        "sweep-jobs": {
            "task": tasknames.SWEEP_JOBS,
            "schedule": settings.job_sweep_seconds,
            "options": {"queue": tasknames.QUEUES[tasknames.SWEEP_JOBS], "expires": settings.job_sweep_seconds},
        },
        # Customers added after 06:00 whose due date is within a day get their invoice and reminder too.
        "billing-sweep-h1": {
            "task": tasknames.SWEEP_BILLING,
            "schedule": settings.billing_sweep_minutes * 60,
            "options": {"queue": tasknames.QUEUES[tasknames.SWEEP_BILLING],
                        "expires": settings.billing_sweep_minutes * 60},
        },
    },
)
