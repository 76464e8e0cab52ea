"""The WA worker's session manager: keeps one transport client and one sender loop per number it holds.

`wa_sessions.enabled` is the wish; `reconcile()` makes the running clients match it, every few seconds and at
once on a bus command. A number is held through a lease in its own row (worker/wa/ownership.py), so a worker can
hold hundreds with a few pooled connections; workers share the wished numbers evenly (counted from the "wa"
service heartbeats) and take over the ones whose lease expired. Clients are started and stopped one at a time
(neonize crashes when many start at the same instant). Transport events are written to `wa_sessions` in short
fenced transactions and pushed to the owner's Socket.IO room. See docs/whatsapp-engine.md.
"""

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from shared import heartbeats
from shared.db import get_sessionmaker, session_scope
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.timeutil import utcnow
from shared.wa import bus, events, leases, outbox
from shared.wa.transport import Transport, WaError
from worker.wa import ownership
from worker.wa.runner import LOGGED_OUT_REASON, Runner, SessionEvents

log = logging.getLogger(__name__)

SenderFactory = Callable[..., Any]


def default_sender_factory(session_id: uuid.UUID, owner_id: uuid.UUID, client: Any, *,
                           session_factory: sessionmaker[Session], transport_status: str,
                           lease: leases.Lease) -> Any:
    from shared.wa import testclock
    from shared.wa.sender import SenderLoop

    # The real clock; under APP_ENV=test/e2e the number's simulated one (shared/wa/testclock.py).
    return SenderLoop(session_id, owner_id, client, session_factory=session_factory,
                      transport_status=transport_status, lease=lease, clock=testclock.clock_for(session_id))


class WaManager:
    def __init__(self, transport: Transport, *, session_factory: sessionmaker[Session] | None = None,
                 poll_interval: float = 3.0, heartbeat_interval: float = 10.0,
                 lease_seconds: float = leases.LEASE_SECONDS, start_wait: float = 5.0, retry_after: float = 30.0,
                 worker_id: str | None = None, sender_factory: SenderFactory | None = default_sender_factory,
                 share_slack: int = 2, release_batch: int = 10, settle: float = 2.0, stop_deadline: float = 8.0,
                 idle_recheck: float = 10.0):
        if lease_seconds < 2 * heartbeat_interval:
            raise ValueError("the lease must last at least two heartbeats")
        self.transport = transport
        self.session_factory = session_factory or get_sessionmaker()
        self.poll_interval = poll_interval
        self.heartbeat_interval = heartbeat_interval
        self.start_wait = start_wait
        self.retry_after = retry_after
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = leases.Lease(self.worker_id, lease_seconds)
        self.sender_factory = sender_factory
        self.share_slack = share_slack
        self.release_batch = release_batch
        self.settle = settle
        self.stop_deadline = stop_deadline
        self.idle_recheck = idle_recheck
        self.runners: dict[uuid.UUID, Runner] = {}
        self._not_before: dict[uuid.UUID, datetime] = {}
        self._reconcile_now = threading.Event()
        self._lifecycle = threading.Lock()  # one client start/stop at a time (neonize hazard)
        self.keeper = ownership.LeaseKeeper(self)
        self.stopping = threading.Event()

    # -- the process --
    def run(self, stop_event: threading.Event) -> None:
        """Prepare the transport, then reconcile until `stop_event`; stop every session before returning."""
        self.stopping = stop_event  # every wait below ends as soon as a stop is asked for
        self.transport.prepare()
        subscription = bus.subscribe()
        listener = threading.Thread(target=self._listen, args=(subscription, stop_event), name="wa-bus",
                                    daemon=True)
        listener.start()
        log.info("WA worker %s started (transport %s)", self.worker_id, self.transport.name)
        try:
            self.keeper.start()
            # Workers started together should see each other's heartbeats before sharing the numbers out.
            stop_event.wait(self.settle)
            while not stop_event.is_set():
                self._safely(self.reconcile)
                self._pause(stop_event)
        finally:
            started = time.monotonic()
            self.shutdown()
            listener.join(timeout=1)  # it sees the stop within its 0.5 s read; then the channel can close
            subscription.close()
            log.info("WA worker %s stopped in %.1f s", self.worker_id, time.monotonic() - started)

    def _pause(self, stop_event: threading.Event) -> None:
        """Wait up to poll_interval for a reconcile request, returning at once when a stop is asked for."""
        deadline = time.monotonic() + self.poll_interval
        while not stop_event.is_set() and time.monotonic() < deadline:
            if self._reconcile_now.wait(min(0.2, self.poll_interval)):
                break
        self._reconcile_now.clear()

    def _safely(self, step: Callable[[], None]) -> None:
        try:
            step()
        except SQLAlchemyError:
            log.exception("WA worker: database error; retrying at the next round")

    def request_reconcile(self) -> None:
        self._reconcile_now.set()

    def _listen(self, subscription: bus.Subscription, stop_event: threading.Event) -> None:
        while not stop_event.is_set():
            try:
                command = subscription.get(timeout=0.5)
            except Exception:  # Redis went away: commands only hurry us, reconcile still runs
                log.warning("WA worker: command channel error", exc_info=True)
                stop_event.wait(2)
                continue
            if command is not None:
                try:
                    self.handle(command)
                except Exception:  # one bad command must not end the listener
                    log.exception("WA worker: command %r failed", command)

    def handle(self, command: dict) -> None:
        """Act on one bus command (docs/whatsapp-engine.md, Commands)."""
        cmd = command.get("cmd")
        if cmd == "reconcile":
            self.request_reconcile()
            return
        try:
            session_id = uuid.UUID(str(command.get("sessionId")))
        except ValueError:
            return
        runner = self.runners.get(session_id)
        if runner is None or runner.client is None or runner.lost:
            if cmd in ("scan", "check_number"):
                self.request_reconcile()  # maybe the wish is new; the asker times out if nobody owns it
            return
        if cmd == "wake":
            runner.wake.set()
        elif cmd == "scan":
            try:
                runner.client.simulate_scan()
            except WaError as exc:
                log.info("WA %s: scan ignored: %s", session_id, exc.message)
        elif cmd == "check_number" and command.get("reply"):
            try:
                check = runner.client.check_number(str(command.get("phone", "")))
                answer = {"ok": True, "onWhatsapp": check.on_whatsapp, "jid": check.jid}
            except WaError as exc:
                answer = {"ok": False, "code": exc.code, "message": exc.message}
            bus.reply(command["reply"], answer)

    # -- reconciling --
    def reconcile(self) -> None:
        """Stop what should not run here, give back numbers over a fair share, claim free ones up to it."""
        fresh = leases.lease_fresh(self.lease.seconds)
        with session_scope(self.session_factory) as session:
            rows = session.execute(
                select(WaSession.id, WaSession.user_id, WaSession.enabled, WaSession.status,
                       WaSession.last_connected_at, WaSession.worker_id, fresh.label("fresh"))
                .where(or_(WaSession.enabled.is_(True), WaSession.worker_id == self.worker_id))).all()
            workers = ownership.alive_workers(session, self.worker_id, max_age=self.lease.seconds)
        wished = {row.id: row for row in rows if row.enabled}
        for session_id, runner in list(self.runners.items()):
            if self.stopping.is_set():
                return
            if session_id not in wished or runner.lost:
                self.stop_session(session_id, logout=session_id not in wished)
            elif self._client_died(runner):
                log.warning("WA %s: client stopped; reconnecting in %.0f s", session_id, self.retry_after)
                self.stop_session(session_id, logout=False)
                self._not_before[session_id] = utcnow() + timedelta(seconds=self.retry_after)
        share = ownership.fair_share(len(wished), workers)
        self._give_back_extras(share)
        now = utcnow()
        free = [row for row in wished.values() if row.id not in self.runners
                and (row.worker_id in (None, self.worker_id) or not row.fresh)
                and now >= self._not_before.get(row.id, now)]
        random.shuffle(free)  # workers claiming at the same moment mostly try different numbers
        for row in free:
            if self.stopping.is_set() or len(self.runners) >= share or any(r.lost for r in self.runners.values()):
                return
            self._not_before.pop(row.id, None)
            self.start_session(row)

    def _give_back_extras(self, share: int) -> None:
        """Release a few numbers when this worker holds more than its share plus slack (others take them)."""
        excess = len(self.runners) - (share + self.share_slack)
        if excess <= 0:
            return
        # A QR being scanned is not moved; otherwise the newest go first (grabbed while others were starting).
        order = sorted(self.runners.values(), key=lambda r: (r.client is not None and not r.client.is_connected(),
                                                             -r.started_at))
        cooldown = utcnow() + timedelta(seconds=3 * self.poll_interval)
        for runner in order[:min(excess, self.release_batch)]:
            log.info("WA %s: over the fair share of %d; handing the number to another worker", runner.session_id,
                     share)
            self.stop_session(runner.session_id, logout=False)
            self._not_before[runner.session_id] = cooldown  # leave it to the others for a few rounds

    @staticmethod
    def _client_died(runner: Runner) -> bool:
        is_running = getattr(runner.client, "is_running", None)
        return callable(is_running) and not is_running()

    def start_session(self, row: Any) -> bool:
        """Claim the session's lease, start its client and its sender loop; False if another worker holds it."""
        with self._lifecycle:
            if self.stopping.is_set():
                return False
            leased_at = time.monotonic()
            with session_scope(self.session_factory) as session:
                if not leases.claim_session(session, row.id, self.lease):
                    return False
            if not self.transport.has_pairing(row.id) and row.last_connected_at is not None \
                    and row.status != WaSessionStatus.connecting:
                # It was linked and the store no longer has the device: resuming a logged-out device is unsafe
                # (and pointless), so end the wish and ask the user to scan again.
                self.emit_status(self.update_session(row.id, owned=True, status=WaSessionStatus.logged_out,
                                                     enabled=False, qr_code=None, status_reason=LOGGED_OUT_REASON))
                self._release(row.id)
                return False
            runner = Runner(row.id, row.user_id, leased_at=leased_at)
            self.runners[row.id] = runner
            try:
                self._start_client(runner, row)
            except Exception:  # the store or the transport failed: let go of the number, try again later
                log.exception("WA %s: start failed; retrying in %.0f s", row.id, self.retry_after)
                self.runners.pop(row.id, None)
                self._stop_client(runner, logout=False)
                self._release(row.id)
                self._not_before[row.id] = utcnow() + timedelta(seconds=self.retry_after)
                return False
            return True

    def _start_client(self, runner: Runner, row: Any) -> None:
        """Fail the rows a dead owner left in flight, start the client, wait for a first sign, start the loop."""
        with session_scope(self.session_factory) as session:
            outbox.recover_abandoned(session, row.id, utcnow(), grace=timedelta(0))
        self.emit_status(self.update_session(row.id, owned=True, status=WaSessionStatus.connecting if row.status in (
            WaSessionStatus.connected, WaSessionStatus.disconnected) else row.status, status_reason=None))
        runner.client = self.transport.create(row.id, SessionEvents(self, runner))
        runner.client.start()
        log.info("WA %s: started (%s)", row.id, self.transport.name)
        # Wait for the first sign of life before the next session starts (one at a time), unless asked to stop.
        deadline = time.monotonic() + self.start_wait
        while not runner.ready.wait(0.05) and time.monotonic() < deadline and not self.stopping.is_set():
            pass
        if self.sender_factory is not None:
            runner.sender_thread = threading.Thread(target=self._send_loop, args=(runner,),
                                                    name=f"wa-send-{row.id}", daemon=True)
            runner.sender_thread.start()

    def _send_loop(self, runner: Runner) -> None:
        loop = self.sender_factory(runner.session_id, runner.owner_id, runner.client,
                                   session_factory=self.session_factory,
                                   transport_status=self.transport.delivered_status, lease=self.lease)
        while not runner.stop.is_set():
            delay = 1.0
            runner.wake.clear()
            if runner.client is not None and runner.client.is_connected():
                try:
                    # The loop's own answer (the next paced moment) is kept: the lease keeper wakes it for direct
                    # rows, so an idle number costs a query every `idle_recheck` seconds, not every second.
                    delay = loop.step(idle_cap=None)
                except leases.LeaseLost:
                    self.lose(runner, "a claim found its lease gone")
                    return
                except Exception:  # a bad row or a database blip must not end the number's loop
                    log.exception("WA %s: sender step failed", runner.session_id)
                    delay = 5.0
            runner.wake.wait(min(max(delay, 0.05), self.idle_recheck))

    def lose(self, runner: Runner, why: str) -> None:
        """Stop sending for a number whose lease is gone at once; reconcile then stops its client."""
        if runner.lost:
            return
        runner.lost = True
        runner.stop.set()
        runner.wake.set()
        log.warning("WA %s: stopping: %s", runner.session_id, why)
        self.request_reconcile()

    def stop_session(self, session_id: uuid.UUID, *, logout: bool) -> None:
        """Stop the sender loop and the client (logout forgets the pairing), then release the lease."""
        with self._lifecycle:
            runner = self.runners.pop(session_id, None)
            if runner is None:
                return
            runner.stop.set()
            runner.wake.set()
            if runner.sender_thread is not None:
                runner.sender_thread.join(timeout=30)
            # A number taken over belongs to its new owner: no logout, no writes but the fenced release.
            self._stop_client(runner, logout=logout and not runner.lost)
            with session_scope(self.session_factory) as session:
                leases.release_sessions(session, self.lease, [session_id], qr_code=None, qr_updated_at=None)
                if logout and not runner.lost:
                    # A disconnect the user asked for; a logout from the phone keeps its own status.
                    session.execute(update(WaSession).where(
                        WaSession.id == session_id, WaSession.enabled.is_(False),
                        WaSession.status != WaSessionStatus.logged_out).values(status=WaSessionStatus.disconnected))
                row = session.get(WaSession, session_id, populate_existing=True)
            if not runner.lost:
                self.emit_status(row)
            log.info("WA %s: stopped%s", session_id, " and logged out" if logout and not runner.lost else "")

    @staticmethod
    def _stop_client(runner: Runner, *, logout: bool) -> None:
        if runner.client is None:
            return
        try:
            runner.client.logout() if logout else runner.client.stop()
        except WaError:
            log.warning("WA %s: %s failed", runner.session_id, "logout" if logout else "stop", exc_info=True)

    def _release(self, session_id: uuid.UUID) -> None:
        with session_scope(self.session_factory) as session:
            leases.release_sessions(session, self.lease, [session_id], qr_code=None, qr_updated_at=None)

    def shutdown(self) -> None:
        """Stop every sender at once, the clients one at a time until the deadline, then release every lease."""
        self.stopping.set()
        deadline = time.monotonic() + self.stop_deadline
        self.keeper.stop(timeout=1.0)  # no renewal or heartbeat may land after the release below
        with self._lifecycle:
            runners = list(self.runners.values())
            for runner in runners:
                runner.stop.set()
                runner.wake.set()
            for runner in runners:
                if runner.sender_thread is not None:
                    runner.sender_thread.join(timeout=max(0.0, deadline - time.monotonic()))
            left = 0
            for runner in runners:
                if time.monotonic() >= deadline:
                    left += 1  # the process exit ends the client; its number is released below all the same
                    continue
                try:
                    self._stop_client(runner, logout=False)
                except Exception:  # keep stopping the others
                    log.exception("WA %s: stop failed", runner.session_id)
            self.runners.clear()
            if left:
                log.warning("WA worker: stop deadline reached; %d clients end with the process", left)
        try:
            self.release_all()
        except SQLAlchemyError:
            log.warning("WA worker: could not release its leases; they expire in %.0f s", self.lease.seconds,
                        exc_info=True)

    def release_all(self) -> None:
        """Give up every lease and the heartbeat in one transaction, so other workers take over at once."""
        with session_scope(self.session_factory) as session:
            heartbeats.forget(session, ownership.SERVICE, instance=self.worker_id)
            leases.release_sessions(session, self.lease, qr_code=None, qr_updated_at=None)

    # -- wa_sessions writes and pushes --
    def update_session(self, session_id: uuid.UUID, *, owned: bool = False, only_if_enabled: bool = False,
                       **values: Any) -> WaSession | None:
        """Write `values` to the session's row (with `owned`, only while this worker holds its lease)."""
        with session_scope(self.session_factory) as session:
            statement = update(WaSession).where(WaSession.id == session_id)
            if owned:
                statement = statement.where(WaSession.worker_id == self.worker_id)
            if only_if_enabled:
                statement = statement.where(WaSession.enabled.is_(True))
            if session.execute(statement.values(**values).execution_options(synchronize_session=False)).rowcount:
                return session.get(WaSession, session_id, populate_existing=True)
            return None

    def emit_status(self, row: WaSession | None) -> None:
        if row is None:
            return
        events.emit("wa:status", {
            "sessionId": str(row.id), "status": WaSessionStatus(row.status).value, "phoneNumber": row.phone_number,
            "reason": row.status_reason, "pausedUntil": row.paused_until.isoformat() if row.paused_until else None,
            "pauseReason": row.pause_reason, "transport": self.transport.name}, row.user_id)
