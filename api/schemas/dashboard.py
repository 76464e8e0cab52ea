import marshmallow as ma

from api.schemas.common import CamelSchema


class RevenuePoint(CamelSchema):
    month = ma.fields.String(metadata={"description": "due month YYYY-MM"})
    label = ma.fields.String(metadata={"description": "e.g. Nov 2026"})
    billed = ma.fields.Integer(metadata={"description": "Rupiah billed (invoices due that month)"})
    paid = ma.fields.Integer(metadata={"description": "Rupiah paid toward those invoices (partial payments included)"})
    received = ma.fields.Integer(metadata={"description": "Rupiah received that month by WIB payment date"})


class GrowthPoint(CamelSchema):
    month = ma.fields.String(metadata={"description": "register month YYYY-MM"})
    label = ma.fields.String()
    new_customers = ma.fields.Integer(metadata={"description": "customers registered that month"})
    total_customers = ma.fields.Integer(metadata={"description": "customers registered up to the end of it"})


class DueSoonItem(CamelSchema):
    id = ma.fields.UUID()
    customer_id = ma.fields.UUID()
    customer_name = ma.fields.String()
    due_date = ma.fields.Date()
    total_amount = ma.fields.Integer()
    status = ma.fields.String(metadata={"description": "unpaid | partial"})


class DueSoon(CamelSchema):
    date_from = ma.fields.Date(data_key="from", metadata={"description": "today (WIB)"})
    date_to = ma.fields.Date(data_key="to", metadata={"description": "today + 6 days"})
    count = ma.fields.Integer(metadata={"description": "all unpaid invoices due in the window"})
    total_amount = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(DueSoonItem), metadata={"description": "the first 10 by due date"})


class DashboardStatsOut(CamelSchema):
    total_customers = ma.fields.Integer()
    active_customers = ma.fields.Integer()
    isolated_customers = ma.fields.Integer()
    inactive_customers = ma.fields.Integer()
    package_count = ma.fields.Integer(metadata={"description": "active packages"})
    mitra_count = ma.fields.Integer(allow_none=True, metadata={"description": "active mitra; null for a mitra"})
    month = ma.fields.String(metadata={"description": "this collection month YYYY-MM (invoices due in it, WIB)"})
    month_label = ma.fields.String(metadata={"description": "e.g. November 2026"})
    billed_amount = ma.fields.Integer()
    paid_amount = ma.fields.Integer(metadata={"description": "paid toward this month's invoices, partials included"})
    unpaid_amount = ma.fields.Integer(metadata={"description": "still owed on this month's invoices"})
    received_amount = ma.fields.Integer(metadata={
        "description": "money received this month by WIB payment date (any invoice, partial payments included)"})
    received_today = ma.fields.Integer(metadata={"description": "money received today (WIB)"})
    invoice_count = ma.fields.Integer()
    paid_count = ma.fields.Integer()
    unpaid_count = ma.fields.Integer()
    collection_rate = ma.fields.Float(metadata={"description": "paid / billed × 100, one decimal"})
    revenue_series = ma.fields.List(ma.fields.Nested(RevenuePoint), metadata={"description": "12 months, oldest first"})
    customer_growth = ma.fields.List(ma.fields.Nested(GrowthPoint), metadata={"description": "12 months"})
    due_soon = ma.fields.Nested(DueSoon)


class DashboardQueryArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    owner_id = ma.fields.UUID(metadata={"description": "superadmin only: one owner's figures"})
