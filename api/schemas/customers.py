import marshmallow as ma
from flask_smorest.fields import Upload

from api.schemas.common import CamelSchema, JsonInteger, PageArgs, date_field, page_schema, trimmed
from shared.models import CustomerStatus
from shared.services.customers import SORTS

SEARCH_DESCRIPTION = ("Name or phone. Names: every word is the start of a word of the name (`bud san` finds "
                      "Budi Santoso), any case; phones (4+ digits): the number starts with it (0812…, 62812…, "
                      "+62 812…, 812…) or ends with it (the last digits; not with a leading +).")
SORT_CHOICES = [key for name in SORTS for key in (name, f"-{name}")]
BILLING_DATE = ma.validate.Range(min=1, max=28, error="Tanggal tagihan harus antara 1 dan 28.")
DISCOUNT = ma.validate.Range(min=0, error="Diskon tidak boleh negatif.")
EDITABLE_STATUS = ma.validate.OneOf([CustomerStatus.active, CustomerStatus.inactive],
                                    error="Status hanya boleh active atau inactive.")


class CustomerPackageOut(CamelSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    speed = ma.fields.String()
    price = ma.fields.Integer()
    is_active = ma.fields.Boolean()


class CustomerOut(CamelSchema):
    id = ma.fields.UUID()
    owner_id = ma.fields.UUID()
    area = ma.fields.String()
    package_id = ma.fields.UUID()
    package = ma.fields.Nested(CustomerPackageOut)
    name = ma.fields.String()
    phone = ma.fields.String()
    nik = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    billing_date = ma.fields.Integer()
    discount = ma.fields.Integer()
    total_bill = ma.fields.Integer()
    status = ma.fields.Enum(CustomerStatus, by_value=True)
    register_date = date_field()
    notes = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class CustomerIn(CamelSchema):
    owner_id = ma.fields.UUID(metadata={"description": "Superadmin only; default the actor."})
    package_id = ma.fields.UUID(required=True)
    name = trimmed(required=True, validate=ma.validate.Length(min=1, max=255))
    phone = trimmed(required=True, validate=ma.validate.Length(min=1, max=30))
    nik = trimmed(allow_none=True, validate=ma.validate.Length(max=20))
    address = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))
    billing_date = JsonInteger(required=True, validate=BILLING_DATE)
    discount = JsonInteger(load_default=0, validate=DISCOUNT)
    register_date = date_field(metadata={"description": "Default today (WIB)."})
    notes = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))


class CustomerUpdateIn(CamelSchema):
    """Every field optional; a mitra may send only phone and discount."""

    owner_id = ma.fields.UUID()
    package_id = ma.fields.UUID()
    name = trimmed(validate=ma.validate.Length(min=1, max=255))
    phone = trimmed(validate=ma.validate.Length(min=1, max=30))
    nik = trimmed(allow_none=True, validate=ma.validate.Length(max=20))
    address = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))
    billing_date = JsonInteger(validate=BILLING_DATE)
    discount = JsonInteger(validate=DISCOUNT)
    status = ma.fields.Enum(CustomerStatus, by_value=True, validate=EDITABLE_STATUS)
    register_date = date_field()
    notes = trimmed(allow_none=True, validate=ma.validate.Length(max=2000))


class CustomerQueryArgs(PageArgs):
    q = trimmed(validate=ma.validate.Length(max=100), metadata={"description": SEARCH_DESCRIPTION})
    status = ma.fields.Enum(CustomerStatus, by_value=True)
    package_id = ma.fields.UUID()
    owner_id = ma.fields.UUID()
    area = trimmed(validate=ma.validate.Length(max=255))
    billing_date = ma.fields.Integer(validate=BILLING_DATE)
    sort = ma.fields.String(load_default="name", validate=ma.validate.OneOf(SORT_CHOICES))


CustomerPage = page_schema(CustomerOut, "CustomerPage")


class CustomerImportUpload(ma.Schema):
    file = Upload(required=True, metadata={
        "description": "CSV file (UTF-8 or Windows-1252, `,` or `;`) or Excel workbook (.xlsx, first sheet)."},
        error_messages={"required": "Pilih file CSV atau Excel yang akan diimpor (field `file`)."})


class ImportTemplateArgs(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(
        ("csv", "xlsx"), error="Format harus csv atau xlsx."))


class JobOut(CamelSchema):
    id = ma.fields.String()
    type = ma.fields.String()
    state = ma.fields.String(metadata={"description": "queued | running | done | failed"})
    progress = ma.fields.Integer()
    result = ma.fields.Raw(allow_none=True)
    error = ma.fields.String(allow_none=True)
    notice = ma.fields.String(allow_none=True, metadata={
        "description": "what else the user should know, e.g. that the job was re-run after its worker stopped"})
    attempts = ma.fields.Integer(metadata={"description": "how many times a worker has started the job"})
