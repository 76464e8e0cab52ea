"""The prepaid calendar: period P is due on the billing date of the month before P (pure functions)."""

from datetime import UTC, date, datetime

import pytest

from shared.errors import Invalid
from shared.services.periods import (
    add_months,
    check_generation_period,
    default_manual_period,
    due_date_for,
    h1_target,
    parse_period,
    period_for_due_date,
    period_label,
)


@pytest.mark.parametrize(("period", "billing_date", "due"), [
    ("2026-03", 5, date(2026, 2, 5)),      # the spec's example: 5 Feb pays for March
    ("2026-03", 1, date(2026, 2, 1)),
    ("2026-03", 28, date(2026, 2, 28)),    # billing date 28 exists in every February
    ("2028-03", 28, date(2028, 2, 28)),    # leap year: still the 28th, never the 29th
    ("2026-01", 10, date(2025, 12, 10)),   # January is due in December of the previous year
    ("2026-02", 1, date(2026, 1, 1)),
    ("2026-12", 15, date(2026, 11, 15)),
])
def test_period_is_due_on_billing_date_of_the_month_before(period, billing_date, due):
    assert due_date_for(period, billing_date) == due
    assert period_for_due_date(due) == period


@pytest.mark.parametrize(("due", "period"), [
    (date(2026, 2, 1), "2026-03"),
    (date(2026, 1, 31), "2026-02"),
    (date(2025, 12, 31), "2026-01"),   # December due date pays for January of the next year
    (date(2025, 12, 1), "2026-01"),
    (date(2026, 11, 30), "2026-12"),
    (date(2028, 2, 29), "2028-03"),
])
def test_period_for_due_date_is_the_following_month(due, period):
    assert period_for_due_date(due) == period


@pytest.mark.parametrize("billing_date", [0, 29, 30, 31, -1])
def test_billing_dates_outside_1_to_28_do_not_exist(billing_date):
    with pytest.raises(ValueError):
        due_date_for("2026-03", billing_date)


@pytest.mark.parametrize(("today", "expected"), [
    # On 31 Jan the job handles billing date 1: due 1 Feb, period March (DESIGN.md §6).
    (date(2026, 1, 31), (1, date(2026, 2, 1), "2026-03")),
    # The spec's example: on 4 Feb, customers billed on the 5th get their March invoice.
    (date(2026, 2, 4), (5, date(2026, 2, 5), "2026-03")),
    (date(2026, 2, 27), (28, date(2026, 2, 28), "2026-03")),
    # 28 Feb in a non-leap year: tomorrow is 1 March → billing date 1, period April.
    (date(2026, 2, 28), (1, date(2026, 3, 1), "2026-04")),
    # Leap year: 28 Feb → 29 Feb (no customer bills on the 29th); 29 Feb → 1 March.
    (date(2028, 2, 28), (29, date(2028, 2, 29), "2028-03")),
    (date(2028, 2, 29), (1, date(2028, 3, 1), "2028-04")),
    # December → January: the year rolls twice over (due 1 Jan 2027 pays for Feb 2027).
    (date(2026, 12, 31), (1, date(2027, 1, 1), "2027-02")),
    (date(2026, 11, 30), (1, date(2026, 12, 1), "2027-01")),
    (date(2026, 12, 14), (15, date(2026, 12, 15), "2027-01")),
    # Month ends: the last day of any month targets the 1st.
    (date(2026, 4, 30), (1, date(2026, 5, 1), "2026-06")),
    (date(2026, 3, 30), (31, date(2026, 3, 31), "2026-04")),
])
def test_h1_target_handles_tomorrows_billing_date(today, expected):
    assert h1_target(today) == expected


def test_h1_target_matches_due_date_for_every_day_of_a_leap_year_and_the_next():
    day = date(2027, 12, 31)
    for _ in range(2 * 366):
        billing_date, due, period = h1_target(day)
        if billing_date <= 28:
            assert due_date_for(period, billing_date) == due
        assert (due - day).days == 1
        day = due


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 1, 15, 3, 0, tzinfo=UTC), "2026-02"),
    # 23:30 UTC on 31 Jan is 06:30 WIB on 1 Feb: next month is already March.
    (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "2026-03"),
    (datetime(2026, 1, 31, 16, 59, tzinfo=UTC), "2026-02"),  # 23:59 WIB, still January
    (datetime(2026, 1, 31, 17, 0, tzinfo=UTC), "2026-03"),   # 00:00 WIB, February
    (datetime(2025, 12, 31, 17, 30, tzinfo=UTC), "2026-02"),  # New Year in Jakarta, not yet in UTC
    (datetime(2025, 12, 20, 12, 0, tzinfo=UTC), "2026-01"),
])
def test_default_manual_period_is_next_month_in_wib(now, expected):
    assert default_manual_period(now) == expected


def test_wib_midnight_moves_the_h1_target():
    from shared.timeutil import today_wib

    # 23:30 UTC on 30 Jan = 06:30 WIB on 31 Jan: the job of 31 Jan, billing date 1, period March.
    assert h1_target(today_wib(datetime(2026, 1, 30, 23, 30, tzinfo=UTC))) == (1, date(2026, 2, 1), "2026-03")
    assert h1_target(today_wib(datetime(2026, 1, 30, 16, 59, tzinfo=UTC))) == (31, date(2026, 1, 31), "2026-02")


@pytest.mark.parametrize("bad", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "", "2026-03-01", "abcd-ef"])
def test_malformed_periods_are_field_errors(bad):
    with pytest.raises(Invalid) as exc:
        parse_period(bad)
    assert "period" in exc.value.details["fields"]


def test_generation_period_must_be_within_12_months_ahead_and_24_back():
    today = date(2026, 6, 15)
    assert check_generation_period("2027-06", today=today) == "2027-06"
    assert check_generation_period("2024-06", today=today) == "2024-06"
    for bad in ("2027-07", "2024-05", "2062-03"):
        with pytest.raises(Invalid):
            check_generation_period(bad, today=today)


def test_month_arithmetic_and_labels():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 1)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 12, 1), 13) == date(2028, 1, 1)
    assert period_label("2026-03") == "Maret 2026"
    assert period_label("2027-12") == "Desember 2027"
