import marshmallow as ma

from api.schemas.common import CamelSchema
from api.schemas.invoices import InvoiceOut


class InvoiceGroupOut(CamelSchema):
    count = ma.fields.Integer(metadata={"description": "all matching unpaid invoices"})
    total_amount = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(InvoiceOut), metadata={"description": "the first 20, oldest due first"})


class CollectedOut(CamelSchema):
    amount = ma.fields.Integer(metadata={"description": "Rupiah received today (WIB)"})
    count = ma.fields.Integer(metadata={"description": "payments received today"})


class CollectorTodayOut(CamelSchema):
    date = ma.fields.Date(metadata={"description": "today (WIB)"})
    due_today = ma.fields.Nested(InvoiceGroupOut)
    overdue = ma.fields.Nested(InvoiceGroupOut, metadata={"description": "unpaid, due before today"})
    collected_today = ma.fields.Nested(CollectedOut)
