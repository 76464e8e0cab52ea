"""WhatsApp for one user: their session's wish and status, and single sends from their number.

The session functions work on the actor's own session (docs/whatsapp-engine.md "HTTP API"). Messages to a
customer always go from the customer's owner's number (DESIGN §7), whoever acted: a mitra reaches only its own
customers; the superadmin reaches any customer, through that customer's owner's number. Bulk sends, the queue and the logs are in shared/services/wa_queue.py. Sends are outbox
rows written in the caller's transaction (`shared.wa.outbox`); commands to the WA worker are published after the
commit, and losing one changes nothing (the worker reconciles).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shared import heartbeats
from shared.config import get_settings
from shared.errors import Conflict, Invalid, NotFound
from shared.models import (
    Customer,
    CustomerStatus,
    Invoice,
    PaymentStatus,
    User,
    WaMessageQueue,
    WaSession,
    WaSessionStatus,
)
from shared.phone import require_phone
from shared.services.activity import record_activity
from shared.services.tenancy import get_visible
from shared.timeutil import utcnow
from shared.wa import bus, outbox, templates

log = logging.getLogger(__name__)

MESSAGE_MAX = 4096
MANUAL_TEMPLATES = ("reminder", "receipt", "isolation", "custom")
WORKER_STALE_AFTER = timedelta(seconds=30)
TEST_MESSAGE = "Tes pesan dari FiberNode Internet ✅"

CUSTOMER_NOT_FOUND = "Pelanggan tidak ditemukan."
INVOICE_NOT_FOUND = "Tagihan tidak ditemukan."
NOT_CONNECTED = "Hubungkan WhatsApp terlebih dahulu."


# ---------------------------------------------------------------------------------------------
# The session: status, connect, disconnect, QR, simulator scan, number check


def _status_view(session: Session, wa: WaSession) -> dict:
    # Any WA worker's heartbeat, not this number's lease: a worker that runs no number yet (the first connect) is
    # still alive, and it will pick the number up.
    worker_alive = bool(heartbeats.alive(session, "wa", max_age=WORKER_STALE_AFTER.total_seconds()))
    connecting = wa.status == WaSessionStatus.connecting
    return {
        "session_id": wa.id, "status": wa.status.value, "phone_number": wa.phone_number,
        "last_connected_at": wa.last_connected_at, "reason": wa.status_reason, "paused_until": wa.paused_until,
        "pause_reason": wa.pause_reason, "transport": get_settings().wa_transport, "worker_alive": worker_alive,
        "qr": wa.qr_code if connecting else None,
    }


def own_session(session: Session, actor: User) -> WaSession:
    wa = outbox.get_or_create_session(session, actor.id)
    # Another request (or the worker) may have changed the row since this session last loaded it.
    session.refresh(wa)
    return wa


def get_status(session: Session, *, actor: User) -> dict:
    """The actor's WhatsApp session as the UI shows it (created, disconnected, on first look)."""
    return _status_view(session, own_session(session, actor))


def connect(session: Session, *, actor: User) -> dict:
    """Ask for the number to be linked; 409 wa_already_connecting while connecting or connected."""
    wa = own_session(session, actor)
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
    bus.publish_after_commit(session, "reconcile", session_id=str(wa.id))
    return _status_view(session, wa)


def disconnect(session: Session, *, actor: User) -> dict:
    """Unlink the number (the worker logs out and forgets the pairing); idempotent."""
    wa = own_session(session, actor)
    wa.enabled = False
    wa.status = WaSessionStatus.disconnected
    wa.qr_code = wa.qr_updated_at = wa.phone_number = wa.status_reason = None
    session.flush()
    record_activity(session, actor=actor, action="wa.disconnect", resource="wa_sessions", resource_id=wa.id)
    bus.publish_after_commit(session, "reconcile", session_id=str(wa.id))
    return _status_view(session, wa)


def get_qr(session: Session, *, actor: User) -> dict:
    """The QR to scan while connecting (polling fallback of the `wa:qr` event)."""
    wa = own_session(session, actor)
    connecting = wa.status == WaSessionStatus.connecting
    return {"qr": wa.qr_code if connecting else None, "updated_at": wa.qr_updated_at if connecting else None,
            "status": wa.status.value}


def simulate_scan(session: Session, *, actor: User) -> dict:
    """Play the phone's scan of the QR (simulator only)."""
    if get_settings().wa_transport != "simulator":
        raise NotFound("Simulasi scan hanya tersedia pada mode simulator.")
    wa = own_session(session, actor)
    if wa.status != WaSessionStatus.connecting or not wa.qr_code:
        raise Conflict("Belum ada QR yang tampil. Klik Hubungkan terlebih dahulu.", code="wa_no_qr")
    bus.publish("scan", session_id=str(wa.id))
    return _status_view(session, wa)


def _connected_session(session: Session, actor: User) -> WaSession:
    wa = own_session(session, actor)
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
    result = {"phone": phone, "on_whatsapp": bool(answer.get("onWhatsapp")), "jid": answer.get("jid")}
    # Remembered like the sender's own checks, so the first message to this number needs no second look.
    outbox.remember_number_check(session, wa.id, phone, on_whatsapp=result["on_whatsapp"], jid=result["jid"],
                                 checked_at=func.now())
    return result


# ---------------------------------------------------------------------------------------------
# Single sends: test, manual (and its preview), resend; automatic receipt and isolation notice


def _queued(row: WaMessageQueue) -> dict:
    return {"queue_id": row.id, "status": row.status, "kind": row.kind, "scheduled_at": row.scheduled_at}


def _audit_send(session: Session, actor: User, action: str, row: WaMessageQueue, **extra) -> None:
    record_activity(session, actor=actor, action=action, resource="wa_message_queue", resource_id=row.id,
                    metadata={"messageType": row.message_type, "phone": row.phone,
                              "customerId": str(row.customer_id) if row.customer_id else None, **extra})


def send_test(session: Session, *, actor: User, phone: str, message: str | None = None) -> dict:
    """Send a test message from the actor's number to any phone."""
    phone = require_phone(phone)
    content = (message or "").strip() or f"{TEST_MESSAGE}\n{templates.waktu(utcnow())}"
    row = outbox.queue_direct(session, owner_id=actor.id, message_type="test", phone=phone, content=content,
                       created_by=actor.id)
    _audit_send(session, actor, "wa.send_test", row)
    return _queued(row)


def visible_customer(session: Session, actor: User, customer_id: uuid.UUID | str) -> Customer:
    """A customer the actor may message (a mitra: its own; the superadmin: any); others are 404."""
    return get_visible(session, Customer, customer_id, actor, message=CUSTOMER_NOT_FOUND)


def _visible_invoice(session: Session, actor: User, invoice_id: uuid.UUID | str) -> Invoice:
    return get_visible(session, Invoice, invoice_id, actor, message=INVOICE_NOT_FOUND)


def latest_invoice(session: Session, customer: Customer, *, paid: bool) -> Invoice | None:
    """The customer's latest paid invoice (by payment) or latest not fully paid one (by due date)."""
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
    customer = visible_customer(session, actor, customer_id)
    invoice = None
    if invoice_id is not None:
        invoice = _visible_invoice(session, actor, invoice_id)
        if invoice.customer_id != customer.id:
            raise NotFound(INVOICE_NOT_FOUND)
    edited = (message or "").strip()
    if template == "reminder":
        invoice = _require_unpaid(invoice or latest_invoice(session, customer, paid=False))
        content = edited or templates.reminder_text(session, invoice.id)
    elif template == "receipt":
        invoice = _require_paid(invoice or latest_invoice(session, customer, paid=True))
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
    """Send one message to a customer now (not paced) from the customer's owner's number; logged as `manual`."""
    composed = compose_manual(session, actor=actor, **request)
    row = outbox.queue_direct(session, owner_id=composed.customer.owner_id, message_type="manual", phone=composed.customer.phone,
                       content=composed.content, customer_id=composed.customer.id,
                       invoice_id=composed.invoice.id if composed.invoice else None, created_by=actor.id)
    _audit_send(session, actor, "wa.send_manual", row, template=request["template"])
    return _queued(row)


def resend_invoice(session: Session, *, actor: User, invoice_id: uuid.UUID | str, kind: str) -> dict:
    """Send an invoice's receipt (paid) or reminder (unpaid) again, now, from the invoice's owner's number."""
    invoice = _visible_invoice(session, actor, invoice_id)
    if kind == "receipt":
        content = templates.receipt_text(session, _require_paid(invoice).id)
    else:
        content = templates.reminder_text(session, _require_unpaid(invoice).id)
    customer = session.get(Customer, invoice.customer_id)
    row = outbox.queue_direct(session, owner_id=invoice.owner_id, message_type=kind, phone=customer.phone,
                              content=content,
                       customer_id=customer.id, invoice_id=invoice.id, created_by=actor.id)
    _audit_send(session, actor, "wa.resend", row)
    return _queued(row)


def _automatic(session: Session, *, owner_id: uuid.UUID, message_type: str, customer: Customer, content: str,
               invoice_id: uuid.UUID | None, actor: User) -> dict:
    try:
        row = outbox.queue_direct(session, owner_id=owner_id, message_type=message_type, phone=customer.phone,
                           content=content, customer_id=customer.id, invoice_id=invoice_id, created_by=actor.id)
    except outbox.WaNotConnected as exc:
        # The failed attempt is logged by the outbox; the payment or isolation itself stands.
        return {"status": "failed", "reason": getattr(exc, "message", str(exc)), "queue_id": None}
    return {"status": "queued", "reason": None, "queue_id": row.id}


def send_receipt_on_payment(session: Session, *, actor: User, invoice_id: uuid.UUID,
                            payment_id: uuid.UUID | None = None) -> dict:
    """Queue the receipt of a just-recorded payment from its owner's number (in the payment's transaction)."""
    invoice = session.get(Invoice, invoice_id)
    customer = session.get(Customer, invoice.customer_id)
    content = templates.receipt_text(session, invoice.id, payment_id=payment_id)
    return _automatic(session, owner_id=invoice.owner_id, message_type="receipt", customer=customer,
                      content=content, invoice_id=invoice.id, actor=actor)


def send_isolation_notice(session: Session, *, actor: User, customer: Customer) -> dict:
    """Tell a customer, from their owner's number, that they were isolated (or are active again)."""
    if customer.status == CustomerStatus.isolated:
        message_type, content = "isolation", templates.isolation_text(session, customer.id)
    else:
        message_type, content = "reactivation", templates.reactivation_text(session, customer.id)
    return _automatic(session, owner_id=customer.owner_id, message_type=message_type, customer=customer,
                      content=content, invoice_id=None, actor=actor)


# ---------------------------------------------------------------------------------------------
# Before a manual send: whose number sends it, and which templates fit the customer now


def sender_view(session: Session, *, actor: User, owner: User, customer_count: int | None = None) -> dict:
    """The number a customer's messages go out from: its owner, phone and whether it is connected."""
    wa = session.scalar(select(WaSession).where(WaSession.user_id == owner.id))
    status = wa.status if wa else WaSessionStatus.disconnected
    return {"owner_id": owner.id, "owner_name": owner.name, "business_name": owner.business_name,
            "username": owner.username, "is_own": owner.id == actor.id,
            "phone_number": wa.phone_number if wa else None, "status": status.value,
            "connected": status == WaSessionStatus.connected, "customer_count": customer_count}


def _option(template: str, reason: str | None) -> dict:
    return {"template": template, "available": reason is None, "reason": reason}


def send_options(session: Session, *, actor: User, customer_id: uuid.UUID | str,
                 invoice_id: uuid.UUID | str | None = None) -> dict:
    """What the manual send form starts on for a customer: its sender, the templates that fit, the default one.

    Reminder needs an invoice not yet paid and a receipt a paid one (send-manual refuses them otherwise); the
    isolation notice fits an isolated customer. The default is the reminder when something is unpaid, else custom.
    """
    customer = visible_customer(session, actor, customer_id)
    if invoice_id is not None:
        invoice = _visible_invoice(session, actor, invoice_id)
        if invoice.customer_id != customer.id:
            raise NotFound(INVOICE_NOT_FOUND)
        is_paid = invoice.status == PaymentStatus.paid
        unpaid_reason = "Tagihan ini sudah dibayar." if is_paid else None
        paid_reason = None if is_paid else "Tagihan ini belum lunas."
    else:
        unpaid_reason = None if latest_invoice(session, customer, paid=False) else \
            "Tidak ada tagihan yang belum dibayar."
        paid_reason = None if latest_invoice(session, customer, paid=True) else "Belum ada tagihan yang lunas."
    isolation_reason = None if customer.status == CustomerStatus.isolated else "Pelanggan tidak sedang diisolir."
    if invoice_id is not None:
        default = "reminder" if unpaid_reason is None else "receipt"
    else:
        default = "reminder" if unpaid_reason is None else "custom"
    return {"customer_id": customer.id, "default_template": default,
            "templates": [_option("reminder", unpaid_reason), _option("receipt", paid_reason),
                          _option("isolation", isolation_reason), _option("custom", None)],
            "sender": sender_view(session, actor=actor, owner=session.get(User, customer.owner_id))}
