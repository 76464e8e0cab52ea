"""Settings travel as one flat object keyed by the spec's snake_case keys (DESIGN.md §5), not camelCase."""

from typing import ClassVar

import marshmallow as ma

from shared.services.settings import BRANDING_KEYS, SSL_METHODS, TOGGLE_KEYS
from shared.services.settings_defaults import DEFAULT_SETTINGS, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS

_DESCRIPTIONS = {
    "ssl_method": "one of: " + ", ".join(SSL_METHODS),
    "splash_bg_color": "#RRGGBB",
    "domain": "hostname, or empty",
    "logo_url": "path on this site (/...) or http(s) URL, or empty",
    "favicon_url": "path on this site (/...) or http(s) URL, or empty",
    "splash_logo_url": "path on this site (/...) or http(s) URL, or empty (falls back to logo_url)",
    "app_version": "read-only in the UI; set by the CI/CD deploy",
    "wa_send_window_start": "HH:MM WIB: paced WhatsApp sends (reminders, bulk) start (default 07:00)",
    "wa_send_window_end": "HH:MM WIB: paced WhatsApp sends stop (default 21:00); at least 3 hours after the start",
    **{key: f"whole days: 0 keeps forever, else {minimum}..{RETENTION_MAX_DAYS}"
       for key, minimum in RETENTION_MIN_DAYS.items()},
}


class SnakeSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    error_messages: ClassVar[dict] = {"unknown": "Pengaturan tidak dikenal."}


def _in_field(key: str) -> ma.fields.Field:
    if key in TOGGLE_KEYS:
        # "true"/"false" as in the spec; JSON booleans are accepted and stored as those strings.
        return ma.fields.Raw(metadata={"oneOf": [{"type": "string", "enum": ["true", "false"]}, {"type": "boolean"}]})
    if key in RETENTION_MIN_DAYS:
        # Stored as a string like every setting; a JSON integer is accepted and stored as its digits. Null passes
        # the schema so the service answers it with the same Indonesian message as any other bad value.
        return ma.fields.Raw(allow_none=True, metadata={"oneOf": [{"type": "string", "pattern": "^[0-9]+$"}, {"type": "integer"}],
                                       "description": _DESCRIPTIONS[key]})
    return ma.fields.String(allow_none=True, metadata={"description": _DESCRIPTIONS.get(key, "")})


def _out_field(key: str) -> ma.fields.Field:
    if key in TOGGLE_KEYS:
        return ma.fields.String(metadata={"enum": ["true", "false"]})
    return ma.fields.String(metadata={"description": _DESCRIPTIONS.get(key, "")})


# Built from the one list of keys so a new setting appears in the API and its documentation at once.
SettingsOut = type("SettingsOut", (SnakeSchema,), {key: _out_field(key) for key in DEFAULT_SETTINGS})
SettingsIn = type("SettingsIn", (SnakeSchema,), {key: _in_field(key) for key in DEFAULT_SETTINGS})
BrandingOut = type("BrandingOut", (SnakeSchema,), {key: ma.fields.String() for key in BRANDING_KEYS})
