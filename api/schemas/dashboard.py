import marshmallow as ma

from api.schemas.common import CamelSchema


class DashboardStatsOut(CamelSchema):
    total_customers = ma.fields.Integer()
    active_customers = ma.fields.Integer()
    isolated_customers = ma.fields.Integer()
    inactive_customers = ma.fields.Integer()
    package_count = ma.fields.Integer(metadata={"description": "active packages"})
    mitra_count = ma.fields.Integer(allow_none=True, metadata={"description": "active mitra; null for a mitra"})


class DashboardQueryArgs(CamelSchema):
    class Meta:
        unknown = ma.EXCLUDE

    owner_id = ma.fields.UUID(metadata={"description": "superadmin only: one owner's customers"})
