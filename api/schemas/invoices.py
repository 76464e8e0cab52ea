import marshmallow as ma

from api.schemas.common import (
    INT32_MAX,
    VERSION_ERROR,
    CamelSchema,
    PageArgs,
    date_field,
    page_schema,
    period_field,
    trimmed,
    version_field,
)
from shared.models import CustomerStatus, PaymentStatus
from shared.services.invoices import PAYMENT_METHODS, SORTS

SORT_CHOICES = [key for name in SORTS for key in (name, f"-{name}")]


class InvoiceCustomerOut(CamelSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    phone = ma.fields.String()
    status = ma.fields.Enum(CustomerStatus, by_value=True)


class PaymentOut(CamelSchema):
    """One payment toward an invoice."""

    id = ma.fields.UUID()
    amount = ma.fields.Integer()
    payment_method = ma.fields.String()
    payment_note = ma.fields.String(allow_none=True)
    paid_at = ma.fields.DateTime()
    paid_by = ma.fields.UUID(allow_none=True, metadata={"description": "The user who recorded it."})
    paid_by_name = ma.fields.String(allow_none=True)


class InvoiceOut(CamelSchema):
    id = ma.fields.UUID()
    customer_id = ma.fields.UUID()
    customer = ma.fields.Nested(InvoiceCustomerOut)
    owner_id = ma.fields.UUID()
    area = ma.fields.String(metadata={"description": "The owner's businessName."})
    package_name = ma.fields.String(metadata={"description": "The customer's current package."})
    package_speed = ma.fields.String()
    period = ma.fields.String(metadata={"description": "YYYY-MM, the month paid for (prepaid)."})
    amount = ma.fields.Integer()
    discount = ma.fields.Integer()
    total_amount = ma.fields.Integer()
    status = ma.fields.Enum(PaymentStatus, by_value=True, metadata={
        "description": "unpaid (nothing paid), partial (0 < paidAmount < totalAmount), paid"})
    paid_amount = ma.fields.Integer(metadata={"description": "The sum of the payments."})
    remaining_amount = ma.fields.Integer(metadata={"description": "totalAmount - paidAmount."})
    payments = ma.fields.List(ma.fields.Nested(PaymentOut), metadata={"description": "Oldest first."})
    paid_at = ma.fields.DateTime(allow_none=True, metadata={"description": "When it was paid in full."})
    paid_by = ma.fields.UUID(allow_none=True)
    paid_by_name = ma.fields.String(allow_none=True)
    payment_method = ma.fields.String(allow_none=True)
    payment_note = ma.fields.String(allow_none=True)
    due_date = ma.fields.Date()
    receipt_token = ma.fields.String(allow_none=True)
    receipt_url = ma.fields.String(allow_none=True, metadata={"description": "Path of the public receipt page."})
    reminder_sent_at = ma.fields.DateTime(allow_none=True, metadata={"description": "Last reminder delivered."})
    receipt_sent_at = ma.fields.DateTime(allow_none=True, metadata={"description": "Last receipt delivered."})
    isolir_sent_at = ma.fields.DateTime(allow_none=True, metadata={
        "description": "Last isolation notice delivered while this invoice was unpaid."})
    version = ma.fields.Integer(metadata={"description": "Send back with pay/unpay (optimistic lock)."})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


InvoicePage = page_schema(InvoiceOut, "InvoicePage")


class InvoiceQueryArgs(PageArgs):
    period = period_field()
    status = ma.fields.Enum(PaymentStatus, by_value=True)
    owner_id = ma.fields.UUID(metadata={"description": "Superadmin: one owner's invoices."})
    customer_id = ma.fields.UUID()
    from_ = date_field(data_key="from", metadata={"description": "Due date on or after (YYYY-MM-DD)."})
    to = date_field(metadata={"description": "Due date on or before (YYYY-MM-DD)."})
    q = trimmed(validate=ma.validate.Length(max=100), metadata={"description": "Customer name or phone, as "
                                                                            "/api/customers searches."})
    sort = ma.fields.String(load_default="dueDate", validate=ma.validate.OneOf(SORT_CHOICES))

    @ma.validates_schema
    def _range_in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError({"to": ["Tanggal akhir harus sesudah tanggal awal."]})


class GenerateIn(CamelSchema):
    period = period_field(metadata={"description": "YYYY-MM; default next month (WIB)."})
    owner_id = ma.fields.UUID(allow_none=True, metadata={"description": "Only this owner's customers."})


class PayIn(CamelSchema):
    version = version_field(required=True)
    payment_method = ma.fields.String(required=True, validate=ma.validate.OneOf(
        PAYMENT_METHODS, error="Metode pembayaran harus salah satu dari: cash, transfer, qris, ewallet, other."))
    payment_note = trimmed(allow_none=True, validate=ma.validate.Length(max=500))


class PaymentIn(PayIn):
    amount = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(
        min=1, max=2_147_483_647, error="Jumlah bayar harus lebih dari Rp 0."), metadata={
        "description": "Rupiah paid now; at most the remaining amount (else 422 amount_exceeds_remaining)."})


class UnpayIn(CamelSchema):
    version = version_field(required=True)


class UndoPaymentArgs(CamelSchema):
    # A query string is text: the number is parsed, not required to be a JSON integer.
    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=INT32_MAX, error=VERSION_ERROR),
                                metadata={"description": "The invoice's current version."})


_PAID_ONLY = "Only when status is paid (an unpaid bill's public page shows no payment details)"


class ReceiptPaymentOut(CamelSchema):
    amount = ma.fields.Integer(required=True)
    paid_at = ma.fields.DateTime(required=True)
    payment_method_label = ma.fields.String(metadata={"description": "receipt_show_payment_method"})


class ReceiptOut(CamelSchema):
    """The public receipt (no login). Fields switched off in the receipt settings are absent, not null.

    Unpaid (or partial) invoices: a bill, with no payment field (paidAt, method, who recorded it) and no personal
    field; a partial one lists its payments (amount, date) and the remaining amount. Paid invoices: the receipt, with paidAt and the toggled payment fields. Phone and NIK, when toggled on,
    are masked to their last 4 digits; the name is masked when `receipt_mask_customer_name` is on.
    """

    invoice_number = ma.fields.String(required=True)
    period = ma.fields.String(required=True)
    period_label = ma.fields.String(required=True)
    due_date = ma.fields.Date(required=True)
    total_amount = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["unpaid", "paid", "partial"]})
    customer_name = ma.fields.String(required=True, metadata={
        "description": "masked (\"Bu***i Sa***o\") when receipt_mask_customer_name is on"})
    receipt_url = ma.fields.String(allow_none=True)
    footer_text = ma.fields.String(required=True)
    company_name = ma.fields.String(metadata={"description": "receipt_show_company_name (app_name)"})
    business_name = ma.fields.String(metadata={"description": "receipt_show_company_name (owner)"})
    logo_url = ma.fields.String(allow_none=True, metadata={"description": "receipt_logo_enabled"})
    area = ma.fields.String(metadata={"description": "receipt_show_area"})
    package_name = ma.fields.String(metadata={"description": "receipt_show_package"})
    package_speed = ma.fields.String(metadata={"description": "receipt_show_package"})
    amount = ma.fields.Integer(metadata={"description": "receipt_show_discount"})
    discount = ma.fields.Integer(metadata={"description": "receipt_show_discount"})
    paid_at = ma.fields.DateTime(metadata={"description": f"{_PAID_ONLY}; always there on a paid receipt"})
    paid_amount = ma.fields.Integer(required=True, metadata={"description": "Paid so far (partial payments)."})
    remaining_amount = ma.fields.Integer(required=True, metadata={"description": "Sisa tagihan."})
    payments = ma.fields.List(ma.fields.Nested(ReceiptPaymentOut), required=True, metadata={
        "description": "Paid and partial invoices: each payment (amount, when; method when toggled on)."})
    customer_phone = ma.fields.String(metadata={
        "description": f"{_PAID_ONLY}; receipt_show_customer_phone; masked: ********0001"})
    nik = ma.fields.String(metadata={"description": f"{_PAID_ONLY}; receipt_show_nik; masked: ************0001"})
    payment_method = ma.fields.String(allow_none=True, metadata={
        "description": f"{_PAID_ONLY}; receipt_show_payment_method"})
    payment_method_label = ma.fields.String(allow_none=True, metadata={
        "description": f"{_PAID_ONLY}; receipt_show_payment_method"})
    paid_by_name = ma.fields.String(allow_none=True, metadata={"description": f"{_PAID_ONLY}; receipt_show_paid_by"})
