import marshmallow as ma

from api.schemas.common import CamelSchema, JsonBoolean, JsonInteger, PageArgs, page_schema, trimmed
from shared.services.packages import MAX_PRICE

PRICE_RANGE = ma.validate.Range(min=0, max=MAX_PRICE, error="Harga harus antara Rp 0 dan Rp 100.000.000.")


class PackageOut(CamelSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    speed = ma.fields.String()
    price = ma.fields.Integer(metadata={"description": "Rupiah"})
    description = ma.fields.String(allow_none=True)
    is_active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    customer_count = ma.fields.Integer(allow_none=True, metadata={"description": "superadmin only; null for mitra"})


class PackageIn(CamelSchema):
    name = trimmed(required=True, validate=ma.validate.Length(min=1, max=255))
    speed = trimmed(required=True, validate=ma.validate.Length(min=1, max=50))
    price = JsonInteger(required=True, validate=PRICE_RANGE)
    description = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))
    is_active = JsonBoolean(load_default=True)


class PackageUpdateIn(CamelSchema):
    name = trimmed(validate=ma.validate.Length(min=1, max=255))
    speed = trimmed(validate=ma.validate.Length(min=1, max=50))
    price = JsonInteger(validate=PRICE_RANGE,
                              metadata={"description": "re-totals the bills of customers on this package"})
    description = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))
    is_active = JsonBoolean()


class PackageQueryArgs(PageArgs):
    q = trimmed(validate=ma.validate.Length(max=100))
    include_inactive = ma.fields.Boolean(load_default=False)


PackagePage = page_schema(PackageOut, "PackagePage")
