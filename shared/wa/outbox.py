"""The outbox: the only code that writes `wa_message_queue` rows and their `wa_message_logs` outcomes.

Rows are inserted in the caller's transaction (a rolled-back payment never sends its receipt); the WA worker's
SenderLoop claims them with FOR UPDATE SKIP LOCKED (under the number's lease, shared/wa/leases.py) and records each
attempt here. docs/whatsapp-engine.md.
"""

import logging
import random
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic

from sqlalchemy import any_, exists, func, literal, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from shared.errors import Conflict
from shared.models import (
    Invoice,
    PaymentStatus,
    Setting,
    WaMessageLog,
    WaMessageQueue,
    WaNumberCheck,
    WaSession,
    WaSessionStatus,
)
from shared.timeutil import WIB, utcnow
from shared.wa import bus, leases, pacing, templates, testclock
from shared.wa.transport import PAUSING_CODES, PERMANENT_CODES, REACH_OUT_REFUSED

log = logging.getLogger(__name__)

NOT_CONNECTED_LOG = "Session WA tidak terkoneksi"
ABANDONED = "Pengiriman terputus (worker berhenti); periksa lalu kirim ulang bila perlu."
ABANDONED_AFTER = timedelta(minutes=2)
REACH_OUT_PAUSE = timedelta(hours=1)
STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
# Paced rows that remind of an invoice: the 06:00 run's (`reminder`) and a bulk send of the reminder template
# (`manual`). Both are dropped once the invoice is paid, and never sent after its due date.
REMINDER_TYPES = ("reminder", "manual")
_REMINDER_INDEX_WHERE = text("message_type = 'reminder' AND kind = 'paced' AND invoice_id IS NOT NULL")
# A day's paced rows in one statement: each column one array parameter, unnest() turns them back into rows (as the
# customer import does): an ORM insert … RETURNING of 3,429 reminders spent 1 s of the 06:00 job, half of it in
# psycopg splitting a 40,000-parameter statement.
_PACED_ARRAYS = (("message_type", "varchar[]"), ("phone", "varchar[]"), ("content", "text[]"),
                 ("customer_id", "uuid[]"), ("invoice_id", "uuid[]"), ("due_date", "date[]"), ("priority", "integer[]"),
                 ("scheduled_at", "timestamptz[]"))
_INSERT_PACED = text(
    f"INSERT INTO wa_message_queue ({', '.join(name for name, _ in _PACED_ARRAYS)}, session_id, created_by, "
    "max_retries, kind, status, retry_count) "
    f"SELECT u.*, CAST(:session_id AS uuid), CAST(:created_by AS uuid), CAST(:max_retries AS integer), 'paced', "
    f"'pending', 0 FROM unnest({', '.join(f'CAST(:{name} AS {kind})' for name, kind in _PACED_ARRAYS)}) AS u "
    f"ON CONFLICT (invoice_id) WHERE {_REMINDER_INDEX_WHERE.text} DO NOTHING RETURNING id")


class WaNotConnected(Conflict):
    code = "wa_not_connected"

    def __init__(self) -> None:
        # keep_writes: the failed log row written before the refusal must survive the request.
        super().__init__("Hubungkan WhatsApp terlebih dahulu.", keep_writes=True)


@dataclass(frozen=True)
class PacedItem:
    """One paced message to queue. With `render`, its text is written for the moment it is scheduled at
    (greeting for that hour, "besok" counted from that day); otherwise `content` as it is."""

    phone: str
    content: str = ""
    message_type: str = "custom"
    customer_id: uuid.UUID | None = None
    invoice_id: uuid.UUID | None = None
    due_date: date | None = None
    priority: int = 0
    render: Callable[[datetime], str] | None = None


# ---------------------------------------------------------------------------------------------
# Waking hours

WINDOW_KEYS = ("wa_send_window_start", "wa_send_window_end")
WINDOW_CACHE_SECONDS = 30.0
_window_cache: tuple[float, pacing.SendWindow] | None = None
_window_lock = threading.Lock()


def _parse_clock(value: str | None) -> time | None:
    try:
        hours, minutes = (value or "").replace(".", ":").split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def load_send_window(session: Session) -> pacing.SendWindow:
    """The superadmin's send window from the settings (the default when unset or unreadable)."""
    stored = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(WINDOW_KEYS))).all())
    default = pacing.DEFAULT_WINDOW
    start = _parse_clock(stored.get("wa_send_window_start")) or default.start
    end = _parse_clock(stored.get("wa_send_window_end")) or default.end
    try:
        return pacing.SendWindow(start, end)
    except ValueError:
        log.warning("wa send window %s–%s is not valid; using the default", start, end)
        return default


def send_window(session: Session) -> pacing.SendWindow:
    """The send window, read at most every WINDOW_CACHE_SECONDS per process (the sender asks every second)."""
    global _window_cache
    with _window_lock:
        if _window_cache is not None and monotonic() - _window_cache[0] < WINDOW_CACHE_SECONDS:
            return _window_cache[1]
    window = load_send_window(session)
    with _window_lock:
        _window_cache = (monotonic(), window)
    return window


def forget_send_window() -> None:
    """Read the window afresh next time (after the settings changed in this process)."""
    global _window_cache
    with _window_lock:
        _window_cache = None


# ---------------------------------------------------------------------------------------------
# Sessions and ownership


def get_or_create_session(session: Session, user_id: uuid.UUID) -> WaSession:
    """The user's WA session row, created (disconnected) the first time it is needed."""
    session.execute(insert(WaSession).values(user_id=user_id).on_conflict_do_nothing(index_elements=["user_id"]))
    return session.scalars(select(WaSession).where(WaSession.user_id == user_id)).one()


def sessions_with_direct_rows(session: Session, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these sessions have a direct row waiting (one query for a whole worker's numbers)."""
    if not session_ids:
        return set()
    return set(session.scalars(select(WaMessageQueue.session_id).distinct().where(
        WaMessageQueue.session_id.in_(session_ids), WaMessageQueue.status == "pending",
        WaMessageQueue.kind == "direct")))


def remember_number_check(session: Session, session_id: uuid.UUID, phone: str, *, on_whatsapp: bool,
                          jid: str | None, checked_at: datetime | ColumnElement) -> None:
    """Record WhatsApp's answer for a number (from the sender or a user's check) so it is not asked again soon."""
    values = {"on_whatsapp": on_whatsapp, "jid": jid, "checked_at": checked_at}
    session.execute(insert(WaNumberCheck).values(session_id=session_id, phone=phone, **values)
                    .on_conflict_do_update(index_elements=["session_id", "phone"], set_=values))


# ---------------------------------------------------------------------------------------------
# Queueing


def _failed_log(session: Session, *, wa: WaSession, message_type: str, phone: str, content: str,
                error: str, customer_id=None, invoice_id=None, queue_id=None, wa_message_id=None) -> WaMessageLog:
    entry = WaMessageLog(session_id=wa.id, user_id=wa.user_id, customer_id=customer_id, invoice_id=invoice_id,
                         queue_id=queue_id, message_type=message_type, phone=phone, content=content,
                         status="failed", error_message=error, wa_message_id=wa_message_id, sent_at=utcnow())
    session.add(entry)
    return entry


def queue_direct(session: Session, *, owner_id: uuid.UUID, message_type: str, phone: str, content: str,
                 customer_id: uuid.UUID | None = None, invoice_id: uuid.UUID | None = None,
                 created_by: uuid.UUID | None = None) -> WaMessageQueue:
    """Queue one message to go out at once from the owner's number; refuse (and log) when it is not connected."""
    wa = get_or_create_session(session, owner_id)
    if wa.status != WaSessionStatus.connected:
        _failed_log(session, wa=wa, message_type=message_type, phone=phone, content=content,
                    error=NOT_CONNECTED_LOG, customer_id=customer_id, invoice_id=invoice_id)
        session.flush()
        raise WaNotConnected()
    row = WaMessageQueue(session_id=wa.id, kind="direct", message_type=message_type, phone=phone, content=content,
                         customer_id=customer_id, invoice_id=invoice_id, created_by=created_by,
                         scheduled_at=utcnow(), status="pending", retry_count=0, max_retries=0)
    session.add(row)
    session.flush()
    # With the request's id (shared/logs.py): the WA worker's line for the send names the same queue_id.
    log.info("wa message queued (direct)", extra={"queue_id": str(row.id), "session_id": str(wa.id)})
    bus.publish_after_commit(session, "wake", session_id=wa.id)
    return row


def paced_history(session: Session, session_id: uuid.UUID, since: datetime, *,
                  planned: bool = False) -> list[datetime]:
    """The number's paced send times since `since`, newest first; with `planned`, pending rows' times too.

    A failed row counts at its last claim: the attempt may have reached WhatsApp (a timeout, a crash after the send).
    """
    statuses = ["sent", "sending", "failed", "pending"] if planned else ["sent", "sending", "failed"]
    rows = session.execute(
        select(WaMessageQueue.status, WaMessageQueue.sent_at, WaMessageQueue.claimed_at, WaMessageQueue.scheduled_at)
        .where(WaMessageQueue.session_id == session_id, WaMessageQueue.kind == "paced",
               WaMessageQueue.status.in_(statuses),
               or_(WaMessageQueue.sent_at >= since, WaMessageQueue.claimed_at >= since,
                   WaMessageQueue.scheduled_at >= since)))
    moments = [sent_at if status == "sent" else claimed_at if status in ("sending", "failed") else scheduled_at
               for status, sent_at, claimed_at, scheduled_at in rows]
    return sorted((at for at in moments if at is not None and at >= since), reverse=True)


def queue_paced(session: Session, *, owner_id: uuid.UUID, items: list[PacedItem],
                created_by: uuid.UUID | None = None, earliest: datetime | None = None,
                now: datetime | None = None, rng: random.Random | None = None) -> list[WaMessageQueue]:
    """Queue paced rows from the owner's number, staggered behind its pending ones; skip reminders already queued."""
    wa = get_or_create_session(session, owner_id)
    reminder_invoices = [i.invoice_id for i in items if i.message_type == "reminder" and i.invoice_id]
    if reminder_invoices:
        queued = set(session.scalars(select(WaMessageQueue.invoice_id).where(
            WaMessageQueue.invoice_id.in_(reminder_invoices), WaMessageQueue.message_type == "reminder",
            WaMessageQueue.kind == "paced")))
        seen: set[uuid.UUID] = set()
        kept = []
        for item in items:
            if item.message_type == "reminder" and item.invoice_id:
                if item.invoice_id in queued or item.invoice_id in seen:
                    continue
                seen.add(item.invoice_id)
            kept.append(item)
        items = kept
    if not items:
        return []
    now = now or testclock.now(wa.id)
    window = send_window(session)
    start = max(now, earliest or now)
    # A second bulk queues behind the first: start after the number's last pending paced row.
    last_pending = session.scalar(select(func.max(WaMessageQueue.scheduled_at)).where(
        WaMessageQueue.session_id == wa.id, WaMessageQueue.kind == "paced", WaMessageQueue.status == "pending"))
    if last_pending is not None and last_pending > start:
        start = last_pending
    history = paced_history(session, wa.id, start - timedelta(days=1, hours=1), planned=True)
    times = pacing.plan_times(start, len(items), rng or random.Random(), recent=history, window=window)
    arrays = {"message_type": [item.message_type for item in items], "phone": [item.phone for item in items],
              "content": [item.render(at) if item.render else item.content
                          for item, at in zip(items, times, strict=True)],
              "customer_id": [item.customer_id for item in items], "invoice_id": [item.invoice_id for item in items],
              "due_date": [item.due_date for item in items], "priority": [item.priority for item in items],
              "scheduled_at": times}
    # A concurrent run that queued the same reminder wins; this one skips it (the partial unique index).
    ids = session.scalars(_INSERT_PACED, {**arrays, "session_id": wa.id, "created_by": created_by,
                                          "max_retries": pacing.MAX_RETRIES}).all()
    rows = list(session.scalars(select(WaMessageQueue).where(WaMessageQueue.id == any_(
        literal(list(ids), ARRAY(UUID(as_uuid=True))))).order_by(WaMessageQueue.scheduled_at, WaMessageQueue.id)))
    if rows:
        log.info("wa messages queued (paced)", extra={"count": len(rows), "session_id": str(wa.id),
                                                      "first_at": rows[0].scheduled_at.isoformat(),
                                                      "last_at": rows[-1].scheduled_at.isoformat()})
    return rows


# ---------------------------------------------------------------------------------------------
# State changes from the UI


def retry(session: Session, row: WaMessageQueue, *, now: datetime | None = None) -> WaMessageQueue:
    """Send a failed row again, now; it keeps its count of tries and gets one more."""
    if row.status != "failed":
        raise Conflict("Hanya pesan yang gagal yang bisa dikirim ulang.", code="wa_queue_not_failed")
    row.status, row.scheduled_at, row.error_message, row.claimed_at = "pending", now or utcnow(), None, None
    row.max_retries = max(row.max_retries, row.retry_count + 1)
    session.flush()
    if row.kind == "direct":
        bus.publish_after_commit(session, "wake", session_id=row.session_id)
    return row


def cancel(session: Session, row: WaMessageQueue) -> WaMessageQueue:
    """Cancel a row that has not been picked up yet."""
    if row.status != "pending":
        raise Conflict("Hanya pesan yang masih menunggu yang bisa dibatalkan.", code="wa_queue_not_pending")
    row.status = "cancelled"
    session.flush()
    return row


# ---------------------------------------------------------------------------------------------
# The worker's side


PAID_CANCELLED = "Tagihan sudah dibayar; pengingat dibatalkan."


def prune_stale_reminders(session: Session, session_id: uuid.UUID, now: datetime) -> dict[str, int]:
    """Before paced sends: drop reminders that would now be wrong, and commit.

    A reminder whose invoice was paid after it was queued is cancelled (no message to send, nothing to log);
    one whose due date has passed (the number was offline or paused too long) fails with a logged reason
    instead of telling a customer that a past date is "besok".
    """
    pending = ((WaMessageQueue.session_id == session_id) & (WaMessageQueue.status == "pending")
               & (WaMessageQueue.kind == "paced") & WaMessageQueue.message_type.in_(REMINDER_TYPES))
    paid = session.execute(
        update(WaMessageQueue).where(pending, exists().where(Invoice.id == WaMessageQueue.invoice_id,
                                                             Invoice.status == PaymentStatus.paid))
        .values(status="cancelled", error_message=PAID_CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    today = now.astimezone(WIB).date()
    overdue = list(session.scalars(select(WaMessageQueue).where(pending, WaMessageQueue.due_date < today)))
    owner_id = session.scalar(select(WaSession.user_id).where(WaSession.id == session_id)) if overdue else None
    for row in overdue:
        row.status = "failed"
        row.error_message = (f"Tidak dikirim: jatuh tempo {row.due_date:%d/%m/%Y} sudah lewat sebelum pengingat "
                             "sempat dikirim (WhatsApp terputus atau dijeda).")
        _log(session, row, owner_id, status="failed", now=now, error=row.error_message)
    session.commit()
    return {"cancelled": paid, "expired": len(overdue)}


def claim_next(session: Session, session_id: uuid.UUID, now: datetime, *, paced_allowed: bool,
               lease: leases.Lease | None = None) -> WaMessageQueue | None:
    """Claim the next row to send (direct first, then due paced ones) and commit the claim.

    With `lease`, raise LeaseLost instead unless the worker still holds it, checked in the claim's transaction.
    """
    if lease is not None and not leases.holds_lease(session, session_id, lease, lock=True):
        raise leases.LeaseLost(f"session {session_id} is no longer leased to {lease.worker_id}")
    due = WaMessageQueue.kind == "direct"
    # Waking hours: outside the send window nothing paced is claimed, whatever its scheduled time says.
    if paced_allowed and send_window(session).contains(now):
        # A reminder whose invoice has been paid meanwhile, or whose due date has passed, is never sent;
        # prune_stale_reminders records why, less often.
        unpaid = ~exists().where(Invoice.id == WaMessageQueue.invoice_id, Invoice.status == PaymentStatus.paid,
                                 WaMessageQueue.message_type.in_(REMINDER_TYPES))
        not_overdue = or_(WaMessageQueue.due_date.is_(None), WaMessageQueue.due_date >= now.astimezone(WIB).date())
        due = due | ((WaMessageQueue.kind == "paced") & (WaMessageQueue.scheduled_at <= now) & unpaid & not_overdue)
    # SKIP LOCKED: a row another transaction is claiming is not waited for (one owner per number, but cheap).
    row = session.scalars(
        select(WaMessageQueue)
        .where(WaMessageQueue.session_id == session_id, WaMessageQueue.status == "pending", due)
        .order_by((WaMessageQueue.kind == "direct").desc(), WaMessageQueue.priority.desc(),
                  WaMessageQueue.scheduled_at, WaMessageQueue.id)
        .limit(1).with_for_update(skip_locked=True)
    ).first()
    if row is None:
        session.commit()
        return None
    row.status, row.claimed_at = "sending", now
    # A row planned for the morning but sent later (a pause, a retry, the number offline) greets for now.
    row.content = templates.fit_greeting(row.content, now)
    if row.wa_message_id is None:
        # Chosen once and reused by every retry, so a resend is recognisably the same message.
        row.wa_message_id = "3EB0" + secrets.token_hex(8).upper()
    session.commit()
    return row


def _log(session: Session, row: WaMessageQueue, owner_id: uuid.UUID, *, status: str, now: datetime,
         error: str | None = None) -> WaMessageLog:
    entry = WaMessageLog(session_id=row.session_id, user_id=owner_id, customer_id=row.customer_id,
                         invoice_id=row.invoice_id, queue_id=row.id, message_type=row.message_type, phone=row.phone,
                         content=row.content, status=status, error_message=error, wa_message_id=row.wa_message_id,
                         sent_at=now)
    session.add(entry)
    session.flush()
    return entry


def complete(session: Session, row: WaMessageQueue, *, now: datetime, delivered_status: str = "sent",
             wa_message_id: str | None = None, owner_id: uuid.UUID | None = None) -> WaMessageLog:
    """Record a successful send: the row is sent and the log says so."""
    owner_id = owner_id or session.scalar(select(WaSession.user_id).where(WaSession.id == row.session_id))
    row.status, row.sent_at, row.error_message = "sent", now, None
    if wa_message_id and not row.wa_message_id:
        row.wa_message_id = wa_message_id
    return _log(session, row, owner_id, status=delivered_status, now=now)


def fail(session: Session, row: WaMessageQueue, *, code: str, message: str, now: datetime,
         paused_until: datetime | None = None) -> WaMessageLog:
    """Record a failed attempt: retry a paced row later, pause the number on a refusal, else fail the row."""
    wa = session.get(WaSession, row.session_id)
    row.error_message = message
    if code in PAUSING_CODES:
        wa.paused_until = paused_until or now + REACH_OUT_PAUSE
        cause = ("WhatsApp menolak pesan ke nomor baru (463)" if code == REACH_OUT_REFUSED
                 else "Nomor diblokir sementara oleh WhatsApp")
        wa.pause_reason = f"{cause}; pengiriman terjadwal dijeda sampai {_wib_text(wa.paused_until)}."
    if row.kind == "paced" and code in PAUSING_CODES:
        # Not the message's fault: it waits for the pause to end and does not use up a try.
        row.status, row.scheduled_at = "pending", max(row.scheduled_at, wa.paused_until)
    elif row.kind == "paced" and code not in PERMANENT_CODES and row.retry_count < row.max_retries:
        row.status, row.scheduled_at = "pending", now + pacing.RETRY_DELAY
        row.retry_count += 1
    else:
        row.status = "failed"
    return _log(session, row, wa.user_id, status="failed", now=now, error=message)


def _wib_text(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%d/%m/%Y %H:%M WIB")


def recover_abandoned(session: Session, session_id: uuid.UUID, now: datetime, *,
                      grace: timedelta = ABANDONED_AFTER) -> int:
    """Fail the rows a dead worker left 'sending' (never resend: WhatsApp may have them); return how many.

    Call it while holding the session's lease (then `grace` may be zero): nobody else can be sending for it.
    """
    rows = list(session.scalars(select(WaMessageQueue).where(
        WaMessageQueue.session_id == session_id, WaMessageQueue.status == "sending",
        func.coalesce(WaMessageQueue.claimed_at, WaMessageQueue.updated_at) <= now - grace,
    ).with_for_update(skip_locked=True)))
    if not rows:
        return 0
    wa = session.get(WaSession, session_id)
    for row in rows:
        row.status, row.error_message = "failed", ABANDONED
        _log(session, row, wa.user_id, status="failed", now=now, error=ABANDONED)
    return len(rows)


def expire_pause(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    session.execute(update(WaSession).where(WaSession.id == session_id, WaSession.paused_until <= now)
                    .values(paused_until=None, pause_reason=None))


# ---------------------------------------------------------------------------------------------
# Reading


def queue_counts(session: Session, session_ids: list[uuid.UUID] | None) -> dict[str, int]:
    """Rows per status for the queue tab (all sessions when `session_ids` is None)."""
    stmt = select(WaMessageQueue.status, func.count()).group_by(WaMessageQueue.status)
    if session_ids is not None:
        stmt = stmt.where(WaMessageQueue.session_id.in_(session_ids))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: n for status, n in session.execute(stmt)})
    return counts
