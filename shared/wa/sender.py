"""One WhatsApp number's sender: claim the next outbox row, check the number, send, record the outcome.

The WA worker runs one SenderLoop per connected session (on a thread, while it holds the session's lease; the claim
checks the lease in its own transaction, so a worker that lost the number claims nothing more).
Direct rows go out within a second; paced rows wait for their `scheduled_at` and for the pacing rules, counted
from the database so the hour/day/rest limits survive a restart. No transaction is open during a network call.
"""

import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from shared.logs import bound
from shared.models import WaMessageQueue, WaNumberCheck, WaSession
from shared.timeutil import utcnow
from shared.wa import leases, outbox, pacing, sent_marks
from shared.wa.transport import ERROR, NOT_ON_WHATSAPP, SessionClient, WaError

log = logging.getLogger(__name__)

IDLE_POLL = 1.0  # seconds: how late a direct row may be noticed without a wake command
NOTHING_PLANNED = 600.0  # seconds an uncapped step sleeps when no paced row is pending at all
NUMBER_CHECK_TTL = timedelta(days=30)
# The loop is the number's only sender (it holds the lease) and remembers its own sends; the reload is a safety net.
HISTORY_RELOAD = timedelta(hours=1)
HISTORY_SPAN = timedelta(days=1, hours=1)
# Paid or overdue reminders are marked cancelled/failed at most this often (the claim already never sends them).
PRUNE_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Claimed:
    """What a send needs from a claimed row, read before the claim's session closes."""

    id: uuid.UUID
    kind: str
    phone: str
    content: str
    wa_message_id: str


class SenderLoop:
    def __init__(self, session_id: uuid.UUID, owner_id: uuid.UUID, client: SessionClient, *,
                 session_factory: sessionmaker[Session], clock: Callable[[], datetime] = utcnow,
                 rng: random.Random | None = None, transport_status: str = "sent",
                 lease: leases.Lease | None = None) -> None:
        self.session_id = session_id
        self.owner_id = owner_id
        self.client = client
        self.session_factory = session_factory
        self.clock = clock
        self.rng = rng or random.Random()
        self.transport_status = transport_status
        # The WA worker's lease on the number: without it held and fresh nothing is recovered or claimed (fencing).
        self.lease = lease
        self._recovered = False
        self._pruned_at: datetime | None = None
        self._history: list[datetime] | None = None
        self._history_loaded_at: datetime | None = None
        self._failed_attempts: list[datetime] = []
        self._gate: tuple[tuple, datetime] | None = None
        self._window = pacing.DEFAULT_WINDOW  # waking hours, re-read from the settings every step (cached)
        self._wake = threading.Event()

    # -- the loop ---------------------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the queue now (a direct row was queued) instead of at the next poll."""
        self._wake.set()

    def run(self, stop_event: threading.Event) -> None:
        while not stop_event.is_set():
            try:
                delay = self.step()
            except Exception:
                log.exception("WA sender step failed for session %s", self.session_id)
                delay = IDLE_POLL
            if delay > 0 and self._wake.wait(min(delay, IDLE_POLL)):
                self._wake.clear()

    def step(self, *, idle_cap: float | None = IDLE_POLL) -> float:
        """Send at most one row; return the seconds until the next step (≤ `idle_cap` unless it is None)."""
        now = self.clock()
        with self.session_factory() as db:
            if not self._recovered:
                if self.lease is not None and not leases.holds_lease(db, self.session_id, self.lease):
                    raise leases.LeaseLost(f"session {self.session_id} is no longer leased to {self.lease.worker_id}")
                # The caller holds the session's lease: a row still 'sending' belongs to a dead predecessor.
                outbox.recover_abandoned(db, self.session_id, now, grace=timedelta(0))
                db.commit()
                self._recovered = True
            if not self.client.is_connected():
                db.rollback()
                return IDLE_POLL if idle_cap is None else idle_cap
            wa = db.get(WaSession, self.session_id)
            paused_until = wa.paused_until
            if paused_until is not None and paused_until <= now:
                outbox.expire_pause(db, self.session_id, now)
                paused_until = None
            paused = paused_until is not None
            self._window = outbox.send_window(db)
            gate = self._gate_at(db, now)
            if not paused and gate <= now and (self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY):
                outbox.prune_stale_reminders(db, self.session_id, now)
                self._pruned_at = now
            row = outbox.claim_next(db, self.session_id, now, paced_allowed=not paused and gate <= now,
                                    lease=self.lease)
            if row is None:
                sleep = self._idle_seconds(db, now, paused_until, gate)
                db.rollback()
                return sleep if idle_cap is None else min(sleep, idle_cap)
            claimed = Claimed(id=row.id, kind=row.kind, phone=row.phone, content=row.content,
                              wa_message_id=row.wa_message_id)
            known = db.get(WaNumberCheck, (self.session_id, claimed.phone))
            on_whatsapp = known.on_whatsapp if known and known.checked_at > now - NUMBER_CHECK_TTL else None
            db.rollback()
        self._send(claimed, on_whatsapp)
        if claimed.kind == "direct" or self._history is None:
            return 0.0
        # After a paced send nothing paced can go before the next gap: sleep until then (direct rows still poll).
        wait = max(0.0, (self._gate_at(None, self.clock()) - self.clock()).total_seconds())
        return wait if idle_cap is None else min(wait, idle_cap)

    # -- pacing -----------------------------------------------------------------------------------

    def _recent(self, db: Session | None, now: datetime) -> list[datetime]:
        if db is not None and (self._history is None or now - self._history_loaded_at >= HISTORY_RELOAD):
            self._history = outbox.paced_history(db, self.session_id, now - HISTORY_SPAN)
            self._history_loaded_at = now
        self._failed_attempts = [at for at in self._failed_attempts if at >= now - HISTORY_SPAN]
        # A failed attempt still reached WhatsApp: it counts (conservatively) until the next reload forgets it.
        return sorted(self._history + self._failed_attempts, reverse=True)

    def _gate_at(self, db: Session | None, now: datetime) -> datetime:
        recent = self._recent(db, now)
        key = (len(recent), recent[0] if recent else None, self._window)
        # The random gap is drawn once per send, not once per poll (polling would otherwise favour short gaps).
        if self._gate is None or self._gate[0] != key:
            self._gate = (key, pacing.next_send_at(recent, now, self.rng, self._window))
        gate = self._gate[1]
        # A gate that has passed while the window closed (an idle evening) waits for the next window start.
        return gate if gate > now else self._window.next_open(now)

    def _idle_seconds(self, db: Session, now: datetime, paused_until: datetime | None, gate: datetime) -> float:
        if paused_until is not None:
            wake_at = paused_until
        else:
            first = db.scalar(select(func.min(WaMessageQueue.scheduled_at)).where(
                WaMessageQueue.session_id == self.session_id, WaMessageQueue.kind == "paced",
                WaMessageQueue.status == "pending"))
            if first is None:
                return NOTHING_PLANNED
            wake_at = max(first, gate)
        return max(0.0, (wake_at - now).total_seconds())

    # -- one send ---------------------------------------------------------------------------------

    def _send(self, row: Claimed, on_whatsapp: bool | None) -> None:
        # Its lines name the queue row, as the API's "wa message queued" line did (with the request's id).
        with bound(queue_id=str(row.id), session_id=str(self.session_id)):
            self._send_row(row, on_whatsapp)

    def _send_row(self, row: Claimed, on_whatsapp: bool | None) -> None:
        try:
            if on_whatsapp is None:
                on_whatsapp = self._check_number(row.phone)
        except WaError as exc:
            self._record(row, code=exc.code, message=exc.message)
            return
        if not on_whatsapp:
            self._record(row, code=NOT_ON_WHATSAPP,
                         message=f"Nomor {row.phone} tidak terdaftar di WhatsApp; pesan tidak dikirim.")
            return
        try:
            receipt = self.client.send_text(row.phone, row.content, message_id=row.wa_message_id)
        except WaError as exc:
            self._record(row, code=exc.code, message=exc.message, attempted=True)
        except Exception as exc:
            log.exception("WA send failed for queue row %s", row.id)
            self._record(row, code=ERROR, message=f"Gagal mengirim pesan: {exc}", attempted=True)
        else:
            self._record(row, wa_message_id=receipt.message_id if receipt else None)

    def _check_number(self, phone: str) -> bool:
        """Ask WhatsApp whether it knows the number (the cache was missing or stale) and remember the answer."""
        now = self.clock()
        result = self.client.check_number(phone)
        with self.session_factory() as db:
            outbox.remember_number_check(db, self.session_id, phone, on_whatsapp=result.on_whatsapp, jid=result.jid,
                                         checked_at=now)
            db.commit()
        return result.on_whatsapp

    def _record(self, claimed: Claimed, *, code: str | None = None, message: str | None = None,
                attempted: bool = False, wa_message_id: str | None = None) -> None:
        now = self.clock()
        with self.session_factory() as db:
            row = db.get(WaMessageQueue, claimed.id, with_for_update=True)
            if code is None:
                entry = outbox.complete(db, row, now=now, delivered_status=self.transport_status,
                                        wa_message_id=wa_message_id, owner_id=self.owner_id)
                sent_marks.mark_invoice_sent(db, row, now)
            else:
                entry = outbox.fail(db, row, code=code, message=message, now=now)
            payload = {"sessionId": str(self.session_id), "logId": str(entry.id), "queueId": str(row.id),
                       "status": entry.status, "messageType": row.message_type, "phone": row.phone,
                       "customerId": str(row.customer_id) if row.customer_id else None,
                       "invoiceId": str(row.invoice_id) if row.invoice_id else None}
            db.commit()
        log.info("wa message %s", entry.status, extra={"code": code} if code else None)
        if claimed.kind == "paced":
            if code is None and self._history is not None:
                self._history.insert(0, now)
            elif attempted:
                self._failed_attempts.append(now)
        self._emit(payload)

    def _emit(self, payload: dict) -> None:
        try:
            from shared.wa import events

            events.emit("wa:message", payload, self.owner_id)
        except Exception:  # a missed push is caught up by the UI's polling
            log.debug("wa:message push failed", exc_info=True)
