"""Website, branding, receipt and retention settings: a flat key → string map with validated, audited batch updates."""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared.errors import Forbidden, Invalid
from shared.models import Setting, User
from shared.services.activity import record_activity
from shared.services.settings_defaults import (
    DEFAULT_SETTINGS,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    WA_SEND_WINDOW_MIN_HOURS,
)

SSL_METHODS = ("none", "letsencrypt", "manual", "cloudflare")
BRANDING_KEYS = ("app_name", "logo_url", "splash_logo_url", "splash_bg_color", "favicon_url", "meta_description",
                 "app_version")
TOGGLE_KEYS = tuple(key for key in DEFAULT_SETTINGS if key.startswith("receipt_") and key != "receipt_footer_text")
URL_KEYS = ("logo_url", "favicon_url", "splash_logo_url")
TEXT_LIMITS = {"meta_description": 300, "receipt_footer_text": 500}

_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,49}$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3])[:.]([0-5][0-9])$")
WA_WINDOW_KEYS = ("wa_send_window_start", "wa_send_window_end")


def all_settings(session: Session) -> dict[str, str]:
    """Every known key with its stored value; a missing key falls back to its default."""
    stored = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(DEFAULT_SETTINGS))).all())
    return {key: stored[key] if stored.get(key) is not None else default for key, default in DEFAULT_SETTINGS.items()}


def branding(session: Session) -> dict[str, str]:
    """The public subset shown before login (splash, login page, favicon)."""
    values = all_settings(session)
    result = {key: values[key] for key in BRANDING_KEYS}
    result["splash_logo_url"] = values["splash_logo_url"] or values["logo_url"]
    return result


def record_app_version(session: Session, version: str) -> bool:
    """Store the running release's version as `app_version` (the PWA's update banner compares its build with it).

    Run by the api's start-up step (shared.seed: compose's entrypoint, `make run`) with APP_VERSION, so a deploy
    changes it without anyone editing the database. One upsert that writes only when the value differs: idempotent,
    and API processes starting together just race to store the same string. True when it changed.
    """
    version = _version(version)
    stmt = insert(Setting).values(key="app_version", value=version)
    stmt = stmt.on_conflict_do_update(index_elements=[Setting.key],
                                      set_={"value": stmt.excluded.value, "updated_at": func.now()},
                                      where=Setting.value.is_distinct_from(stmt.excluded.value))
    return session.execute(stmt.returning(Setting.key)).first() is not None


def update_settings(session: Session, *, actor: User, changes: dict) -> dict[str, str]:
    """Validate and store a partial settings map in one statement; one activity entry lists what changed."""
    if not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengubah pengaturan.")
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, value in changes.items():
        if key not in DEFAULT_SETTINGS:
            errors[key] = ["Pengaturan tidak dikenal."]
            continue
        try:
            cleaned[key] = _validator(key)(value)
        except (ValueError, TypeError) as exc:
            errors[key] = [str(exc)]
    current = all_settings(session)
    if not errors and any(key in cleaned for key in WA_WINDOW_KEYS):
        errors.update(_window_errors(cleaned.get("wa_send_window_start", current["wa_send_window_start"]),
                                     cleaned.get("wa_send_window_end", current["wa_send_window_end"])))
    if errors:
        raise Invalid("Pengaturan tidak valid.", details={"fields": errors})
    changed = {key: value for key, value in cleaned.items() if current[key] != value}
    if changed:
        stmt = insert(Setting).values([{"key": key, "value": value} for key, value in changed.items()])
        session.execute(stmt.on_conflict_do_update(index_elements=[Setting.key],
                                                   set_={"value": stmt.excluded.value, "updated_at": func.now()}))
        record_activity(session, actor=actor, action="settings.update", resource="settings", metadata={
            "changes": {key: {"old": current[key], "new": value} for key, value in changed.items()}})
        session.flush()
        if any(key in changed for key in WA_WINDOW_KEYS):
            from shared.wa import outbox  # the outbox reads the settings; this module is below it

            outbox.forget_send_window()  # this process at once; the WA worker within its cache's 30 s
    return {**current, **changed}


def _validator(key: str) -> Callable[[object], str]:
    if key in TOGGLE_KEYS:
        return _toggle
    if key in URL_KEYS:
        return _url
    if key in TEXT_LIMITS:
        return lambda value: _text(value, max_length=TEXT_LIMITS[key])
    if key in RETENTION_MIN_DAYS:
        return lambda value: _retention_days(value, minimum=RETENTION_MIN_DAYS[key])
    return {"app_name": _app_name, "domain": _domain, "ssl_method": _ssl_method,
            "splash_bg_color": _hex_color, "app_version": _version,
            "wa_send_window_start": _clock_time, "wa_send_window_end": _clock_time}[key]


def _clock_time(value: object) -> str:
    """A WIB time of day as "HH:MM" (07:00; "07.00" is accepted too, as Indonesians write it)."""
    match = _CLOCK.match(_as_text(value))
    if match is None:
        raise ValueError("Isi jam dengan format JJ:MM, misalnya 07:00.")
    return f"{match.group(1)}:{match.group(2)}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _window_errors(start: str, end: str) -> dict[str, list[str]]:
    """The send window as a whole: it starts before it ends (same day) and is long enough for the reminders."""
    if _minutes(end) <= _minutes(start):
        message = "Jam selesai harus setelah jam mulai (di hari yang sama)."
        return {"wa_send_window_end": [message]}
    if _minutes(end) - _minutes(start) < WA_SEND_WINDOW_MIN_HOURS * 60:
        message = f"Jam kirim minimal {WA_SEND_WINDOW_MIN_HOURS} jam agar pengingat sempat terkirim semua."
        return {"wa_send_window_end": [message]}
    return {}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("Nilai harus berupa teks.")
    if "\x00" in value:  # PostgreSQL text cannot hold NUL
        raise ValueError("Teks tidak boleh mengandung karakter NUL.")
    return value.strip()


def _toggle(value: object) -> str:
    # Stored as the strings "true"/"false" (the spec's format); JSON booleans are accepted too.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    raise ValueError('Nilai harus "true" atau "false".')


def _text(value: object, *, max_length: int) -> str:
    text = _as_text(value)
    if len(text) > max_length:
        raise ValueError(f"Maksimal {max_length} karakter.")
    return text


def _retention_days(value: object, *, minimum: int) -> str:
    """Whole days as a string: 0 (keep forever) or `minimum`..RETENTION_MAX_DAYS; JSON integers are accepted too."""
    bad = f"Isi jumlah hari berupa bilangan bulat: 0 (simpan selamanya) atau {minimum}–{RETENTION_MAX_DAYS} hari."
    if isinstance(value, int) and not isinstance(value, bool):
        days = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        days = int(value.strip())
    else:
        raise ValueError(bad)
    if days != 0 and not minimum <= days <= RETENTION_MAX_DAYS:
        raise ValueError(bad)
    return str(days)


def _app_name(value: object) -> str:
    text = _as_text(value)
    if not 1 <= len(text) <= 100:
        raise ValueError("Nama aplikasi wajib diisi, maksimal 100 karakter.")
    return text


def _url(value: object) -> str:
    """Empty, a path on this site (/uploads/logo.png), or an absolute http(s) URL."""
    text = _as_text(value)
    if not text:
        return text
    bad = "URL harus diawali / (file di server ini) atau http:// / https://."
    if len(text) > 500:
        raise ValueError("URL maksimal 500 karakter.")
    if any(ch.isspace() or ord(ch) < 32 for ch in text) or "\\" in text or '"' in text or "<" in text:
        raise ValueError(bad)
    if text.startswith("/"):
        if text.startswith("//"):  # protocol-relative: another host in disguise
            raise ValueError(bad)
        return text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(bad)
    return text


def _domain(value: object) -> str:
    text = _as_text(value).lower().rstrip(".")
    if not text:
        return text
    if "/" in text or ":" in text:
        raise ValueError("Isi nama domain saja, tanpa http:// atau garis miring, contoh tagihan.wifiku.id.")
    labels = text.split(".")
    if len(text) > 253 or len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        raise ValueError("Nama domain tidak valid, contoh tagihan.wifiku.id.")
    return text


def _ssl_method(value: object) -> str:
    text = _as_text(value).lower()
    if text not in SSL_METHODS:
        raise ValueError("Metode SSL harus salah satu dari: none, letsencrypt, manual, cloudflare.")
    return text


def _hex_color(value: object) -> str:
    text = _as_text(value)
    if not _HEX_COLOR.match(text):
        raise ValueError("Warna harus berformat hex #RRGGBB, contoh #3B82F6.")
    return text.upper()


def _version(value: object) -> str:
    text = _as_text(value)
    if not _VERSION.match(text):
        raise ValueError("Versi tidak valid, contoh 1.4.2.")
    return text
