"""Celery application: `celery -A worker.celery_app worker|beat`."""

from celery import Celery

from shared.config import get_settings

settings = get_settings()

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
    beat_schedule={},
)
