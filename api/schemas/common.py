"""Schema base classes: camelCase JSON over snake_case attributes, list envelopes, query paging."""

from collections.abc import Mapping

import marshmallow as ma

from shared.naming import camelcase
from shared.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE


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


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{items, total, page, perPage}` envelope schema for a list endpoint."""
    return type(name, (CamelSchema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "total": ma.fields.Integer(),
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
        return result.strip() if isinstance(result, str) else result
