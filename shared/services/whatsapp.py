"""WhatsApp for one user: their session's wish and status, sends from their number, their queue and logs.

Every function works on the actor's own session (docs/whatsapp-engine.md "HTTP API"): a superadmin too, with
their own customers. Automatic messages (receipt on pay, isolation notice) go from the customer's owner's
number, whoever acted. Sends are outbox rows written in the caller's transaction (`shared.wa.outbox`); commands
to the WA worker are published after the commit, and losing one changes nothing (the worker reconciles).
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import event, exists, func, select, update
from sqlalchemy.orm import Session

from shared.config import get_settings
from shared.errors import Conflict, Invalid, NotFound
from shared.models import (
    Customer,
    CustomerStatus,
    Invoice,
    PaymentStatus,
    User,
    WaMessageLog,
    WaMessageQueue,
    WaSession,
    WaSessionStatus,
)
from shared.pagination import Page
from shared.phone import require_phone
from shared.services.activity import record_activity
from shared.services.tenancy import parse_id
from shared.timeutil import WIB, today_wib, utcnow
from shared.wa import bus, outbox, planner, templates

log = logging.getLogger(__name__)

MESSAGE_MAX = 4096
BULK_MAX = 5000
MANUAL_TEMPLATES = ("reminder", "receipt", "isolation", "custom")
BULK_TEMPLATES = ("reminder", "custom")
MESSAGE_TYPES = ("reminder", "receipt", "isolation", "reactivation", "manual", "custom", "test")
QUEUE_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
LOG_STATUSES = ("sent", "delivered", "failed")
WORKER_STALE_AFTER = timedelta(seconds=30)
TEST_MESSAGE = "Tes pesan dari FiberNode Internet ✅"

CUSTOMER_NOT_FOUND = "Pelanggan tidak ditemukan."
INVOICE_NOT_FOUND = "Tagihan tidak ditemukan."
QUEUE_NOT_FOUND = "Pesan tidak ditemukan di antrian."
NOT_CONNECTED = "Hubungkan WhatsApp terlebih dahulu."


def _after_commit(session: Session, cmd: str, **fields) -> None:
    """Publish a worker command once the caller's transaction commits; a lost command only delays the worker."""

    def publish(_session: Session) -> None:
        try:
            bus.publish(cmd, **fields)
        except Exception:
            log.warning("WA command %s not published; the worker reconciles on its own", cmd, exc_info=True)

    event.listen(session, "after_commit", publish, once=True)


# ---------------------------------------------------------------------------------------------
# The session: status, connect, disconnect, QR, simulator scan, number check


def _status_view(session: Session, wa: WaSession) -> dict:
    now = utcnow()
    alive_since = now - WORKER_STALE_AFTER
    # Without a wish to be linked no worker needs to report for this number; otherwise any fresh heartbeat says a
    # worker runs (a session just enabled has not been picked up yet).
    worker_alive = not wa.enabled or (wa.heartbeat_at is not None and wa.heartbeat_at >= alive_since) or bool(
        session.scalar(select(exists().where(WaSession.heartbeat_at >= alive_since))))
    connecting = wa.status == WaSessionStatus.connecting
    return {
        "session_id": wa.id, "status": wa.status.value, "phone_number": wa.phone_number,
        "last_connected_at": wa.last_connected_at, "reason": wa.status_reason, "paused_until": wa.paused_until,
        "pause_reason": wa.pause_reason, "transport": get_settings().wa_transport, "worker_alive": worker_alive,
        "qr": wa.qr_code if connecting else None,
    }


def _own_session(session: Session, actor: User) -> WaSession:
    wa = outbox.get_or_create_session(session, actor.id)
    # Another request (or the worker) may have changed the row since this session last loaded it.
    session.refresh(wa)
    return wa


def get_status(session: Session, *, actor: User) -> dict:
    """The actor's WhatsApp session as the UI shows it (created, disconnected, on first look)."""
    return _status_view(session, _own_session(session, actor))


def connect(session: Session, *, actor: User) -> dict:
    """Ask for the number to be linked; 409 wa_already_connecting while connecting or connected."""
    wa = _own_session(session, actor)
    # One conditional UPDATE decides between two connects at once: the second matches nothing.
    stmt = (update(WaSession)
            .where(WaSession.id == wa.id,
                   WaSession.status.not_in([WaSessionStatus.connecting, WaSessionStatus.connected]))
            .values(enabled=True, status=WaSessionStatus.connecting, status_reason=None, updated_at=func.now())
            .returning(WaSession.id))
    if session.execute(stmt.execution_options(synchronize_session=False)).scalar() is None:
        raise Conflict("WhatsApp sedang menghubungkan atau sudah terhubung.", code="wa_already_connecting")
    session.refresh(wa)
    record_activity(session, actor=actor, action="wa.connect", resource="wa_sessions", resource_id=wa.id)
    _after_commit(session, "reconcile", session_id=str(wa.id))
    return _status_view(session, wa)


def disconnect(session: Session, *, actor: User) -> dict:
    """Unlink the number (the worker logs out and forgets the pairing); idempotent."""
    wa = _own_session(session, actor)
    wa.enabled = False
    wa.status = WaSessionStatus.disconnected
    wa.qr_code = wa.qr_updated_at = wa.phone_number = wa.status_reason = None
    session.flush()
    record_activity(session, actor=actor, action="wa.disconnect", resource="wa_sessions", resource_id=wa.id)
    _after_commit(session, "reconcile", session_id=str(wa.id))
    return _status_view(session, wa)


def get_qr(session: Session, *, actor: User) -> dict:
    """The QR to scan while connecting (polling fallback of the `wa:qr` event)."""
    wa = _own_session(session, actor)
    connecting = wa.status == WaSessionStatus.connecting
    return {"qr": wa.qr_code if connecting else None, "updated_at": wa.qr_updated_at if connecting else None,
            "status": wa.status.value}


def simulate_scan(session: Session, *, actor: User) -> dict:
    """Play the phone's scan of the QR (simulator only)."""
    if get_settings().wa_transport != "simulator":
        raise NotFound("Simulasi scan hanya tersedia pada mode simulator.")
    wa = _own_session(session, actor)
    if wa.status != WaSessionStatus.connecting or not wa.qr_code:
        raise Conflict("Belum ada QR yang tampil. Klik Hubungkan terlebih dahulu.", code="wa_no_qr")
    bus.publish("scan", session_id=str(wa.id))
    return _status_view(session, wa)


def _connected_session(session: Session, actor: User) -> WaSession:
    wa = _own_session(session, actor)
    if wa.status != WaSessionStatus.connected:
        raise Conflict(NOT_CONNECTED, code="wa_not_connected")
    return wa


def check_number(session: Session, *, actor: User, phone: str) -> dict:
    """Ask WhatsApp (through the worker owning the actor's number) whether a phone number uses WhatsApp."""
    phone = require_phone(phone)
    wa = _connected_session(session, actor)
    answer = bus.request("check_number", session_id=str(wa.id), phone=phone)
    if not answer.get("ok"):
        if answer.get("code") == "not_connected":
            raise Conflict(NOT_CONNECTED, code="wa_not_connected")
        raise Conflict(answer.get("message") or "Nomor tidak dapat dicek saat ini.", code="wa_check_failed")
    return {"phone": phone, "on_whatsapp": bool(answer.get("onWhatsapp")), "jid": answer.get("jid")}


# ---------------------------------------------------------------------------------------------
# Single sends: test, manual (and its preview), resend; automatic receipt and isolation notice


def _queued(row: WaMessageQueue) -> dict:
    return {"queue_id": row.id, "status": row.status, "kind": row.kind, "scheduled_at": row.scheduled_at}


def _send_direct(session: Session, *, owner_id: uuid.UUID, message_type: str, phone: str, content: str,
                 customer_id: uuid.UUID | None = None, invoice_id: uuid.UUID | None = None,
                 created_by: uuid.UUID | None = None) -> WaMessageQueue:
    """Queue a direct row (the outbox wakes the worker after the commit).

    Not connected raises outbox.WaNotConnected: 409 wa_not_connected, the failed log kept.
    """
    return outbox.queue_direct(session, owner_id=owner_id, message_type=message_type, phone=phone, content=content,
                               customer_id=customer_id, invoice_id=invoice_id, created_by=created_by)


def _audit_send(session: Session, actor: User, action: str, row: WaMessageQueue, **extra) -> None:
    record_activity(session, actor=actor, action=action, resource="wa_message_queue", resource_id=row.id,
                    metadata={"messageType": row.message_type, "phone": row.phone,
                              "customerId": str(row.customer_id) if row.customer_id else None, **extra})


def send_test(session: Session, *, actor: User, phone: str, message: str | None = None) -> dict:
    """Send a test message from the actor's number to any phone."""
    phone = require_phone(phone)
    content = (message or "").strip() or f"{TEST_MESSAGE}\n{templates.waktu(utcnow())}"
    row = _send_direct(session, owner_id=actor.id, message_type="test", phone=phone, content=content,
                       created_by=actor.id)
    _audit_send(session, actor, "wa.send_test", row)
    return _queued(row)


def _own_customer(session: Session, actor: User, customer_id: uuid.UUID | str) -> Customer:
    # Sends go from the actor's own number, so only the actor's own customers (a superadmin's too).
    customer = session.scalar(select(Customer).where(Customer.id == parse_id(customer_id, CUSTOMER_NOT_FOUND),
                                                     Customer.owner_id == actor.id))
    if customer is None:
        raise NotFound(CUSTOMER_NOT_FOUND)
    return customer


def _own_invoice(session: Session, actor: User, invoice_id: uuid.UUID | str) -> Invoice:
    invoice = session.scalar(select(Invoice).where(Invoice.id == parse_id(invoice_id, INVOICE_NOT_FOUND),
                                                   Invoice.owner_id == actor.id))
    if invoice is None:
        raise NotFound(INVOICE_NOT_FOUND)
    return invoice


def _latest_invoice(session: Session, customer: Customer, *, paid: bool) -> Invoice | None:
    stmt = select(Invoice).where(Invoice.customer_id == customer.id)
    if paid:
        stmt = stmt.where(Invoice.status == PaymentStatus.paid).order_by(Invoice.paid_at.desc())
    else:
        stmt = stmt.where(Invoice.status != PaymentStatus.paid).order_by(Invoice.due_date.desc())
    return session.scalars(stmt.limit(1)).first()


def _require_unpaid(invoice: Invoice | None) -> Invoice:
    if invoice is None:
        raise Conflict("Pelanggan ini tidak memiliki tagihan yang belum dibayar.", code="wa_no_unpaid_invoice")
    if invoice.status == PaymentStatus.paid:
        raise Conflict("Tagihan ini sudah dibayar; pengingat tidak perlu dikirim.", code="invoice_paid")
    return invoice


def _require_paid(invoice: Invoice | None) -> Invoice:
    if invoice is None or invoice.status != PaymentStatus.paid:
        raise Conflict("Nota hanya bisa dikirim untuk tagihan yang sudah dibayar.", code="invoice_not_paid")
    return invoice


@dataclass
class ManualMessage:
    customer: Customer
    invoice: Invoice | None
    content: str


def compose_manual(session: Session, *, actor: User, customer_id: uuid.UUID | str, template: str,
                   invoice_id: uuid.UUID | str | None = None, message: str | None = None) -> ManualMessage:
    """The text a manual send would use: the template filled from the customer's data, or the edited `message`."""
    customer = _own_customer(session, actor, customer_id)
    invoice = None
    if invoice_id is not None:
        invoice = _own_invoice(session, actor, invoice_id)
        if invoice.customer_id != customer.id:
            raise NotFound(INVOICE_NOT_FOUND)
    edited = (message or "").strip()
    if template == "reminder":
        invoice = _require_unpaid(invoice or _latest_invoice(session, customer, paid=False))
        content = edited or templates.reminder_text(session, invoice.id)
    elif template == "receipt":
        invoice = _require_paid(invoice or _latest_invoice(session, customer, paid=True))
        content = edited or templates.receipt_text(session, invoice.id)
    elif template == "isolation":
        content = edited or templates.isolation_text(session, customer.id)
    else:
        if not edited:
            raise Invalid.field("message", "Tulis pesan untuk template custom.")
        content = templates.custom_text(edited, customer_name=customer.name)
    return ManualMessage(customer=customer, invoice=invoice, content=content)


def preview_manual(session: Session, *, actor: User, **request) -> dict:
    """What send-manual would send, for the UI to show and let the user edit."""
    composed = compose_manual(session, actor=actor, **request)
    return {"message": composed.content, "phone": composed.customer.phone, "customer_name": composed.customer.name}


def send_manual(session: Session, *, actor: User, **request) -> dict:
    """Send one message to one of the actor's customers now (not paced); logged as `manual`."""
    composed = compose_manual(session, actor=actor, **request)
    row = _send_direct(session, owner_id=actor.id, message_type="manual", phone=composed.customer.phone,
                       content=composed.content, customer_id=composed.customer.id,
                       invoice_id=composed.invoice.id if composed.invoice else None, created_by=actor.id)
    _audit_send(session, actor, "wa.send_manual", row, template=request["template"])
    return _queued(row)


def resend_invoice(session: Session, *, actor: User, invoice_id: uuid.UUID | str, kind: str) -> dict:
    """Send an invoice's receipt (paid) or reminder (unpaid) again, now."""
    invoice = _own_invoice(session, actor, invoice_id)
    if kind == "receipt":
        content = templates.receipt_text(session, _require_paid(invoice).id)
    else:
        content = templates.reminder_text(session, _require_unpaid(invoice).id)
    customer = session.get(Customer, invoice.customer_id)
    row = _send_direct(session, owner_id=actor.id, message_type=kind, phone=customer.phone, content=content,
                       customer_id=customer.id, invoice_id=invoice.id, created_by=actor.id)
    _audit_send(session, actor, "wa.resend", row)
    return _queued(row)


def _automatic(session: Session, *, owner_id: uuid.UUID, message_type: str, customer: Customer, content: str,
               invoice_id: uuid.UUID | None, actor: User) -> dict:
    try:
        row = _send_direct(session, owner_id=owner_id, message_type=message_type, phone=customer.phone,
                           content=content, customer_id=customer.id, invoice_id=invoice_id, created_by=actor.id)
    except outbox.WaNotConnected as exc:
        # The failed attempt is logged by the outbox; the payment or isolation itself stands.
        return {"status": "failed", "reason": getattr(exc, "message", str(exc)), "queue_id": None}
    return {"status": "queued", "reason": None, "queue_id": row.id}


def send_receipt_on_payment(session: Session, *, actor: User, invoice_id: uuid.UUID) -> dict:
    """Queue a just-paid invoice's receipt from its owner's number (in the payment's transaction)."""
    invoice = session.get(Invoice, invoice_id)
    customer = session.get(Customer, invoice.customer_id)
    return _automatic(session, owner_id=invoice.owner_id, message_type="receipt", customer=customer,
                      content=templates.receipt_text(session, invoice.id), invoice_id=invoice.id, actor=actor)


def send_isolation_notice(session: Session, *, actor: User, customer: Customer) -> dict:
    """Tell a customer, from their owner's number, that they were isolated (or are active again)."""
    if customer.status == CustomerStatus.isolated:
        message_type, content = "isolation", templates.isolation_text(session, customer.id)
    else:
        message_type, content = "reactivation", templates.reactivation_text(session, customer.id)
    return _automatic(session, owner_id=customer.owner_id, message_type=message_type, customer=customer,
                      content=content, invoice_id=None, actor=actor)


# ---------------------------------------------------------------------------------------------
# Bulk sends (paced)


@dataclass
class BulkResult:
    queued: int
    skipped: dict[str, int]
    first_at: datetime | None
    last_at: datetime | None

    def view(self) -> dict:
        return {"queued": self.queued, "skipped": sum(self.skipped.values()), "skipped_reasons": self.skipped,
                "first_at": self.first_at, "last_at": self.last_at}


def _bulk_customers(session: Session, actor: User, customer_ids: list[uuid.UUID]) -> list[Customer]:
    ids = list(dict.fromkeys(customer_ids))
    customers = list(session.scalars(select(Customer).where(Customer.id.in_(ids), Customer.owner_id == actor.id)))
    found = {customer.id for customer in customers}
    unknown = [str(customer_id) for customer_id in ids if customer_id not in found]
    if unknown:
        message = f"{len(unknown)} pelanggan tidak ditemukan atau bukan milik Anda."
        raise Invalid(message, details={"fields": {"customerIds": [message]}, "unknownIds": unknown})
    order = {customer_id: n for n, customer_id in enumerate(ids)}
    return sorted(customers, key=lambda customer: order[customer.id])


def _latest_unpaid(session: Session, actor: User, *, customer_ids: list[uuid.UUID] | None = None,
                   due_date: date | None = None, period: str | None = None) -> dict[uuid.UUID, uuid.UUID]:
    """customer id → their latest unpaid invoice (by due date) among the actor's invoices matching the filter."""
    stmt = (select(Invoice.customer_id, Invoice.id)
            .where(Invoice.owner_id == actor.id, Invoice.status != PaymentStatus.paid)
            .order_by(Invoice.due_date.desc(), Invoice.id))
    if customer_ids is not None:
        stmt = stmt.where(Invoice.customer_id.in_(customer_ids))
    if due_date is not None:
        stmt = stmt.where(Invoice.due_date == due_date)
    if period is not None:
        stmt = stmt.where(Invoice.period == period)
    latest: dict[uuid.UUID, uuid.UUID] = {}
    for customer_id, invoice_id in session.execute(stmt):
        latest.setdefault(customer_id, invoice_id)
    return latest


def send_bulk(session: Session, *, actor: User, template: str, customer_ids: list[uuid.UUID] | None = None,
              filter: dict | None = None, message: str | None = None) -> dict:
    """Queue a reminder or a custom message for many of the actor's customers, under the pacing."""
    if _own_session(session, actor).status != WaSessionStatus.connected:
        raise outbox.WaNotConnected()
    if customer_ids is not None:
        customers = _bulk_customers(session, actor, customer_ids)
        invoices = _latest_unpaid(session, actor, customer_ids=[c.id for c in customers]) \
            if template == "reminder" else {}
    else:
        filter = filter or {}
        invoices = _latest_unpaid(session, actor, due_date=filter.get("due_date"), period=filter.get("period"))
        customers = list(session.scalars(select(Customer).where(Customer.id.in_(list(invoices)))
                                          .order_by(Customer.name, Customer.id)))
    skipped = {"notActive": 0, "noUnpaidInvoice": 0, "alreadyQueued": 0}
    items: list[outbox.PacedItem] = []
    if template == "reminder":
        wanted = {}
        for customer in customers:
            if customer.status != CustomerStatus.active:
                skipped["notActive"] += 1
            elif customer.id not in invoices:
                skipped["noUnpaidInvoice"] += 1
            else:
                wanted[invoices[customer.id]] = customer
        # One paced reminder per invoice (uq_wa_queue_reminder_invoice): an invoice already planned is skipped.
        planned = set(session.scalars(select(WaMessageQueue.invoice_id).where(
            WaMessageQueue.invoice_id.in_(list(wanted)), WaMessageQueue.message_type == "reminder",
            WaMessageQueue.kind == "paced")))
        skipped["alreadyQueued"] = len(planned)
        texts = templates.reminder_texts(session, [invoice_id for invoice_id in wanted if invoice_id not in planned])
        items = [outbox.PacedItem(message_type="reminder", phone=text.phone, content=text.content,
                                  customer_id=text.customer_id, invoice_id=invoice_id, due_date=text.due_date)
                 for invoice_id, text in texts.items()]
    else:
        items = [outbox.PacedItem(message_type="custom", phone=customer.phone,
                                  content=templates.custom_text(message or "", customer_name=customer.name),
                                  customer_id=customer.id, invoice_id=invoices.get(customer.id))
                 for customer in customers]
    rows = outbox.queue_paced(session, owner_id=actor.id, items=items, created_by=actor.id) if items else []
    times = [row.scheduled_at for row in rows]
    record_activity(session, actor=actor, action="wa.send_bulk", resource="wa_message_queue", metadata={
        "template": template, "queued": len(rows), "skipped": skipped})
    result = BulkResult(queued=len(rows), skipped={k: v for k, v in skipped.items() if v},
                        first_at=min(times, default=None), last_at=max(times, default=None))
    return result.view()


# ---------------------------------------------------------------------------------------------
# The queue and the logs of the actor's own number


def _queue_view(row: WaMessageQueue, customer_name: str | None) -> dict:
    return {**{column.key: getattr(row, column.key) for column in WaMessageQueue.__mapper__.column_attrs},
            "customer_name": customer_name}


def _queue_query(wa: WaSession):
    return (select(WaMessageQueue, Customer.name).outerjoin(Customer, Customer.id == WaMessageQueue.customer_id)
            .where(WaMessageQueue.session_id == wa.id))


def list_queue(session: Session, *, actor: User, status: str | None = None, page: int = 1,
               per_page: int = 20) -> dict:
    """The actor's outbox: counts per status, one page of rows, and the reminder plan."""
    wa = _own_session(session, actor)
    counts = outbox.queue_counts(session, [wa.id])
    stmt = _queue_query(wa)
    if status:
        stmt = stmt.where(WaMessageQueue.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    # Waiting rows in sending order; finished ones newest first.
    waiting = status in ("pending", "sending")
    order = WaMessageQueue.scheduled_at.asc() if waiting else WaMessageQueue.scheduled_at.desc()
    rows = session.execute(stmt.order_by(order, WaMessageQueue.id).limit(per_page).offset((page - 1) * per_page))
    return {"counts": counts, "items": [_queue_view(row, name) for row, name in rows], "total": total,
            "page": page, "per_page": per_page, "plan": _plan(session, wa)}


def _plan(session: Session, wa: WaSession) -> list[dict]:
    # The planner answers in camelCase; the schema reads attribute names.
    return [{re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower(): value for key, value in entry.items()}
            for entry in planner.reminder_plan(session, [wa.id], today_wib())]


def _own_queue_row(session: Session, actor: User, queue_id: uuid.UUID | str) -> tuple[WaMessageQueue, str | None]:
    stmt = (select(WaMessageQueue, Customer.name).outerjoin(Customer, Customer.id == WaMessageQueue.customer_id)
            .join(WaSession, WaSession.id == WaMessageQueue.session_id)
            .where(WaMessageQueue.id == parse_id(queue_id, QUEUE_NOT_FOUND), WaSession.user_id == actor.id))
    row = session.execute(stmt.execution_options(populate_existing=True)).one_or_none()
    if row is None:
        raise NotFound(QUEUE_NOT_FOUND)
    return row[0], row[1]


def get_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> dict:
    """One outbox row of the actor's number (the UI polls a direct send's outcome)."""
    return _queue_view(*_own_queue_row(session, actor, queue_id))


def retry_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> dict:
    """Send a failed row again, now; 409 unless it failed."""
    row, name = _own_queue_row(session, actor, queue_id)
    outbox.retry(session, row)
    record_activity(session, actor=actor, action="wa.queue_retry", resource="wa_message_queue", resource_id=row.id)
    return _queue_view(row, name)


def cancel_queue_item(session: Session, *, actor: User, queue_id: uuid.UUID | str) -> None:
    """Cancel a row still waiting; 409 once it is being sent or done."""
    row, _ = _own_queue_row(session, actor, queue_id)
    outbox.cancel(session, row)
    record_activity(session, actor=actor, action="wa.queue_cancel", resource="wa_message_queue", resource_id=row.id)


def _wib_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB)


def list_logs(session: Session, *, actor: User, message_type: str | None = None, status: str | None = None,
              date_from: date | None = None, date_to: date | None = None, page: int = 1, per_page: int = 20) -> dict:
    """The actor's message attempts, newest first, with the failures of the last 24 hours counted for the alert."""
    stmt = (select(WaMessageLog, Customer.name).outerjoin(Customer, Customer.id == WaMessageLog.customer_id)
            .where(WaMessageLog.user_id == actor.id))
    if message_type:
        stmt = stmt.where(WaMessageLog.message_type == message_type)
    if status:
        stmt = stmt.where(WaMessageLog.status == status)
    if date_from:
        stmt = stmt.where(WaMessageLog.sent_at >= _wib_start(date_from))
    if date_to:
        stmt = stmt.where(WaMessageLog.sent_at < _wib_start(date_to + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(WaMessageLog.sent_at.desc(), WaMessageLog.id)
                           .limit(per_page).offset((page - 1) * per_page))
    failed = session.scalar(select(func.count()).select_from(WaMessageLog).where(
        WaMessageLog.user_id == actor.id, WaMessageLog.status == "failed",
        WaMessageLog.sent_at >= utcnow() - timedelta(hours=24))) or 0
    items = [{**{column.key: getattr(log_row, column.key) for column in WaMessageLog.__mapper__.column_attrs},
              "customer_name": name} for log_row, name in rows]
    return Page(items=items, total=total, page=page, per_page=per_page).__dict__ | {"failed_last24h": failed}
