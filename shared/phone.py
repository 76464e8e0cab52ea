"""Indonesian phone numbers: stored as digits starting with 62, 10–15 digits long."""

import re

from shared.errors import Invalid

_SEPARATORS = re.compile(r"[\s\-().]")
PHONE_ERROR = "Nomor telepon tidak valid. Gunakan format 62xxxxxxxxxx (10–15 digit), contoh 6281234567890."


def normalize_phone(raw: str | None) -> str | None:
    """Return the 62… form of a phone number, or None when it cannot be one."""
    if raw is None:
        return None
    value = _SEPARATORS.sub("", str(raw).strip())
    value = value.removeprefix("+")
    if value.startswith("0"):
        value = "62" + value[1:]
    elif value.startswith("8"):
        value = "62" + value
    if not value.isdigit() or not value.startswith("62") or not 10 <= len(value) <= 15:
        return None
    return value


def require_phone(raw: str | None, field: str = "phone") -> str:
    """Normalise a phone number or raise a field error."""
    phone = normalize_phone(raw)
    if phone is None:
        raise Invalid.field(field, PHONE_ERROR)
    return phone
