"""The prepaid calendar: period P ("YYYY-MM") is due on the customer's billing date in the month before P.

Pure functions on dates, no database; the SQL in `billing.py` computes the same due dates set-based.
"""

import re
from datetime import date, datetime, timedelta

from shared.errors import Invalid
from shared.timeutil import today_wib

# Years 2000..2100 only: the product bills in this century, and year 0 / 9999 would overflow `date` arithmetic.
PERIOD_PATTERN = re.compile(r"^(20\d\d|2100)-(0[1-9]|1[0-2])$")
MONTHS_AHEAD = 12
MONTHS_BACK = 24
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")


def parse_period(period: str) -> date:
    """The first day of a "YYYY-MM" period; anything else is a field error."""
    match = PERIOD_PATTERN.match(period or "")
    if not match:
        raise Invalid.field("period", "Periode harus berformat YYYY-MM, contoh 2026-03.")
    return date(int(match[1]), int(match[2]), 1)


def format_period(first_day: date) -> str:
    return f"{first_day.year:04d}-{first_day.month:02d}"


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_label(period: str) -> str:
    """ "2026-03" → "Maret 2026", as customers read it."""
    first = parse_period(period)
    return f"{MONTH_NAMES[first.month - 1]} {first.year}"


def period_for_due_date(due: date) -> str:
    """The period an invoice due on `due` pays for: the month after the due date's month."""
    return format_period(add_months(due, 1))


def due_date_for(period: str, billing_date: int) -> date:
    """The due date of a period for a customer: their billing date in the month before the period."""
    if not 1 <= billing_date <= 28:
        raise ValueError(f"billing date must be 1..28, got {billing_date}")
    return add_months(parse_period(period), -1).replace(day=billing_date)


def h1_target(today: date) -> tuple[int, date, str]:
    """What the 06:00 job on `today` (WIB) handles: (billing date, due date, period) of tomorrow's due invoices.

    Tomorrow may be the 29th–31st, a day no customer bills on (billing dates are 1..28); that day has no work.
    """
    tomorrow = today + timedelta(days=1)
    return tomorrow.day, tomorrow, period_for_due_date(tomorrow)


def default_manual_period(now: datetime | None = None) -> str:
    """The period a manual generation targets when none is given: next month, in WIB."""
    return format_period(add_months(today_wib(now), 1))


def check_generation_period(period: str, *, today: date | None = None) -> str:
    """Refuse periods too far from now to be a real billing run (a typo like 2062-03 or 2016-03)."""
    first = parse_period(period)
    this_month = (today or today_wib()).replace(day=1)
    if not add_months(this_month, -MONTHS_BACK) <= first <= add_months(this_month, MONTHS_AHEAD):
        raise Invalid.field("period", f"Periode harus antara {MONTHS_BACK} bulan lalu dan "
                                      f"{MONTHS_AHEAD} bulan ke depan.")
    return period
