"""The WA worker's leases: renew them all in one statement, say the worker is alive, and size its fair share.

A lease is the session's own row (`wa_sessions.worker_id` + `heartbeat_at`), so owning a number costs no
connection: the whole worker renews every lease it holds with one UPDATE per beat, on one pooled connection for
a moment. The same beat writes the worker's service heartbeat ("wa", instance = worker id), which is how other
workers count who is alive and how /api/wa/status knows a worker runs. See docs/whatsapp-engine.md, Ownership.
"""

import logging
import math
import threading
import time
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from shared import heartbeats
from shared.db import session_scope
from shared.wa import leases, outbox

if TYPE_CHECKING:
    from worker.wa.manager import WaManager

log = logging.getLogger(__name__)

SERVICE = "wa"


def fair_share(wished: int, workers: int) -> int:
    """How many numbers one of `workers` alive workers should run."""
    return math.ceil(wished / max(1, workers))


def alive_workers(session: Session, worker_id: str, *, max_age: float) -> int:
    """The WA workers that beat within `max_age` seconds, counting this one whether or not it has beaten yet."""
    names = {beat.instance for beat in heartbeats.alive(session, SERVICE, max_age=max_age)}
    return len(names | {worker_id})


class LeaseKeeper:
    """A thread: renew the worker's leases and heartbeat every beat; each tick, wake loops with direct rows waiting.

    It runs beside the reconcile loop, so a long series of client starts never lets the first leases lapse.
    """

    def __init__(self, manager: "WaManager"):
        self.manager = manager
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wa-lease", daemon=True)

    def start(self) -> None:
        self._safely(self.renew)  # the heartbeat first, so workers started together see each other
        self._thread.start()

    def stop(self, timeout: float) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def _run(self) -> None:
        manager = self.manager
        tick = min(1.0, manager.heartbeat_interval)
        next_beat = time.monotonic() + manager.heartbeat_interval
        while not self._stop.wait(tick):
            if time.monotonic() >= next_beat:
                next_beat = time.monotonic() + manager.heartbeat_interval
                self._safely(self.renew)
            self._safely(self.wake_due)
            self._safely(self.drop_lapsed)

    @staticmethod
    def _safely(step) -> None:
        try:
            step()
        except SQLAlchemyError:
            log.warning("WA worker: database error while keeping leases; retrying", exc_info=True)
        except Exception:  # the keeper must outlive any one bad round, or every lease would lapse
            log.exception("WA worker: lease keeper step failed; retrying")

    def renew(self) -> None:
        """One UPDATE renews every lease, one upsert beats; a number missing from the answer was taken over."""
        manager = self.manager
        held = list(manager.runners.items())
        started = time.monotonic()
        with session_scope(manager.session_factory) as session:
            kept = leases.renew_leases(session, manager.lease, [sid for sid, runner in held if not runner.lost])
            heartbeats.beat(session, SERVICE, instance=manager.worker_id,
                            info={"owned": len(kept), "workerId": manager.worker_id})
        for session_id, runner in held:
            if session_id in kept:
                runner.leased_at = max(runner.leased_at, started)
            elif manager.runners.get(session_id) is runner:  # not stopped meanwhile
                manager.lose(runner, "its lease was taken over by another worker")

    def wake_due(self) -> None:
        """Wake the loops of the numbers that have a direct row waiting (covers a lost `wake` command)."""
        runners = {sid: r for sid, r in list(self.manager.runners.items())
                   if r.client is not None and not r.stop.is_set()}
        if not runners:
            return
        with session_scope(self.manager.session_factory) as session:
            due = outbox.sessions_with_direct_rows(session, list(runners))
        for session_id in due:
            runners[session_id].wake.set()

    def drop_lapsed(self) -> None:
        """Stop the numbers whose lease may have expired unrenewed (database unreachable, process paused).

        A margin of one beat before the expiry: another worker claims only once it has expired.
        """
        manager = self.manager
        limit = manager.lease.seconds - manager.heartbeat_interval
        for runner in list(manager.runners.values()):
            if not runner.lost and time.monotonic() - runner.leased_at > limit:
                manager.lose(runner, f"its lease was not renewed for {limit:.0f} s")
