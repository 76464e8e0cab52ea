"""Durable async jobs: a PostgreSQL row per accepted job is the truth the UI polls; Redis only carries the message.

Life of a job (docs in README, "Durable jobs"):
- `submit` writes the row (and an upload's bytes) in the caller's transaction; the Celery message is sent only
  after that transaction commits, so a worker never sees a job its request rolled back.
- A worker `claim`s the row (queued → running, only if still queued: a duplicate delivery does nothing), renews
  a lease while it works (`renew`, from a heartbeat thread and from progress), and `finish`es or `fail`s it.
- `sweep` (beat, every ~30 s, and once when a worker starts) re-sends queued jobs whose message Redis may have
  forgotten, and re-runs (or fails, with a reason) running jobs whose worker died and let the lease expire.
"""

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import redis
from celery import Celery
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from shared.config import get_settings
from shared.errors import NotFound, ServiceUnavailable
from shared.logs import current_request_id
from shared.models import Job, JobBlob
from shared.tasknames import QUEUES

log = logging.getLogger(__name__)

STATES = ("queued", "running", "done", "failed")
FINISHED = ("done", "failed")
MAX_ATTEMPTS = 3
# A job whose message Redis still holds is re-sent only this late (a worker took it, then died before claiming).
RESEND_ANYWAY_AFTER = timedelta(minutes=10)
SENT_MARK_TTL_SECONDS = 24 * 3600
# Key in a job's meta (never shown by GET /api/jobs/<id>) holding the id of the request that enqueued it.
REQUEST_ID_META = "request_id"

QUEUE_UNAVAILABLE = "Antrian tugas sedang tidak tersedia. Coba lagi beberapa saat lagi."
NOT_FOUND = "Tugas tidak ditemukan atau sudah kedaluwarsa."
RERUN_NOTICE = "Tugas diulang karena worker berhenti."
WORKER_DIED = "Tugas gagal karena worker berhenti saat mengerjakannya ({attempts} kali dicoba). Silakan ulangi."
WORKER_DIED_ONCE_ONLY = "Tugas gagal karena worker berhenti saat mengerjakannya. Tugas ini tidak diulang otomatis."


@lru_cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url, decode_responses=True)


@lru_cache
def _probe_client() -> redis.Redis:
    # Short timeouts: a request asking "is the queue there?" must answer quickly when it is not.
    return redis.Redis.from_url(get_settings().redis_url, socket_connect_timeout=2, socket_timeout=2)


@lru_cache
def celery_client() -> Celery:
    """A producer-only Celery app: enough to send tasks by name."""
    return Celery("fibernode-client", broker=get_settings().redis_url)


def _now():
    # The database's clock, read when the statement runs: leases and sends compare times from many machines.
    return func.clock_timestamp()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# ---------------------------------------------------------------------------------------------
# Accepting a job (API side)


def check_queue() -> None:
    """Refuse new jobs with a 503 while Redis (the carrier of the messages) is unreachable."""
    try:
        _probe_client().ping()
    except redis.RedisError as exc:
        raise ServiceUnavailable(QUEUE_UNAVAILABLE, code="queue_unavailable") from exc


def submit(session: Session, task: str, *, job_type: str, user_id: uuid.UUID, meta: dict | None = None,
           blob: bytes | None = None, rerunnable: bool = True, **kwargs: Any) -> str:
    """Accept a job in the session's transaction and send its task once that transaction commits; return its id.

    The task is called with `job_id`, `user_id` (as a string) and `kwargs` (JSON values). A `rerunnable` job is run again when its
    worker dies mid-run (up to MAX_ATTEMPTS); one that is not is failed instead.
    """
    check_queue()
    kwargs = {"user_id": str(user_id), **kwargs}
    meta = dict(meta or {})
    if (request_id := current_request_id()) is not None:
        meta[REQUEST_ID_META] = request_id  # the worker's lines for this job carry the request's id (run_job)
    job = Job(id=uuid.uuid4(), type=job_type, task=task, kwargs=kwargs, queue=QUEUES.get(task), user_id=user_id,
              meta=meta, max_attempts=MAX_ATTEMPTS if rerunnable else 1, send_count=1, sent_at=_now())
    session.add(job)
    if blob is not None:
        session.add(JobBlob(job_id=job.id, data=blob))
    session.flush()
    send_after_commit(session, [Message(job.id, task, kwargs, job.queue)])
    return str(job.id)


@dataclass
class Message:
    """What a job's Celery message carries."""

    job_id: uuid.UUID
    task: str
    kwargs: dict
    queue: str | None


def send_after_commit(session: Session, messages: list["Message"]) -> None:
    """Send these jobs' messages once `session` commits; forget them if it rolls back."""
    pending = session.info.get("jobs_to_send")
    if pending is None:
        pending = session.info["jobs_to_send"] = []
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_soft_rollback", _forget_pending)
    pending.extend(messages)


def _send_pending(session: Session) -> None:
    messages, session.info["jobs_to_send"] = session.info.get("jobs_to_send", []), []
    for message in messages:
        send(message)


def _forget_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info["jobs_to_send"] = []


def send(message: Message) -> bool:
    """Send one job's message; a failure is only logged, since the sweeper sends it again."""
    job_id = message.job_id
    try:
        celery_client().send_task(message.task, kwargs={"job_id": str(job_id), **message.kwargs}, queue=message.queue,
                                  task_id=str(job_id),
                                  retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                                "interval_max": 0.5})
        # Beside the message, in the same Redis: when Redis forgets the message it forgets this mark too.
        redis_client().set(_sent_key(job_id), "1", ex=SENT_MARK_TTL_SECONDS)
        return True
    except Exception:
        log.warning("job %s not sent to the queue; the sweeper sends it again", job_id, exc_info=True)
        return False


def _sent_key(job_id: uuid.UUID | str) -> str:
    return f"fibernode:job-sent:{job_id}"


# ---------------------------------------------------------------------------------------------
# Reading a job (API side)


def get_job(session: Session, job_id: str, *, user_id: uuid.UUID) -> dict:
    """A job's public record, visible only to the user who started it."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    job = session.get(Job, key)
    if job is None or job.user_id != user_id:
        raise NotFound(NOT_FOUND)
    return {"id": str(job.id), "type": job.type, "state": job.state, "progress": job.progress, "result": job.result,
            "error": job.error, "notice": job.notice, "attempts": job.attempts,
            "meta": {key: value for key, value in job.meta.items() if key != REQUEST_ID_META}}


# ---------------------------------------------------------------------------------------------
# Running a job (worker side); each call is its own short transaction, committed by the caller


@dataclass
class Claim:
    """A job this worker holds: `attempt` tells this run from a later re-run of the same job."""

    job_id: uuid.UUID
    attempt: int
    request_id: str | None = None  # of the request that enqueued it, for the worker's log lines


def claim(session: Session, job_id: str, *, progress: int = 1, worker: str | None = None) -> Claim | None:
    """Take a queued job (queued → running, with a fresh lease); None when it is not queued any more.

    The conditional UPDATE is what makes a duplicate delivery harmless: Celery redelivering an acks_late message,
    or the sweeper re-sending a message Redis had in fact kept, finds the job running or finished and skips it.
    """
    lease = timedelta(seconds=get_settings().job_lease_seconds)
    row = session.execute(
        update(Job).where(Job.id == uuid.UUID(job_id), Job.state == "queued")
        .values(state="running", attempts=Job.attempts + 1, progress=progress, worker=worker or worker_name(),
                started_at=_now(), heartbeat_at=_now(), lease_expires_at=_now() + lease)
        .returning(Job.attempts, Job.meta[REQUEST_ID_META].astext)).first()
    if row is None:
        return None
    forget_sent_mark(job_id)
    return Claim(uuid.UUID(job_id), row[0], row[1])


def forget_sent_mark(job_id: str) -> None:
    """Tell the sweeper that Redis no longer holds this job's message (it was taken, or could not be run)."""
    try:
        redis_client().delete(_sent_key(job_id))
    except redis.RedisError:
        pass  # it expires by itself


def renew(session: Session, held: Claim, *, progress: int | None = None) -> bool:
    """Extend the lease of a job still held by this run (and record progress); False when it was taken away."""
    values: dict[str, Any] = {"heartbeat_at": _now(),
                              "lease_expires_at": _now() + timedelta(seconds=get_settings().job_lease_seconds)}
    if progress is not None:
        values["progress"] = progress
    return _held_update(session, held, values)


def finish(session: Session, held: Claim, *, result: dict | None) -> bool:
    """Mark a held job done with its result and drop its upload; False when it was no longer this run's."""
    done = _held_update(session, held, {"state": "done", "progress": 100, "result": result, "error": None,
                                        "finished_at": _now(), "lease_expires_at": None})
    if done:
        session.execute(delete(JobBlob).where(JobBlob.job_id == held.job_id))
    return done


def fail(session: Session, held: Claim, *, error: str) -> bool:
    """Mark a held job failed with a message for the user and drop its upload."""
    failed = _held_update(session, held, {"state": "failed", "error": error, "finished_at": _now(),
                                          "lease_expires_at": None})
    if failed:
        session.execute(delete(JobBlob).where(JobBlob.job_id == held.job_id))
    return failed


def _held_update(session: Session, held: Claim, values: dict) -> bool:
    # Only the run that claimed the job may change it: after a lease expiry the sweeper may have handed it on.
    row = session.execute(update(Job).where(Job.id == held.job_id, Job.state == "running",
                                            Job.attempts == held.attempt).values(**values).returning(Job.id)).first()
    return row is not None


def load_blob(session: Session, job_id: str) -> bytes | None:
    """The upload a job works on, or None when it is gone."""
    return session.scalar(select(JobBlob.data).where(JobBlob.job_id == uuid.UUID(job_id)))


# ---------------------------------------------------------------------------------------------
# Repairing jobs (the sweeper) and retention


def sweep(session: Session, *, resend_after: float | None = None) -> dict:
    """Re-run or fail jobs whose lease expired, re-send queued jobs Redis forgot; the sends go after commit.

    Returns `{rerun, failed, resent}` counts.
    """
    settings = get_settings()
    resend_after = settings.job_resend_after_seconds if resend_after is None else resend_after
    # SKIP LOCKED: a second sweeper at the same moment (beat's and a starting worker's) takes other rows.
    expired = session.scalars(select(Job).where(Job.state == "running", Job.lease_expires_at < _now())
                              .with_for_update(skip_locked=True)).all()
    messages, failed = [], []
    for job in expired:
        job.worker, job.lease_expires_at = None, None
        if job.attempts < job.max_attempts:
            log.warning("job %s: its worker stopped mid-run (lease expired); queued again", job.id)
            job.state, job.progress, job.notice = "queued", 0, RERUN_NOTICE
            job.sent_at, job.send_count = _now(), job.send_count + 1
            messages.append(Message(job.id, job.task, job.kwargs, job.queue))
        else:
            log.warning("job %s: its worker stopped mid-run (lease expired); failed", job.id)
            job.state, job.finished_at, job.notice = "failed", _now(), None
            job.error = WORKER_DIED.format(attempts=job.attempts) if job.max_attempts > 1 else WORKER_DIED_ONCE_ONLY
            failed.append(job.id)
    if failed:
        session.execute(delete(JobBlob).where(JobBlob.job_id.in_(failed)))
    resent = _forgotten(session, resend_after)
    if resent:
        log.warning("re-sending %d queued job(s) whose message Redis no longer holds", len(resent))
        for job in resent:
            job.sent_at, job.send_count = _now(), job.send_count + 1
            messages.append(Message(job.id, job.task, job.kwargs, job.queue))
    session.flush()
    send_after_commit(session, messages)
    return {"rerun": len(messages) - len(resent), "failed": len(failed), "resent": len(resent)}


def _forgotten(session: Session, resend_after: float) -> list[Job]:
    """Queued jobs sent more than `resend_after` seconds ago whose message Redis lost (or that waited very long)."""
    jobs = session.scalars(
        select(Job).where(Job.state == "queued", Job.sent_at < _now() - timedelta(seconds=resend_after))
        .order_by(Job.sent_at).limit(1000).with_for_update(skip_locked=True)).all()
    if not jobs:
        return []
    try:
        with redis_client().pipeline(transaction=False) as pipe:
            for job in jobs:
                pipe.exists(_sent_key(job.id))
            marks = pipe.execute()
    except redis.RedisError:
        log.warning("Redis unreachable: queued jobs are re-sent once it is back")
        return []
    overdue = session.scalar(select(_now() - RESEND_ANYWAY_AFTER))
    return [job for job, marked in zip(jobs, marks, strict=True) if not marked or job.sent_at < overdue]


def purge_finished(session: Session, *, older_than: timedelta) -> int:
    """Delete done and failed jobs (their uploads with them) finished more than `older_than` ago; return how many."""
    cutoff = _now() - older_than
    finished = select(Job.id).where(Job.state.in_(FINISHED), Job.finished_at < cutoff)
    session.execute(delete(JobBlob).where(JobBlob.job_id.in_(finished)))
    return session.execute(delete(Job).where(Job.state.in_(FINISHED), Job.finished_at < cutoff)).rowcount or 0
