from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.wa import (
    BulkIn,
    BulkOut,
    CheckNumberIn,
    CheckNumberOut,
    LogArgs,
    LogPage,
    ManualIn,
    PreviewOut,
    QueueArgs,
    QueuePage,
    RemindInvoicesIn,
    ResendIn,
    SendersIn,
    SendersOut,
    SendOptionsArgs,
    SendOptionsOut,
    SendTestIn,
    WaQr,
    WaQueued,
    WaQueueItem,
    WaStatus,
)
from shared.services import wa_queue, wa_remind, whatsapp

blp = Blueprint("wa", __name__, url_prefix="/api/wa",
                description="WhatsApp: the caller's own number, its sends, queue and logs")


@blp.get("/status")
@login_required()
@blp.response(200, WaStatus)
def get_status():
    """The caller's WhatsApp session: status, QR while connecting, transport, whether the WA worker runs."""
    return whatsapp.get_status(db(), actor=current_user())


@blp.post("/connect")
@login_required()
@blp.response(202, WaStatus)
def connect():
    """Link the number (a QR follows); 409 wa_already_connecting while connecting or connected."""
    return whatsapp.connect(db(), actor=current_user())


@blp.post("/disconnect")
@login_required()
@blp.response(200, WaStatus)
def disconnect():
    """Unlink the number: the worker logs out and forgets the pairing."""
    return whatsapp.disconnect(db(), actor=current_user())


@blp.get("/qr")
@login_required()
@blp.response(200, WaQr)
def get_qr():
    """The QR to scan while connecting (polling fallback of the wa:qr event)."""
    return whatsapp.get_qr(db(), actor=current_user())


@blp.post("/simulator/scan")
@login_required()
@blp.response(202, WaStatus)
def simulate_scan():
    """Simulator only: play the phone's scan of the QR; 404 with the real transport, 409 when no QR shows."""
    return whatsapp.simulate_scan(db(), actor=current_user())


@blp.post("/check-number")
@login_required()
@blp.arguments(CheckNumberIn)
@blp.response(200, CheckNumberOut)
def check_number(body):
    """Ask WhatsApp whether a number uses it; 409 wa_not_connected, 503 wa_worker_unavailable."""
    return whatsapp.check_number(db(), actor=current_user(), phone=body["phone"])


@blp.post("/send-test")
@login_required()
@blp.arguments(SendTestIn)
@blp.response(202, WaQueued)
def send_test(body):
    """Send a test message from the caller's number now; 409 wa_not_connected (the failure is logged)."""
    return whatsapp.send_test(db(), actor=current_user(), phone=body["phone"], message=body.get("message"))


@blp.post("/send-manual")
@login_required()
@blp.arguments(ManualIn)
@blp.response(202, WaQueued)
def send_manual(body):
    """Send one message to a customer now, from the customer's owner's number; an edited text is sent as is."""
    return whatsapp.send_manual(db(), actor=current_user(), **body)


@blp.post("/preview")
@login_required()
@blp.arguments(ManualIn)
@blp.response(200, PreviewOut)
def preview(body):
    """The text send-manual would send (for the user to read and edit); nothing is sent."""
    return whatsapp.preview_manual(db(), actor=current_user(), **body)


@blp.post("/send-bulk")
@login_required()
@blp.arguments(BulkIn)
@blp.response(202, BulkOut)
def send_bulk(body):
    """Queue a reminder or a custom message for many customers, paced, each from its owner's number."""
    return wa_queue.send_bulk(db(), actor=current_user(), **body)


@blp.get("/customers/<customer_id>/send-options")
@login_required()
@blp.arguments(SendOptionsArgs, location="query")
@blp.response(200, SendOptionsOut)
def send_options(args, customer_id):
    """Before a manual send: the number it goes out from (connected?), the templates that fit, the default one."""
    return whatsapp.send_options(db(), actor=current_user(), customer_id=customer_id, **args)


@blp.post("/senders")
@login_required()
@blp.arguments(SendersIn)
@blp.response(200, SendersOut)
def bulk_senders(body):
    """Before a bulk send: the numbers it would go out from (each customer's owner's) and whether they connect."""
    return wa_queue.bulk_senders(db(), actor=current_user(), **body)


@blp.post("/invoices/<invoice_id>/resend")
@login_required()
@blp.arguments(ResendIn)
@blp.response(202, WaQueued)
def resend_invoice(body, invoice_id):
    """Send an invoice's receipt (paid) or reminder (unpaid) again, now."""
    return whatsapp.resend_invoice(db(), actor=current_user(), invoice_id=invoice_id, kind=body["kind"])


@blp.get("/queue")
@login_required()
@blp.arguments(QueueArgs, location="query")
@blp.response(200, QueuePage)
def list_queue(args):
    """The caller's outbox: counts per status, one page of rows, the reminder plan."""
    return wa_queue.list_queue(db(), actor=current_user(), **args)


@blp.get("/queue/<queue_id>")
@login_required()
@blp.response(200, WaQueueItem)
def get_queue_item(queue_id):
    """One outbox row of the caller's number."""
    return wa_queue.get_queue_item(db(), actor=current_user(), queue_id=queue_id)


@blp.post("/queue/<queue_id>/retry")
@login_required()
@blp.response(200, WaQueueItem)
def retry_queue_item(queue_id):
    """Send a failed row again, now; 409 unless it failed."""
    return wa_queue.retry_queue_item(db(), actor=current_user(), queue_id=queue_id)


@blp.delete("/queue/<queue_id>")
@login_required()
@blp.response(204)
def cancel_queue_item(queue_id):
    """Cancel a row still waiting; 409 unless pending."""
    wa_queue.cancel_queue_item(db(), actor=current_user(), queue_id=queue_id)


@blp.get("/logs")
@login_required()
@blp.arguments(LogArgs, location="query")
@blp.response(200, LogPage)
def list_logs(args):
    """The caller's number's message attempts, newest first (filters messageType, status, from/to in WIB days,
    customerId); failedLast24h feeds the UI's alert."""
    return wa_queue.list_logs(db(), actor=current_user(), **args)


@blp.post("/remind-invoices")
@login_required()
@blp.arguments(RemindInvoicesIn)
@blp.response(202, BulkOut)
def remind_invoices(body):
    """Queue a paced reminder for each named unpaid invoice of the caller (the invoice list's selection)."""
    return wa_remind.remind_invoices(db(), actor=current_user(), invoice_ids=body["invoice_ids"])
