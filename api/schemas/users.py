import marshmallow as ma

from api.schemas.common import CamelSchema, JsonBoolean, PageArgs, page_schema, trimmed
from shared.models import UserRole


class UserOut(CamelSchema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.Enum(UserRole, by_value=True)
    phone = ma.fields.String(allow_none=True)
    business_name = ma.fields.String()
    bank_name = ma.fields.String(allow_none=True)
    bank_account = ma.fields.String(allow_none=True)
    bank_holder = ma.fields.String(allow_none=True)
    is_active = ma.fields.Boolean()
    last_login_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    customer_count = ma.fields.Integer(dump_default=None, allow_none=True)


class LoginIn(CamelSchema):
    username = trimmed(required=True, validate=ma.validate.Length(min=1, max=100))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    remember_me = JsonBoolean(load_default=False)


class TokenPairOut(CamelSchema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    user = ma.fields.Nested(UserOut)


class SecurityNoticeOut(CamelSchema):
    """Failed logins to this account since its previous login; shown to the owner once, after this login."""

    failed_attempts = ma.fields.Integer()
    last_failed_ip = ma.fields.String()
    last_failed_at = ma.fields.DateTime()
    message = ma.fields.String(metadata={"description": "Indonesian text for a banner"})


class LoginOut(TokenPairOut):
    security_notice = ma.fields.Nested(SecurityNoticeOut, allow_none=True, dump_default=None)


class RefreshIn(CamelSchema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=10, max=500))


class ProfileIn(CamelSchema):
    name = trimmed(validate=ma.validate.Length(min=1, max=255))
    phone = trimmed(allow_none=True, validate=ma.validate.Length(max=30))
    bank_name = trimmed(allow_none=True, validate=ma.validate.Length(max=100))
    bank_account = trimmed(allow_none=True, validate=ma.validate.Length(max=50))
    bank_holder = trimmed(allow_none=True, validate=ma.validate.Length(max=255))
    current_password = ma.fields.String(validate=ma.validate.Length(max=200))
    new_password = ma.fields.String(validate=ma.validate.Length(min=1, max=200))


USERNAME_RULES = [ma.validate.Length(min=3, max=100),
                  ma.validate.Regexp(r"^[A-Za-z0-9_.-]+$", error=(
                      "Username hanya boleh huruf, angka, titik, garis bawah dan tanda hubung."))]


class MitraIn(CamelSchema):
    username = trimmed(required=True, validate=USERNAME_RULES)
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    name = trimmed(required=True, validate=ma.validate.Length(min=1, max=255))
    phone = trimmed(allow_none=True, validate=ma.validate.Length(max=30))
    business_name = trimmed(required=True, validate=ma.validate.Length(min=2, max=255))
    bank_name = trimmed(allow_none=True, validate=ma.validate.Length(max=100))
    bank_account = trimmed(allow_none=True, validate=ma.validate.Length(max=50))
    bank_holder = trimmed(allow_none=True, validate=ma.validate.Length(max=255))


class MitraUpdateIn(MitraIn):
    class Meta:
        unknown = ma.RAISE

    username = trimmed(validate=USERNAME_RULES)
    password = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    name = trimmed(validate=ma.validate.Length(min=1, max=255))
    business_name = trimmed(validate=ma.validate.Length(min=2, max=255))
    is_active = JsonBoolean()


class UserQueryArgs(PageArgs):
    q = trimmed(validate=ma.validate.Length(max=100))
    is_active = ma.fields.Boolean()
    role = ma.fields.String(load_default="mitra", validate=ma.validate.OneOf(["mitra", "superadmin", "all"]),
                            metadata={"description": "mitra (default), superadmin, or all"})


UserPage = page_schema(UserOut, "UserPage")
