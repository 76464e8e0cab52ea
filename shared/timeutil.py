"""Business dates are Asia/Jakarta (WIB); timestamps are UTC."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def today_wib(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(WIB).date()
