"""Schema base classes: camelCase JSON over snake_case attributes, list envelopes, query paging."""

import marshmallow as ma

from shared.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE


def camelcase(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.title() for part in tail)


class CamelSchema(ma.Schema):
    """Field `total_bill` is `totalBill` on the wire; unknown input fields are rejected."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.data_key = camelcase(field_obj.data_key or field_name)


class PageArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
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
