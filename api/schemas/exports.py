"""Export requests: a format plus the filters of the list they export."""

from datetime import date
from enum import Enum
from uuid import UUID

import marshmallow as ma

from api.schemas.common import CamelSchema, camelcase, date_field, period_field, trimmed
from api.schemas.customers import BILLING_DATE, SORT_CHOICES
from shared.models import CustomerStatus, PaymentStatus
from shared.services.spreadsheet import CSV_DELIMITERS, DEFAULT_CSV_DELIMITER, FORMATS


class ExportArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(FORMATS, error="Format harus csv atau xlsx."))
    delimiter = ma.fields.String(
        load_default=DEFAULT_CSV_DELIMITER, validate=ma.validate.OneOf(CSV_DELIMITERS, error="Pemisah CSV harus ; atau ,."),
        metadata={"description": "CSV separator: `;` (default, what Excel set to Indonesian expects) or `,`"})


class CustomerExportArgs(ExportArgs):
    q = trimmed(validate=ma.validate.Length(max=100))
    status = ma.fields.Enum(CustomerStatus, by_value=True)
    package_id = ma.fields.UUID()
    owner_id = ma.fields.UUID()
    area = trimmed(validate=ma.validate.Length(max=255))
    billing_date = ma.fields.Integer(validate=BILLING_DATE)
    sort = ma.fields.String(load_default="name", validate=ma.validate.OneOf(SORT_CHOICES))


class FinanceExportArgs(ExportArgs):
    """A due-date range (default this collection month); a mitra's ownerId may only be their own."""

    date_from = date_field(data_key="from", metadata={"description": "first due date (inclusive)"})
    date_to = date_field(data_key="to", metadata={"description": "last due date (inclusive)"})
    owner_id = ma.fields.UUID()


class InvoiceExportArgs(FinanceExportArgs):
    period = period_field(metadata={"description": "invoice period YYYY-MM (instead of from/to)"})
    status = ma.fields.Enum(PaymentStatus, by_value=True)


def export_params(args: dict) -> tuple[str, dict]:
    """The format and the filters as JSON-safe camelCase values, the way they travel to the worker."""
    fmt = args.pop("format")
    if fmt != "csv":
        args.pop("delimiter", None)
    aliases = {"date_from": "from", "date_to": "to"}
    params = {aliases.get(key, camelcase(key)): _plain(value) for key, value in args.items() if value is not None}
    return fmt, params


def _plain(value):
    if isinstance(value, date | UUID):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    return value.value if isinstance(value, Enum) else value
