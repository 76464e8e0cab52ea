import marshmallow as ma

from api.schemas.common import CamelSchema, trimmed

KINDS = ("wa_session_lost", "wa_session_banned", "wa_session_paused", "wa_failures", "billing_run_done",
         "billing_run_failed", "export_ready", "export_failed", "backup_late")


class NotificationLinkOut(CamelSchema):
    to = ma.fields.String(metadata={"description": "PWA route to open, e.g. /whatsapp"})
    search = ma.fields.Dict(metadata={"description": "its search parameters, e.g. {tab: log}"})


class NotificationDownloadOut(CamelSchema):
    url = ma.fields.String(metadata={"description": "authorised download URL of an export (bearer token)"})
    filename = ma.fields.String(allow_none=True)


class NotificationOut(CamelSchema):
    id = ma.fields.String(metadata={"description": "names one occurrence; a new one has a new id"})
    kind = ma.fields.String(metadata={"description": " | ".join(KINDS)})
    severity = ma.fields.String(metadata={"description": "info | success | warning | danger"})
    title = ma.fields.String()
    body = ma.fields.String()
    created_at = ma.fields.DateTime()
    link = ma.fields.Nested(NotificationLinkOut)
    download = ma.fields.Nested(NotificationDownloadOut, allow_none=True)
    read = ma.fields.Boolean()


class NotificationListOut(CamelSchema):
    items = ma.fields.List(ma.fields.Nested(NotificationOut), metadata={"description": "newest first"})
    unread_count = ma.fields.Integer()


class MarkReadIn(CamelSchema):
    ids = ma.fields.List(trimmed(validate=ma.validate.Length(min=1, max=200)),
                         validate=ma.validate.Length(max=100), metadata={"description": "notification ids"})
    all = ma.fields.Boolean(load_default=False, metadata={"description": "mark every current notification read"})

    @ma.validates_schema
    def _something_to_mark(self, data, **kwargs):
        if not data.get("all") and not data.get("ids"):
            raise ma.ValidationError({"ids": ["Sebutkan notifikasi yang dibaca, atau all: true."]})
