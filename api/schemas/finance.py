"""Finance figures: the money fields every row shares, the filters, and each endpoint's envelope."""

import marshmallow as ma

from api.schemas.common import CamelSchema, PageArgs, date_field, period_field
from shared.models import PaymentStatus

YEAR = ma.validate.Range(min=2000, max=2100, error="Tahun harus antara 2000 dan 2100.")


class FinanceQueryArgs(CamelSchema):
    """`period` (invoice period) or `from`/`to` (due dates); neither: this collection month."""

    class Meta:
        unknown = ma.EXCLUDE

    period = period_field(metadata={"description": "invoice period YYYY-MM"})
    date_from = date_field(data_key="from", metadata={"description": "first due date (inclusive)"})
    date_to = date_field(data_key="to", metadata={"description": "last due date (inclusive)"})
    owner_id = ma.fields.UUID(metadata={"description": "superadmin: one owner; a mitra: only their own id"})


class MoneyFields(CamelSchema):
    total_amount = ma.fields.Integer(metadata={"description": "billed Rupiah (sum of totalAmount)"})
    paid_amount = ma.fields.Integer(metadata={
        "description": "Rupiah paid toward these invoices, partial payments included"})
    unpaid_amount = ma.fields.Integer(metadata={"description": "Rupiah still owed on them (totalAmount - paidAmount)"})
    invoice_count = ma.fields.Integer()
    paid_count = ma.fields.Integer()
    unpaid_count = ma.fields.Integer(metadata={"description": "unpaid and partial invoices"})
    collection_rate = ma.fields.Float(metadata={"description": "paidAmount / totalAmount × 100, one decimal"})


class SelectionFields(CamelSchema):
    """What the figures cover, for the UI to show (e.g. "Bulan ini: November 2026")."""

    period = ma.fields.String(allow_none=True, metadata={"description": "the period filter, if any"})
    period_label = ma.fields.String(allow_none=True, metadata={"description": "e.g. Desember 2026"})
    date_from = ma.fields.Date(data_key="from", allow_none=True, metadata={"description": "first due date"})
    date_to = ma.fields.Date(data_key="to", allow_none=True, metadata={"description": "last due date"})
    month = ma.fields.String(allow_none=True,
                             metadata={"description": "YYYY-MM when no filter was given: this collection month"})
    month_label = ma.fields.String(allow_none=True, metadata={"description": "e.g. November 2026"})


class FinanceSummaryOut(MoneyFields, SelectionFields):
    received_amount = ma.fields.Integer(allow_none=True, metadata={
        "description": "money received (every payment, partial ones included) by WIB payment date within from/to "
                       "(this month when no filter); null with `period` (its money in is paidAmount)"})
    received_count = ma.fields.Integer(allow_none=True, metadata={"description": "payments in receivedAmount"})


class ByPeriodArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    view = ma.fields.String(load_default="month", validate=ma.validate.OneOf(["month", "year"]))
    year = ma.fields.Integer(validate=YEAR, metadata={"description": "view=month: the year (default this year)"})
    owner_id = ma.fields.UUID()


class ByPeriodRow(MoneyFields):
    month = ma.fields.String(metadata={"description": "view=month: due month YYYY-MM"})
    year = ma.fields.Integer(metadata={"description": "view=year: due year"})
    label = ma.fields.String(metadata={"description": "e.g. Januari 2026, or 2026"})


class ByPeriodOut(CamelSchema):
    view = ma.fields.String()
    year = ma.fields.Integer(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(ByPeriodRow))


class ByDateArgs(PageArgs):
    date = date_field(required=True, metadata={"description": "due date YYYY-MM-DD"},
                          error_messages={"required": "Pilih tanggal (date=YYYY-MM-DD)."})
    owner_id = ma.fields.UUID()
    status = ma.fields.Enum(PaymentStatus, by_value=True)


class InvoiceDetailOut(CamelSchema):
    id = ma.fields.UUID()
    customer_id = ma.fields.UUID()
    customer_name = ma.fields.String()
    customer_phone = ma.fields.String()
    area = ma.fields.String()
    package_name = ma.fields.String()
    package_speed = ma.fields.String()
    period = ma.fields.String()
    due_date = ma.fields.Date()
    amount = ma.fields.Integer()
    discount = ma.fields.Integer()
    total_amount = ma.fields.Integer()
    status = ma.fields.Enum(PaymentStatus, by_value=True)
    paid_at = ma.fields.DateTime(allow_none=True)
    paid_by_name = ma.fields.String(allow_none=True)
    payment_method = ma.fields.String(allow_none=True)


class ByDateOut(CamelSchema):
    date = ma.fields.Date()
    summary = ma.fields.Nested(MoneyFields, metadata={"description": "the whole day, whatever the status filter"})
    items = ma.fields.List(ma.fields.Nested(InvoiceDetailOut))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class ByMitraRow(MoneyFields):
    owner_id = ma.fields.UUID()
    owner_name = ma.fields.String()
    area = ma.fields.String(metadata={"description": "the owner's businessName"})
    role = ma.fields.String(metadata={"description": "superadmin | mitra"})


class ByMitraOut(SelectionFields):
    items = ma.fields.List(ma.fields.Nested(ByMitraRow))
    summary = ma.fields.Nested(MoneyFields, metadata={"description": "all rows together"})
