"""The WA worker's session manager: keeps one transport client and one sender loop per wished-for session.

`wa_sessions.enabled` is the wish; `reconcile()` makes the running clients match it, every few seconds and at
once on a bus command. Before it starts a client the manager takes the session's advisory lock on a connection
it keeps for as long as it runs the session, so a second worker leaves that number alone. Clients are started
and stopped one at a time (neonize crashes when many start at the same instant). Transport events are written
to `wa_sessions` in short transactions and pushed to the owner's Socket.IO room. See docs/whatsapp-engine.md.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from shared.db import get_engine, get_sessionmaker, session_scope
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.timeutil import WIB, utcnow
from shared.wa import bus, events, outbox
from shared.wa.transport import SessionClient, Transport, WaError

log = logging.getLogger(__name__)

LOGGED_OUT_REASON = "WhatsApp tidak lagi tertaut (logout dari HP). Hubungkan ulang dan pindai QR."
OUTDATED_REASON = "WhatsApp menolak versi klien ini. Perbarui aplikasi FiberNode."
DEFAULT_BAN_HOURS = 24

SenderFactory = Callable[..., Any]


def default_sender_factory(session_id: uuid.UUID, owner_id: uuid.UUID, client: SessionClient, *,
                           session_factory: sessionmaker[Session], transport_status: str) -> Any:
    from shared.wa.sender import SenderLoop

    return SenderLoop(session_id, owner_id, client, session_factory=session_factory,
                      transport_status=transport_status)


@dataclass
class Runner:
    """One session this process owns: its lock connection, client and sender loop thread."""

    session_id: uuid.UUID
    owner_id: uuid.UUID
    lock_conn: Connection
    client: SessionClient | None = None
    ready: threading.Event = field(default_factory=threading.Event)
    wake: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    sender_thread: threading.Thread | None = None


class SessionEvents:
    """The transport's callbacks for one session: a short write to wa_sessions, then a push to the owner."""

    def __init__(self, manager: "WaManager", runner: Runner):
        self._manager = manager
        self._runner = runner

    def _write(self, **values: Any) -> WaSession | None:
        return self._manager.update_session(self._runner.session_id, **values)

    def on_qr(self, code: str) -> None:
        row = self._manager.update_session(self._runner.session_id, only_if_enabled=True, qr_code=code,
                                           qr_updated_at=utcnow(), status=WaSessionStatus.connecting)
        if row is not None and row.enabled:
            events.emit("wa:qr", {"sessionId": str(row.id), "qr": code}, row.user_id)
            self._manager.emit_status(row)
        self._runner.ready.set()

    def on_connected(self, phone_number: str | None) -> None:
        values: dict[str, Any] = {"status": WaSessionStatus.connected, "last_connected_at": utcnow(),
                                  "qr_code": None, "qr_updated_at": None, "status_reason": None}
        if phone_number:
            values["phone_number"] = phone_number[:20]
        self._manager.emit_status(self._write(**values))
        self._runner.ready.set()
        self._runner.wake.set()

    def on_disconnected(self, reason: str | None) -> None:
        with session_scope(self._manager.session_factory) as session:
            row = session.get(WaSession, self._runner.session_id)
            if row is None:
                return
            if row.status == WaSessionStatus.connected:
                row.status = WaSessionStatus.disconnected
            row.status_reason = reason
            session.flush()
            self._manager.emit_status(row)
        self._runner.ready.set()

    def on_logged_out(self, reason: str | None) -> None:
        # Unlinked from the phone: the wish ends here; reconcile then stops the client and forgets the pairing.
        self._manager.emit_status(self._write(status=WaSessionStatus.logged_out, enabled=False, qr_code=None,
                                              qr_updated_at=None, status_reason=LOGGED_OUT_REASON))
        log.warning("WA %s: logged out (%s)", self._runner.session_id, reason)
        self._runner.ready.set()
        self._manager.request_reconcile()

    def on_banned(self, reason: str, until: datetime | None) -> None:
        until = until or utcnow() + timedelta(hours=DEFAULT_BAN_HOURS)
        text = f"{reason} Sampai {until.astimezone(WIB):%d/%m/%Y %H:%M} WIB."
        self._manager.emit_status(self._write(status=WaSessionStatus.banned, status_reason=text,
                                              paused_until=until, pause_reason=text))
        self._runner.ready.set()

    def on_outdated(self) -> None:
        self._manager.emit_status(self._write(status=WaSessionStatus.outdated, status_reason=OUTDATED_REASON))
        self._runner.ready.set()


class WaManager:
    def __init__(self, transport: Transport, *, session_factory: sessionmaker[Session] | None = None,
                 engine: Engine | None = None, poll_interval: float = 3.0, heartbeat_interval: float = 10.0,
                 start_wait: float = 5.0, retry_after: float = 30.0, worker_id: str | None = None,
                 sender_factory: SenderFactory | None = default_sender_factory):
        self.transport = transport
        self.session_factory = session_factory or get_sessionmaker()
        self.engine = engine or get_engine()
        self.poll_interval = poll_interval
        self.heartbeat_interval = heartbeat_interval
        self.start_wait = start_wait
        self.retry_after = retry_after
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.sender_factory = sender_factory
        self.runners: dict[uuid.UUID, Runner] = {}
        self._not_before: dict[uuid.UUID, datetime] = {}
        self._reconcile_now = threading.Event()
        self._lifecycle = threading.Lock()  # one start/stop at a time (neonize hazard)
        self.stopping = threading.Event()

    # -- the process --
    def run(self, stop_event: threading.Event) -> None:
        """Prepare the transport, then reconcile until `stop_event`; stop every session before returning."""
        self.transport.prepare()
        subscription = bus.subscribe()
        listener = threading.Thread(target=self._listen, args=(subscription, stop_event), name="wa-bus",
                                    daemon=True)
        listener.start()
        log.info("WA worker %s started (transport %s)", self.worker_id, self.transport.name)
        last_heartbeat = 0.0
        try:
            while not stop_event.is_set():
                self._safely(self.reconcile)
                now = utcnow().timestamp()
                if now - last_heartbeat >= self.heartbeat_interval:
                    self._safely(self.heartbeat)
                    last_heartbeat = now
                self._reconcile_now.wait(self.poll_interval)
                self._reconcile_now.clear()
        finally:
            self.shutdown()
            subscription.close()
            listener.join(timeout=2)
            log.info("WA worker %s stopped", self.worker_id)

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
        if runner is None or runner.client is None:
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
        """Start the sessions that should run and stop the ones that should not, one at a time."""
        with session_scope(self.session_factory) as session:
            rows = session.execute(select(WaSession.id, WaSession.user_id, WaSession.enabled, WaSession.status,
                                          WaSession.last_connected_at)).all()
        wished = {row.id: row for row in rows if row.enabled}
        for session_id in [sid for sid in self.runners if sid not in wished]:
            if self.stopping.is_set():
                return
            self.stop_session(session_id, logout=True)
        for session_id, row in wished.items():
            if self.stopping.is_set():
                return
            runner = self.runners.get(session_id)
            if runner is not None and self._client_died(runner):
                log.warning("WA %s: client stopped; reconnecting in %.0f s", session_id, self.retry_after)
                self.stop_session(session_id, logout=False)
                self._not_before[session_id] = utcnow() + timedelta(seconds=self.retry_after)
                continue
            not_before = self._not_before.get(session_id)
            if runner is None and (not_before is None or utcnow() >= not_before):
                self._not_before.pop(session_id, None)
                self.start_session(row)

    @staticmethod
    def _client_died(runner: Runner) -> bool:
        is_running = getattr(runner.client, "is_running", None)
        return callable(is_running) and not is_running()

    def start_session(self, row: Any) -> bool:
        """Own the session (advisory lock), start its client and its sender loop; False if another worker owns it."""
        with self._lifecycle:
            lock_conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                owned = outbox.try_own_session(lock_conn, row.id)
            except SQLAlchemyError:
                lock_conn.invalidate()
                raise
            if not owned:
                lock_conn.close()
                return False
            if not self.transport.has_pairing(row.id) and row.last_connected_at is not None \
                    and row.status != WaSessionStatus.connecting:
                # It was linked and the store no longer has the device: resuming a logged-out device is unsafe
                # (and pointless), so end the wish and ask the user to scan again.
                self.emit_status(self.update_session(row.id, status=WaSessionStatus.logged_out, enabled=False,
                                                     qr_code=None, status_reason=LOGGED_OUT_REASON))
                self._release(lock_conn, row.id)
                return False
            runner = Runner(row.id, row.user_id, lock_conn)
            self.runners[row.id] = runner
            try:
                self._start_client(runner, row)
            except Exception:  # the store or the transport failed: let go of the number, try again later
                log.exception("WA %s: start failed; retrying in %.0f s", row.id, self.retry_after)
                self.runners.pop(row.id, None)
                self._release(lock_conn, row.id)
                self._not_before[row.id] = utcnow() + timedelta(seconds=self.retry_after)
                return False
            return True

    def _start_client(self, runner: Runner, row: Any) -> None:
        """Fail the rows a dead owner left in flight, start the client, wait for a first sign, start the loop."""
        with session_scope(self.session_factory) as session:
            outbox.recover_abandoned(session, row.id, utcnow(), grace=timedelta(0))
        self.emit_status(self.update_session(row.id, status=WaSessionStatus.connecting if row.status in (
            WaSessionStatus.connected, WaSessionStatus.disconnected) else row.status, status_reason=None,
            worker_id=self.worker_id, heartbeat_at=utcnow()))
        runner.client = self.transport.create(row.id, SessionEvents(self, runner))
        runner.client.start()
        log.info("WA %s: started (%s)", row.id, self.transport.name)
        # Wait for the first sign of life before the next session starts (one at a time).
        runner.ready.wait(self.start_wait)
        if self.sender_factory is not None:
            runner.sender_thread = threading.Thread(target=self._send_loop, args=(runner,),
                                                    name=f"wa-send-{row.id}", daemon=True)
            runner.sender_thread.start()

    def _send_loop(self, runner: Runner) -> None:
        loop = self.sender_factory(runner.session_id, runner.owner_id, runner.client,
                                   session_factory=self.session_factory,
                                   transport_status=self.transport.delivered_status)
        while not runner.stop.is_set():
            delay = 1.0
            if runner.client is not None and runner.client.is_connected():
                try:
                    delay = loop.step()
                except Exception:  # a bad row or a database blip must not end the number's loop
                    log.exception("WA %s: sender step failed", runner.session_id)
                    delay = 5.0
            runner.wake.wait(min(max(delay, 0.05), 1.0))
            runner.wake.clear()

    def stop_session(self, session_id: uuid.UUID, *, logout: bool) -> None:
        """Stop the sender loop and the client (logout forgets the pairing), then release the lock."""
        with self._lifecycle:
            runner = self.runners.pop(session_id, None)
            if runner is None:
                return
            runner.stop.set()
            runner.wake.set()
            if runner.sender_thread is not None:
                runner.sender_thread.join(timeout=30)
            if runner.client is not None:
                try:
                    runner.client.logout() if logout else runner.client.stop()
                except WaError:
                    log.warning("WA %s: %s failed", session_id, "logout" if logout else "stop", exc_info=True)
            with session_scope(self.session_factory) as session:
                values: dict[str, Any] = {"worker_id": None, "qr_code": None, "qr_updated_at": None}
                session.execute(update(WaSession).where(WaSession.id == session_id).values(**values))
                if logout:
                    # A disconnect the user asked for; a logout from the phone keeps its own status.
                    session.execute(update(WaSession).where(
                        WaSession.id == session_id, WaSession.enabled.is_(False),
                        WaSession.status != WaSessionStatus.logged_out).values(status=WaSessionStatus.disconnected))
                row = session.get(WaSession, session_id, populate_existing=True)
            self.emit_status(row)
            self._release(runner.lock_conn, session_id)
            log.info("WA %s: stopped%s", session_id, " and logged out" if logout else "")

    def _release(self, lock_conn: Connection, session_id: uuid.UUID) -> None:
        try:
            outbox.release_session(lock_conn, session_id)
            lock_conn.close()
        except SQLAlchemyError:
            lock_conn.invalidate()  # closing the server connection releases the lock too

    def heartbeat(self) -> None:
        """Say which worker owns each running session and that it is alive; drop sessions whose lock is lost."""
        for session_id, runner in list(self.runners.items()):
            try:
                runner.lock_conn.exec_driver_sql("SELECT 1")
            except SQLAlchemyError:
                log.warning("WA %s: lock connection lost; stopping the session", session_id)
                self.stop_session(session_id, logout=False)
        if self.runners:
            with session_scope(self.session_factory) as session:
                session.execute(update(WaSession).where(WaSession.id.in_(list(self.runners)))
                                .values(worker_id=self.worker_id, heartbeat_at=utcnow()))

    def shutdown(self) -> None:
        """Stop every session, one at a time, keeping their pairings."""
        self.stopping.set()
        for session_id in list(self.runners):
            try:
                self.stop_session(session_id, logout=False)
            except Exception:  # keep stopping the others
                log.exception("WA %s: stop failed", session_id)

    # -- wa_sessions writes and pushes --
    def update_session(self, session_id: uuid.UUID, *, only_if_enabled: bool = False, **values: Any) -> WaSession | None:
        with session_scope(self.session_factory) as session:
            statement = update(WaSession).where(WaSession.id == session_id)
            if only_if_enabled:
                statement = statement.where(WaSession.enabled.is_(True))
            session.execute(statement.values(**values))
            return session.get(WaSession, session_id, populate_existing=True)

    def emit_status(self, row: WaSession | None) -> None:
        if row is None:
            return
        events.emit("wa:status", {
            "sessionId": str(row.id), "status": WaSessionStatus(row.status).value, "phoneNumber": row.phone_number,
            "reason": row.status_reason, "pausedUntil": row.paused_until.isoformat() if row.paused_until else None,
            "pauseReason": row.pause_reason, "transport": self.transport.name}, row.user_id)
