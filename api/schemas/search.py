import marshmallow as ma

from api.schemas.common import CamelSchema, total_fields, trimmed
from api.schemas.customers import CustomerOut
from api.schemas.invoices import InvoiceOut
from shared.services.search import MIN_QUERY


class SearchArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    q = trimmed(required=True, validate=ma.validate.Length(
        min=MIN_QUERY, max=100, error="Ketik minimal 2 huruf (maksimal 100)."),
        metadata={"description": "customer name or phone (as the customer and invoice lists search: "
                                 "word prefixes of the name, prefix or last digits of the phone)"})


SearchCustomers = type("SearchCustomers", (CamelSchema,), {
    "items": ma.fields.List(ma.fields.Nested(CustomerOut)), **total_fields()})
SearchInvoices = type("SearchInvoices", (CamelSchema,), {
    "items": ma.fields.List(ma.fields.Nested(InvoiceOut), metadata={"description": "newest due date first"}),
    **total_fields()})


class SearchOut(CamelSchema):
    q = ma.fields.String()
    customers = ma.fields.Nested(SearchCustomers)
    invoices = ma.fields.Nested(SearchInvoices)
