"""Async job records in Redis that the UI polls, and sending tasks by name."""

import json
import uuid
from functools import lru_cache
from typing import Any

import redis
from celery import Celery

from shared.config import get_settings
from shared.errors import NotFound, ServiceUnavailable
from shared.tasknames import QUEUES
from shared.timeutil import utcnow

JOB_TTL_SECONDS = 24 * 3600
STATES = ("queued", "running", "done", "failed")


@lru_cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url, decode_responses=True)


@lru_cache
def celery_client() -> Celery:
    """A producer-only Celery app: enough to send tasks by name."""
    settings = get_settings()
    return Celery("fibernode-client", broker=settings.redis_url)


def _key(job_id: str) -> str:
    return f"fibernode:job:{job_id}"


def create_job(job_type: str, *, user_id: uuid.UUID, meta: dict | None = None) -> str:
    job_id = str(uuid.uuid4())
    record = {"id": job_id, "type": job_type, "state": "queued", "progress": 0, "result": None, "error": None,
              "userId": str(user_id), "meta": meta or {}, "createdAt": utcnow().isoformat()}
    try:
        redis_client().set(_key(job_id), json.dumps(record), ex=JOB_TTL_SECONDS)
    except redis.RedisError as exc:
        raise ServiceUnavailable("Antrian tugas sedang tidak tersedia. Coba lagi nanti.") from exc
    return job_id


def update_job(job_id: str, **fields: Any) -> dict:
    client = redis_client()
    raw = client.get(_key(job_id))
    record = json.loads(raw) if raw else {"id": job_id}
    record.update(fields)
    record["updatedAt"] = utcnow().isoformat()
    client.set(_key(job_id), json.dumps(record), ex=JOB_TTL_SECONDS)
    return record


def get_job(job_id: str, *, user_id: uuid.UUID) -> dict:
    """A job record, visible only to the user who started it."""
    raw = redis_client().get(_key(job_id))
    record = json.loads(raw) if raw else None
    if record is None or record.get("userId") != str(user_id):
        raise NotFound("Tugas tidak ditemukan atau sudah kedaluwarsa.")
    return record


def enqueue(task_name: str, job_id: str, **kwargs: Any) -> None:
    """Send a task by name; call after the request's data is committed."""
    try:
        celery_client().send_task(task_name, kwargs={"job_id": job_id, **kwargs}, queue=QUEUES.get(task_name),
                                  task_id=job_id)
    except Exception as exc:
        update_job(job_id, state="failed", error="Antrian tugas tidak tersedia.")
        raise ServiceUnavailable("Antrian tugas sedang tidak tersedia. Coba lagi nanti.") from exc


def store_blob(key: str, data: bytes, ttl: int = 3600) -> None:
    redis.Redis.from_url(get_settings().redis_url).set(f"fibernode:blob:{key}", data, ex=ttl)


def load_blob(key: str) -> bytes | None:
    return redis.Redis.from_url(get_settings().redis_url).get(f"fibernode:blob:{key}")
