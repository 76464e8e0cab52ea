"""The branding image upload (logo, splash logo, favicon)."""

import marshmallow as ma
from flask_smorest.fields import Upload

from api.schemas.common import CamelSchema


class LogoUpload(ma.Schema):
    """multipart/form-data: the image and which branding image it is."""

    class Meta:
        unknown = ma.EXCLUDE

    file = Upload(required=True, metadata={"description": "PNG, JPEG or WebP, max 2 MB, max 4096×4096 px"},
                  error_messages={"required": "Pilih file gambar yang akan diunggah (field `file`)."})
    target = ma.fields.String(load_default="logo", validate=ma.validate.OneOf(
        ["logo", "splash", "favicon"], error="Target harus salah satu dari: logo, splash, favicon."),
        metadata={"description": "logo (default) → logo_url, splash → splash_logo_url, favicon → favicon_url"})


class LogoUploadOut(CamelSchema):
    target = ma.fields.String()
    setting = ma.fields.String(metadata={"description": "the setting now pointing at the file"})
    url = ma.fields.String(metadata={"description": "stable public URL, e.g. /uploads/logo-1a2b3c4d5e6f.webp"})
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    bytes = ma.fields.Integer()
    source_format = ma.fields.String(metadata={"description": "what the upload was: PNG | JPEG | WEBP"})
