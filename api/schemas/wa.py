import marshmallow as ma

from api.schemas.common import CamelSchema, PageArgs, date_field, period_field, total_fields, trimmed
from api.schemas.customers import CustomerOut
from api.schemas.invoices import InvoiceOut
from shared.services.wa_queue import BULK_MAX, BULK_TEMPLATES, LOG_STATUSES, MESSAGE_TYPES, QUEUE_STATUSES
from shared.services.whatsapp import MANUAL_TEMPLATES, MESSAGE_MAX

MESSAGE = ma.validate.Length(min=1, max=MESSAGE_MAX, error=f"Pesan harus 1–{MESSAGE_MAX} karakter.")


class WaStatus(CamelSchema):
    session_id = ma.fields.UUID()
    status = ma.fields.String(metadata={"description": "disconnected | connecting | connected | logged_out | banned "
                                                       "| outdated"})
    phone_number = ma.fields.String(allow_none=True)
    last_connected_at = ma.fields.DateTime(allow_none=True)
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why the session stopped (ban, logout...)."})
    paused_until = ma.fields.DateTime(allow_none=True, metadata={"description": "Paced sends stop until then."})
    pause_reason = ma.fields.String(allow_none=True)
    transport = ma.fields.String(metadata={"description": "neonize | simulator (the UI shows a SIMULASI badge)"})
    worker_alive = ma.fields.Boolean(metadata={"description": "False: no WA worker has reported (its heartbeat) for 30 s."})
    qr = ma.fields.String(allow_none=True, metadata={"description": "The QR to scan while connecting."})


class WaQr(CamelSchema):
    qr = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime(allow_none=True)
    status = ma.fields.String()


class CheckNumberIn(CamelSchema):
    phone = trimmed(required=True, validate=ma.validate.Length(min=1, max=30))


class CheckNumberOut(CamelSchema):
    phone = ma.fields.String(metadata={"description": "Normalised, 62…"})
    on_whatsapp = ma.fields.Boolean()
    jid = ma.fields.String(allow_none=True)


class SendTestIn(CamelSchema):
    phone = trimmed(required=True, validate=ma.validate.Length(min=1, max=30))
    message = ma.fields.String(validate=MESSAGE, metadata={"description": "Default: a test line with the time."})


class WaQueued(CamelSchema):
    queue_id = ma.fields.UUID()
    status = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "direct | paced"})
    scheduled_at = ma.fields.DateTime()


class _WithCustomMessage(CamelSchema):
    """The spec's `customMessage`, with the product's older `message` kept as an alias (both: they must agree)."""

    custom_message = ma.fields.String(allow_none=True, validate=MESSAGE, metadata={
        "description": "Required for custom ({nama} = the customer's name); for a template, the edited text, "
                       "sent as is. The spec's name; `message` is an alias."})
    message = ma.fields.String(allow_none=True, validate=MESSAGE, metadata={
        "description": "Alias of customMessage (kept for older clients)."})

    @ma.validates_schema
    def _one_message(self, data, **kwargs):
        spec, alias = data.get("custom_message"), data.get("message")
        if spec is not None and alias is not None and spec != alias:
            raise ma.ValidationError("customMessage dan message berbeda; kirim salah satu saja.", "customMessage")
        if data.get("template") == "custom" and not (spec or alias or "").strip():
            raise ma.ValidationError("Tulis pesan untuk template custom.",
                                     "message" if "message" in data else "customMessage")

    @ma.post_load
    def _merge_message(self, data, **kwargs):
        spec = data.pop("custom_message", None)
        if spec is not None:
            data["message"] = spec
        return data


class ManualIn(_WithCustomMessage):
    customer_id = ma.fields.UUID(required=True)
    invoice_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "reminder: default the latest unpaid invoice; receipt: default the latest paid one."})
    template = ma.fields.String(required=True, validate=ma.validate.OneOf(MANUAL_TEMPLATES))


class PreviewOut(CamelSchema):
    message = ma.fields.String()
    phone = ma.fields.String()
    customer_name = ma.fields.String()


class BulkFilter(CamelSchema):
    invoice_status = ma.fields.String(load_default="unpaid", validate=ma.validate.OneOf(["unpaid"]))
    due_date = date_field()
    period = period_field()


class BulkIn(_WithCustomMessage):
    customer_ids = ma.fields.List(ma.fields.UUID(), validate=ma.validate.Length(
        min=1, max=BULK_MAX, error=f"Pilih 1–{BULK_MAX} pelanggan."))
    filter = ma.fields.Nested(BulkFilter, metadata={"description": "Instead of customerIds: the caller's unpaid "
                                                                   "invoices (optionally one due date or period)."})
    template = ma.fields.String(required=True, validate=ma.validate.OneOf(BULK_TEMPLATES))

    @ma.validates_schema
    def _one_target(self, data, **kwargs):
        if ("customer_ids" in data) == ("filter" in data):
            raise ma.ValidationError("Pilih pelanggan (customerIds) atau filter, salah satu saja.", "customerIds")


class BulkOut(CamelSchema):
    queued = ma.fields.Integer()
    skipped = ma.fields.Integer()
    skipped_reasons = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), metadata={
        "description": "notActive (isolated/inactive, reminders), noUnpaidInvoice, alreadyQueued, "
                       "alreadyPaid, sentToday (remind-invoices)"})
    first_at = ma.fields.DateTime(allow_none=True)
    last_at = ma.fields.DateTime(allow_none=True)


class SenderOut(CamelSchema):
    """The number a customer's messages go out from: always the customer's owner's (DESIGN §7)."""

    owner_id = ma.fields.UUID()
    owner_name = ma.fields.String()
    business_name = ma.fields.String()
    username = ma.fields.String()
    is_own = ma.fields.Boolean(metadata={"description": "The caller's own number."})
    phone_number = ma.fields.String(allow_none=True, metadata={"description": "The linked number (62…), if any."})
    status = ma.fields.String(metadata={"description": "The number's session status (connected, disconnected…)."})
    connected = ma.fields.Boolean(metadata={
        "description": "False: a manual send fails (logged); a bulk send skips these customers."})
    customer_count = ma.fields.Integer(allow_none=True, metadata={"description": "Bulk: customers it would reach."})


class TemplateOption(CamelSchema):
    template = ma.fields.String()
    available = ma.fields.Boolean()
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why it does not fit (Indonesian)."})


class SendOptionsArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    invoice_id = ma.fields.UUID(metadata={"description": "The send is about this invoice (from its page)."})


class SendOptionsOut(CamelSchema):
    customer_id = ma.fields.UUID()
    default_template = ma.fields.String(metadata={"description": "reminder when something is unpaid, else custom "
                                                                 "(with invoiceId: reminder or receipt)."})
    templates = ma.fields.List(ma.fields.Nested(TemplateOption))
    sender = ma.fields.Nested(SenderOut)


class SendersIn(CamelSchema):
    customer_ids = ma.fields.List(ma.fields.UUID(), validate=ma.validate.Length(
        min=1, max=BULK_MAX, error=f"Pilih 1–{BULK_MAX} pelanggan."))
    filter = ma.fields.Nested(BulkFilter, metadata={"description": "As send-bulk's filter."})

    @ma.validates_schema
    def _one_target(self, data, **kwargs):
        if ("customer_ids" in data) == ("filter" in data):
            raise ma.ValidationError("Pilih pelanggan (customerIds) atau filter, salah satu saja.", "customerIds")


class SendersOut(CamelSchema):
    items = ma.fields.List(ma.fields.Nested(SenderOut))


class ResendIn(CamelSchema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["receipt", "reminder"]))


class WaQueueItem(CamelSchema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    message_type = ma.fields.String()
    status = ma.fields.String()
    phone = ma.fields.String()
    content = ma.fields.String()
    customer_id = ma.fields.UUID(allow_none=True)
    customer_name = ma.fields.String(allow_none=True)
    invoice_id = ma.fields.UUID(allow_none=True)
    scheduled_at = ma.fields.DateTime()
    sent_at = ma.fields.DateTime(allow_none=True)
    retry_count = ma.fields.Integer()
    max_retries = ma.fields.Integer()
    error_message = ma.fields.String(allow_none=True)
    due_date = ma.fields.Date(allow_none=True, metadata={"description": "A reminder's due date."})
    created_at = ma.fields.DateTime()


class QueueCounts(CamelSchema):
    pending = ma.fields.Integer()
    sending = ma.fields.Integer()
    sent = ma.fields.Integer()
    failed = ma.fields.Integer()
    cancelled = ma.fields.Integer()


class ReminderPlanItem(CamelSchema):
    due_date = ma.fields.Date()
    total = ma.fields.Integer()
    queued = ma.fields.Integer(metadata={"description": "pending or sending"})
    sent = ma.fields.Integer()
    failed = ma.fields.Integer()
    started_early = ma.fields.Boolean(metadata={"description": "Too many for one day: started before H-1 "
                                                                "(\"dimulai lebih awal\")."})
    first_at = ma.fields.DateTime()
    last_at = ma.fields.DateTime()


class SendWindowOut(CamelSchema):
    start = ma.fields.String(metadata={"description": "HH:MM WIB: paced sends start (setting wa_send_window_start)"})
    end = ma.fields.String(metadata={"description": "HH:MM WIB: paced sends stop (setting wa_send_window_end)"})
    open = ma.fields.Boolean(metadata={"description": "Whether paced sends may go out now (on the number's clock)."})
    opens_at = ma.fields.DateTime(metadata={"description": "When paced sends go out next: now if open, else the "
                                                           "next window start."})


class QueueArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(QUEUE_STATUSES))


class QueuePage(CamelSchema):
    counts = ma.fields.Nested(QueueCounts)
    items = ma.fields.List(ma.fields.Nested(WaQueueItem))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    plan = ma.fields.List(ma.fields.Nested(ReminderPlanItem), metadata={
        "description": "The number's reminders per due date from today on."})
    send_window = ma.fields.Nested(SendWindowOut, metadata={
        "description": "Waking hours: reminders and bulk sends go out only inside this WIB window."})


class LogArgs(PageArgs):
    message_type = ma.fields.String(validate=ma.validate.OneOf(MESSAGE_TYPES))
    type = ma.fields.String(validate=ma.validate.OneOf(MESSAGE_TYPES), metadata={"description": "Alias of messageType."})
    status = ma.fields.String(validate=ma.validate.OneOf(LOG_STATUSES))
    from_ = date_field(data_key="from", metadata={"description": "Sent on or after this WIB date (YYYY-MM-DD)."})
    to = date_field(metadata={"description": "Sent on or before this WIB date (YYYY-MM-DD)."})
    date_from = date_field(metadata={"description": "Alias of from."})
    date_to = date_field(metadata={"description": "Alias of to."})
    customer_id = ma.fields.UUID(metadata={
        "description": "One customer's messages (the customer's history). A mitra sees only its own number's logs, "
                       "so another mitra's customer gives an empty list; the superadmin sees that customer's "
                       "messages from any number."})

    @ma.validates_schema
    def _aliases_agree(self, data, **kwargs):
        for spec, alias, key in (("message_type", "type", "messageType"), ("from_", "date_from", "from"),
                                 ("to", "date_to", "to")):
            if data.get(spec) is not None and data.get(alias) is not None and data[spec] != data[alias]:
                raise ma.ValidationError({key: [f"{key} dan aliasnya berbeda; kirim salah satu saja."]})
        start, end = data.get("from_") or data.get("date_from"), data.get("to") or data.get("date_to")
        if start and end and start > end:
            raise ma.ValidationError({"to": ["Tanggal akhir harus sesudah tanggal awal."]})

    @ma.post_load
    def _merge_aliases(self, data, **kwargs):
        for spec, alias in (("message_type", "type"), ("from_", "date_from"), ("to", "date_to")):
            value = data.pop(alias, None)
            if data.get(spec) is None and value is not None:
                data[spec] = value
        return data


class WaLogItem(CamelSchema):
    id = ma.fields.UUID()
    queue_id = ma.fields.UUID(allow_none=True)
    customer_id = ma.fields.UUID(allow_none=True)
    customer_name = ma.fields.String(allow_none=True)
    invoice_id = ma.fields.UUID(allow_none=True)
    message_type = ma.fields.String()
    phone = ma.fields.String()
    content = ma.fields.String()
    status = ma.fields.String(metadata={"description": "sent | delivered | failed"})
    error_message = ma.fields.String(allow_none=True)
    sent_at = ma.fields.DateTime()


class LogPage(CamelSchema):
    items = ma.fields.List(ma.fields.Nested(WaLogItem))
    total = total_fields()["total"]
    total_capped = total_fields()["total_capped"]
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    failed_last24h = ma.fields.Integer(data_key="failedLast24h")


class WaOutcome(CamelSchema):
    """What happened to an automatic message (receipt on pay, isolation notice)."""

    status = ma.fields.String(metadata={"description": "queued | failed"})
    reason = ma.fields.String(allow_none=True)
    queue_id = ma.fields.UUID(allow_none=True)


class PaidInvoiceOut(InvoiceOut):
    wa_receipt = ma.fields.Nested(WaOutcome, allow_none=True, metadata={
        "description": "The WhatsApp receipt: queued from the owner's number, or failed (payment still made)."})


class IsolationOut(CustomerOut):
    wa_notice = ma.fields.Nested(WaOutcome, allow_none=True, metadata={
        "description": "The isolation notice (or reactivation note) from the owner's number."})


class RemindInvoicesIn(CamelSchema):
    invoice_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=ma.validate.Length(
        min=1, max=BULK_MAX, error=f"Pilih 1–{BULK_MAX} tagihan."), metadata={
        "description": "The caller's own invoices; paid ones and not-active customers are skipped."})
