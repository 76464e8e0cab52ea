"""Running a durable job on a worker (claim, lease heartbeat, throttled progress, outcome) and the job sweeper."""

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from celery.signals import worker_ready

from shared import jobs, tasknames
from shared.config import get_settings
from shared.db import session_scope
from shared.errors import DomainError
from shared.logs import bound
from shared.tasknames import QUEUES
from worker.celery_app import celery

log = logging.getLogger(__name__)

# Progress is written to PostgreSQL at most this often; the UI polls about once a second.
PROGRESS_EVERY_SECONDS = 2.0


class LeaseLost(Exception):
    """The job was handed to another run (its lease expired): this run's work must not count."""


class JobRun:
    """One run of a claimed job: reports progress (throttled) and keeps the lease alive meanwhile."""

    def __init__(self, held: jobs.Claim, scope: Callable) -> None:
        self.held = held
        self._scope = scope
        self._last_write = time.monotonic()

    def progress(self, percent: int) -> None:
        """Record progress (and renew the lease), at most every PROGRESS_EVERY_SECONDS."""
        now = time.monotonic()
        if now - self._last_write < PROGRESS_EVERY_SECONDS:
            return
        self._last_write = now
        with self._scope() as session:
            jobs.renew(session, self.held, progress=percent)


class Heartbeat(threading.Thread):
    """Renew a running job's lease every few seconds, so a long silent step does not look like a dead worker."""

    def __init__(self, held: jobs.Claim) -> None:
        super().__init__(name=f"job-heartbeat-{held.job_id}", daemon=True)
        self.held = held
        self._stopping = threading.Event()
        self._context = contextvars.copy_context()  # its log lines carry the job's job_id and request_id too

    def run(self) -> None:
        self._context.run(self._beat)

    def _beat(self) -> None:
        interval = get_settings().job_heartbeat_seconds
        while not self._stopping.wait(interval):
            try:
                # Its own connection from the app's pool: the work's transaction is busy on the task's thread.
                with session_scope() as session:
                    if not jobs.renew(session, self.held):
                        log.warning("job %s: lease lost while running (another run has it)", self.held.job_id)
                        return
            except Exception:
                log.warning("job %s: lease not renewed this time", self.held.job_id, exc_info=True)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)


def run_job(job_id: str, work: Callable[[Any, JobRun], dict], *, scope: Callable, start_progress: int = 1,
            describe: Callable[[Exception], str] = lambda exc: getattr(exc, "message", str(exc)),
            crash_message: str | None = None) -> None:
    """Claim a job, run `work(session, run)` in one transaction that also marks it done, record a failure.

    A duplicate delivery (the job is not queued) does nothing. A domain error fails the job with its message; any
    other error fails it with `crash_message` (or `describe(exc)`) and is re-raised for the worker's log.
    Every line logged meanwhile carries `job_id` and, once claimed, the enqueuing request's `request_id`.
    """
    with bound(job_id=job_id):
        _run_job(job_id, work, scope=scope, start_progress=start_progress, describe=describe,
                 crash_message=crash_message)


def _run_job(job_id: str, work: Callable[[Any, JobRun], dict], *, scope: Callable, start_progress: int,
             describe: Callable[[Exception], str], crash_message: str | None) -> None:
    try:
        with scope() as session:
            held = jobs.claim(session, job_id, progress=start_progress)
    except Exception:
        # PostgreSQL unreachable: this message is spent, so let the sweeper re-send it soon rather than late.
        jobs.forget_sent_mark(job_id)
        raise
    if held is None:
        log.info("job %s is not queued any more (a duplicate delivery); skipped", job_id)
        return
    with bound(request_id=held.request_id):
        _run_claimed(job_id, held, work, scope=scope, describe=describe, crash_message=crash_message)


def _run_claimed(job_id: str, held: jobs.Claim, work: Callable[[Any, JobRun], dict], *, scope: Callable,
                 describe: Callable[[Exception], str], crash_message: str | None) -> None:
    log.info("job %s started (attempt %s)", job_id, held.attempt)
    heartbeat = Heartbeat(held)
    heartbeat.start()
    try:
        with scope() as session:
            result = work(session, JobRun(held, scope))
            # Done in the work's own transaction: the work and its outcome commit together or not at all.
            if not jobs.finish(session, held, result=result):
                raise LeaseLost(job_id)
    except LeaseLost:
        log.warning("job %s: finished after its lease was handed on; this run's work was rolled back", job_id)
    except DomainError as exc:
        log.info("job %s failed: %s", job_id, exc.code)
        _fail(scope, held, describe(exc))
    except Exception as exc:
        _fail(scope, held, crash_message or describe(exc))
        raise
    else:
        log.info("job %s done", job_id)
    finally:
        heartbeat.stop()


def _fail(scope: Callable, held: jobs.Claim, error: str) -> None:
    with scope() as session:
        jobs.fail(session, held, error=error)


@celery.task(name=tasknames.SWEEP_JOBS, time_limit=120, soft_time_limit=100)
def sweep_jobs() -> dict:
    """Re-send queued jobs Redis forgot; re-run or fail running jobs whose worker died."""
    with session_scope() as session:
        result = jobs.sweep(session)
    if any(result.values()):
        log.info("job sweep: %(rerun)s re-run, %(failed)s failed, %(resent)s re-sent", result)
    return result


@worker_ready.connect
def _sweep_on_start(sender, **kwargs) -> None:
    # A worker coming back after an outage picks up what Redis forgot meanwhile without waiting for beat.
    consumed = {queue.name for queue in getattr(sender.task_consumer, "queues", [])}
    if QUEUES[tasknames.SWEEP_JOBS] in consumed:
        celery.send_task(tasknames.SWEEP_JOBS, queue=QUEUES[tasknames.SWEEP_JOBS])
