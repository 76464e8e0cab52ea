"""Schema base classes: camelCase JSON over snake_case attributes, list envelopes, query paging."""

from collections.abc import Mapping
from datetime import date

import marshmallow as ma

from shared.naming import camelcase
from shared.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from shared.services.periods import PERIOD_PATTERN


class CamelSchema(ma.Schema):
    """Field `total_bill` is `totalBill` on the wire; unknown input fields are rejected."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelcase(field_obj.data_key or field_name)

    @ma.pre_load
    def _refuse_nul_characters(self, data, **kwargs):
        # PostgreSQL text cannot hold NUL; refuse it here as bad input rather than fail (500) on INSERT.
        if isinstance(data, Mapping):
            bad = [key for key, value in data.items() if has_nul(value)]
            if bad:
                raise ma.ValidationError({key: [NUL_ERROR] for key in bad})
        return data


NUL_ERROR = "Teks tidak boleh mengandung karakter NUL."


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class PageArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=DEFAULT_PER_PAGE, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))


TOTAL_DESCRIPTION = ("Matching rows, counted up to 10 000 (or to the end of the page asked for); when there are "
                     "more, this is that cap and totalCapped is true.")
TOTAL_CAPPED_DESCRIPTION = "True when total is a lower bound (shown as \"10.000+\"), false when it is exact."


def total_fields() -> dict:
    """`total` and `totalCapped` of a list envelope (shared.pagination counts at most COUNT_CAP rows)."""
    return {"total": ma.fields.Integer(metadata={"description": TOTAL_DESCRIPTION}),
            "total_capped": ma.fields.Boolean(dump_default=False, metadata={"description": TOTAL_CAPPED_DESCRIPTION})}


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{items, total, totalCapped, page, perPage}` envelope schema for a list endpoint."""
    return type(name, (CamelSchema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        **total_fields(),
        "page": ma.fields.Integer(),
        "per_page": ma.fields.Integer(),
    })


class ErrorBody(ma.Schema):
    code = ma.fields.String()
    message = ma.fields.String()
    details = ma.fields.Dict()


class ErrorEnvelope(ma.Schema):
    error = ma.fields.Nested(ErrorBody)


class JobAccepted(CamelSchema):
    job_id = ma.fields.String(required=True)


def trimmed(**kwargs) -> ma.fields.String:
    """A string field that strips surrounding spaces."""
    return TrimmedString(**kwargs)


class TrimmedString(ma.fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        if not isinstance(result, str):
            return result
        # The documented maxLength is of the text as sent: check it before trimming as well (a raw value is never
        # shorter than its trimmed one, so the min check after trimming stays the stricter one).
        for validator in self.validators:
            if isinstance(validator, ma.validate.Length):
                validator(result)
        return result.strip()


# ---------------------------------------------------------------------------------------------
# Shared input field types: the one place where the calendar and integer bounds of the input are set, so an
# edge value (year 0, 9999-12-31 + 1 day, a version beyond PostgreSQL's integer) is a 422, never a 500 deeper in.

FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
INT32_MAX = 2**31 - 1  # PostgreSQL `integer`
PERIOD_ERROR = "Periode harus berformat YYYY-MM (tahun 2000–2100), contoh 2026-03."
DATE_ERROR = f"Tanggal harus antara {FIRST_DATE.isoformat()} dan {LAST_DATE.isoformat()}."
VERSION_ERROR = "Versi tidak valid."
PERIOD = ma.validate.Regexp(PERIOD_PATTERN, error=PERIOD_ERROR)


def period_field(**kwargs) -> ma.fields.String:
    """A "YYYY-MM" period of the years the product bills in (parse_period and add_months stay in range)."""
    return ma.fields.String(validate=PERIOD, **kwargs)


def date_field(**kwargs) -> ma.fields.Date:
    """An input date within FIRST_DATE..LAST_DATE, so a day before or after it (range ends) is still a date."""
    return ma.fields.Date(validate=ma.validate.Range(min=FIRST_DATE, max=LAST_DATE, error=DATE_ERROR), **kwargs)


def version_field(**kwargs) -> ma.fields.Integer:
    """An optimistic-lock version as the client sends it back: a positive PostgreSQL integer."""
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=INT32_MAX, error=VERSION_ERROR),
                             **kwargs)


class JsonBoolean(ma.fields.Boolean):
    """A JSON body's boolean: `true`/`false` only (marshmallow's Boolean also takes 0, 1, "yes", "on" ...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class JsonInteger(ma.fields.Integer):
    """A JSON body's integer: strict, and `true`/`false` are not 1/0 (Python's bool is an int)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)
