"""Business dates are Asia/Jakarta (WIB); timestamps are UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_wib(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(WIB).date()
