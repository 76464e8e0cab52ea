"""The pacing rules, each at its boundary (pure functions, no database)."""

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest

from shared.timeutil import WIB
from shared.wa import pacing
from shared.wa.pacing import (
    BATCH,
    HOUR,
    MAX_PER_DAY,
    MAX_PER_HOUR,
    MIN_GAP,
    REST,
    day_capacity,
    earliest_allowed,
    next_send_at,
    plan_times,
)

T0 = datetime(2030, 3, 4, 8, 0, tzinfo=WIB)
# The rules themselves, without waking hours (the last tests are about those).
ALL_DAY = pacing.SendWindow(time(0, 0), time.max)


class FixedRng(random.Random):
    """uniform() always answers its lower bound (or its upper bound with high=True)."""

    def __init__(self, high: bool = False):
        super().__init__(0)
        self.high = high

    def uniform(self, a, b):
        return b if self.high else a


def spaced(count: int, *, last: datetime, every: timedelta) -> list[datetime]:
    """`count` sends, newest first, the newest at `last`."""
    return [last - every * n for n in range(count)]


def batches(count: int, *, last: datetime, pause: timedelta = timedelta(minutes=6)) -> list[datetime]:
    """`count` sends, newest first, in runs of 10 sends 10 s apart with `pause` between runs (no rest is due)."""
    sends, at = [], last
    for n in range(count):
        sends.append(at)
        at -= pause if n % 10 == 9 else timedelta(seconds=10)
    return sends


def test_the_first_send_may_go_at_once():
    assert next_send_at([], T0, random.Random(1)) == T0


def test_gap_is_8_to_15_seconds_plus_0_to_5_jitter():
    assert next_send_at([T0], T0, FixedRng()) == T0 + MIN_GAP
    assert next_send_at([T0], T0, FixedRng(high=True)) == T0 + timedelta(seconds=20)
    rng = random.Random(7)
    gaps = [(next_send_at([T0], T0, rng) - T0).total_seconds() for _ in range(2000)]
    assert 8 <= min(gaps) < 9 and 19 < max(gaps) <= 20


def test_a_send_long_after_the_last_one_goes_now():
    assert next_send_at([T0], T0 + timedelta(minutes=1), FixedRng()) == T0 + timedelta(minutes=1)


def test_twenty_sends_without_a_pause_need_a_five_minute_rest():
    recent = spaced(BATCH, last=T0, every=timedelta(seconds=10))
    assert next_send_at(recent, T0, FixedRng()) == T0 + REST
    # Nineteen are not a full batch yet.
    assert next_send_at(recent[:BATCH - 1], T0, FixedRng()) == T0 + MIN_GAP


def test_a_pause_of_five_minutes_inside_the_run_starts_a_new_batch():
    later = spaced(10, last=T0, every=timedelta(seconds=10))
    earlier = spaced(10, last=later[-1] - REST, every=timedelta(seconds=10))
    assert next_send_at(later + earlier, T0, FixedRng()) == T0 + MIN_GAP
    just_short = spaced(10, last=later[-1] - REST + timedelta(seconds=1), every=timedelta(seconds=10))
    assert next_send_at(later + just_short, T0, FixedRng()) == T0 + REST


def test_fifty_sends_in_the_trailing_hour_wait_until_the_oldest_leaves_it():
    recent = batches(MAX_PER_HOUR, last=T0)
    oldest = recent[MAX_PER_HOUR - 1]
    assert T0 - oldest < HOUR - REST
    assert next_send_at(recent, T0, FixedRng()) == oldest + HOUR
    assert next_send_at(recent[:MAX_PER_HOUR - 1], T0, FixedRng()) == T0 + MIN_GAP


def test_three_hundred_in_a_wib_day_wait_for_the_next_wib_midnight():
    # 300 sends ending 23:00 WIB, ten every 15.5 minutes: neither the hour nor the rest rule binds, the day does.
    last = datetime(2030, 3, 4, 23, 0, tzinfo=WIB)
    recent = batches(MAX_PER_DAY, last=last, pause=timedelta(minutes=14))
    assert recent[-1].astimezone(WIB).date() == last.date()
    assert next_send_at(recent, last, FixedRng(), ALL_DAY) == datetime(2030, 3, 5, 0, 0, tzinfo=WIB)
    assert next_send_at(recent[:MAX_PER_DAY - 1], last, FixedRng(), ALL_DAY) == last + MIN_GAP


def test_the_day_is_the_wib_day_not_the_utc_day():
    # 00:00:30 WIB is 17:00:30 UTC of the day before: the full previous WIB day does not hold the next send back.
    last = datetime(2030, 3, 4, 23, 50, tzinfo=WIB)
    recent = batches(MAX_PER_DAY, last=last, pause=timedelta(minutes=14))
    after_midnight = datetime(2030, 3, 5, 0, 0, 30, tzinfo=WIB)
    assert next_send_at(recent, after_midnight.astimezone(UTC), FixedRng(), ALL_DAY) == after_midnight


def test_rules_combine_until_all_hold():
    # Full hour window and a full batch at once: the later of the two wins.
    recent = spaced(MAX_PER_HOUR, last=T0, every=timedelta(seconds=9))
    assert earliest_allowed(recent, T0, MIN_GAP) == recent[MAX_PER_HOUR - 1] + HOUR


def test_plan_times_follows_the_spec_stagger_and_all_limits():
    times = plan_times(T0, 500, random.Random(3))
    assert times[0] == T0
    gaps = [(b - a).total_seconds() for a, b in pairwise(times)]
    assert min(gaps) >= 8 and all(g <= 20 for g in gaps[:19])
    # The 21st waits the 5-minute rest after the first 20.
    assert times[20] - times[19] >= REST
    for i in range(len(times) - MAX_PER_HOUR):
        assert times[i + MAX_PER_HOUR] - times[i] >= HOUR
    per_day: dict[date, int] = {}
    for at in times:
        per_day[at.astimezone(WIB).date()] = per_day.get(at.astimezone(WIB).date(), 0) + 1
    assert per_day == {date(2030, 3, 4): MAX_PER_DAY, date(2030, 3, 5): 200}


def test_plan_times_continues_after_what_was_already_sent_today():
    times = plan_times(T0, 3, FixedRng(), already_sent_today=MAX_PER_DAY - 1)
    assert times[0] == T0 and times[1] == datetime(2030, 3, 5, 7, 0, tzinfo=WIB)
    recent = spaced(BATCH, last=T0, every=timedelta(seconds=10))
    assert plan_times(T0, 1, FixedRng(), recent=recent) == [T0 + REST]


def test_day_capacity_is_the_day_cap_less_the_days_sends_and_limited_by_hours_left():
    day_start = datetime(2030, 3, 4, 0, 0, tzinfo=WIB)
    day_end = day_start + timedelta(days=1)
    assert day_capacity([], day_start, day_end, start=T0) == MAX_PER_DAY
    planned = spaced(120, last=T0 + timedelta(hours=3), every=timedelta(seconds=60))
    assert day_capacity(planned, day_start, day_end, start=T0) == MAX_PER_DAY - 120
    # At 19:00 two hours of the window remain: 100 at most; after 21:00 none.
    assert day_capacity([], day_start, day_end, start=day_start + timedelta(hours=19)) == 2 * MAX_PER_HOUR
    assert day_capacity([], day_start, day_end, start=day_start + timedelta(hours=21)) == 0
    assert day_capacity([], day_start, day_end, start=day_end) == 0
    assert pacing.day_capacity([day_start - timedelta(minutes=1)], day_start, day_end) == MAX_PER_DAY


# ---------------------------------------------------------------------------------------------
# Waking hours: paced sends only inside the send window (default 07:00–21:00 WIB)


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 3, day, hour, minute, tzinfo=WIB)


def test_overflow_beyond_the_day_cap_waits_for_the_next_days_window_not_midnight():
    # Today's bug: the 301st went out at 00:00 and the 420th at 02:04.
    times = plan_times(wib(4, 6), 420, random.Random(3))
    assert all(pacing.DEFAULT_WINDOW.contains(at) for at in times)
    assert times[0] == wib(4, 7)
    assert times[MAX_PER_DAY] == wib(5, 7)
    assert times[-1].astimezone(WIB).date() == date(2030, 3, 5)
    assert max(at.astimezone(WIB).time() for at in times) < pacing.DEFAULT_WINDOW.end


def test_a_bulk_send_at_22_starts_at_07_next_day_and_one_running_into_21_stops_there():
    assert plan_times(wib(4, 22), 1, FixedRng()) == [wib(5, 7)]
    times = plan_times(wib(4, 20, 50), 200, random.Random(5))
    evening = [at for at in times if at.astimezone(WIB).date() == date(2030, 3, 4)]
    assert evening and max(evening) < wib(4, 21)
    assert min(at for at in times if at not in evening) == wib(5, 7)
    assert all(pacing.DEFAULT_WINDOW.contains(at) for at in times)
    # Before the window opens the first send waits for it too.
    assert next_send_at([], wib(4, 5, 30), FixedRng()) == wib(4, 7)


def test_the_window_is_configurable_and_bounds_the_day_capacity():
    window = pacing.SendWindow(time(9, 0), time(12, 0))
    times = plan_times(wib(4, 8), 200, random.Random(2), window=window)
    assert all(window.contains(at) for at in times) and times[0] == wib(4, 9)
    day_start = wib(4, 0)
    # 3 hours of 50: 150, whatever the day cap.
    assert day_capacity([], day_start, day_start + timedelta(days=1), window=window) == 3 * MAX_PER_HOUR
    assert day_capacity([], day_start, day_start + timedelta(days=1), start=wib(4, 11), window=window) == MAX_PER_HOUR
    assert day_capacity([], day_start, day_start + timedelta(days=1), start=wib(4, 12), window=window) == 0
    with pytest.raises(ValueError):
        pacing.SendWindow(time(21, 0), time(7, 0))
