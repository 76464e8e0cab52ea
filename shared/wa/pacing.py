"""The anti-ban pacing rules for one WhatsApp number's paced sends (reminders, bulk), as pure functions.

Everything takes the clock and the random source as arguments, so the sender, the planner and the tests agree
on one set of rules. `recent` is always the number's paced send times, newest first (direct sends do not count).

Paced sends go out only in waking hours: the send window (default 07:00–21:00 WIB, the superadmin's
`wa_send_window_start`/`wa_send_window_end` settings). A send that would fall outside it waits for the next
window start; so does what is over a day's cap.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.timeutil import WIB

MIN_GAP = timedelta(seconds=8)
MAX_GAP = timedelta(seconds=15)
JITTER = timedelta(seconds=5)
MAX_PER_HOUR = 50  # in any trailing 60 minutes
HOUR = timedelta(hours=1)
MAX_PER_DAY = 300  # per WIB calendar day
BATCH = 20
REST = timedelta(minutes=5)
RETRY_DELAY = timedelta(minutes=10)
MAX_RETRIES = 3


@dataclass(frozen=True)
class SendWindow:
    """The WIB hours [start, end) of a day in which paced sends may go out (start < end, same day)."""

    start: time = time(7, 0)
    end: time = time(21, 0)

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("the send window must start before it ends")

    def opens(self, day: date) -> datetime:
        return datetime.combine(day, self.start, tzinfo=WIB)

    def closes(self, day: date) -> datetime:
        return datetime.combine(day, self.end, tzinfo=WIB)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment.astimezone(WIB).time() < self.end

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself inside the window, else the next window start (today's or tomorrow's)."""
        day = moment.astimezone(WIB).date()
        if moment < self.opens(day):
            return self.opens(day)
        if moment >= self.closes(day):
            return self.opens(day + timedelta(days=1))
        return moment

    def label(self) -> str:
        """"07.00–21.00 WIB", as the UI and the messages write it."""
        return f"{self.start:%H.%M}–{self.end:%H.%M} WIB"


DEFAULT_WINDOW = SendWindow()
# The daily run (beat, 06:00 WIB) plans the day's sends; they go out from the window's start.
DAY_START = time(6, 0)


def random_gap(rng: random.Random) -> timedelta:
    """A gap between two paced sends: 8–15 s, plus 0–5 s jitter."""
    seconds = rng.uniform(MIN_GAP.total_seconds(), MAX_GAP.total_seconds()) + rng.uniform(0, JITTER.total_seconds())
    return timedelta(seconds=seconds)


def wib_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The WIB calendar day containing `moment`, as [start, end)."""
    day = moment.astimezone(WIB).date()
    start = datetime.combine(day, time(0), tzinfo=WIB)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=WIB)


def batch_run_length(recent: Sequence[datetime], at: datetime) -> int:
    """How many of the latest sends follow each other (and `at`) without a pause of REST or more."""
    count, later = 0, at
    for sent in recent:
        if later - sent >= REST:
            break
        count, later = count + 1, sent
    return count


def _sent_in_day(recent: Sequence[datetime], day_start: datetime, day_end: datetime) -> int:
    return sum(1 for sent in recent if day_start <= sent < day_end)


def earliest_allowed(recent: Sequence[datetime], now: datetime, gap: timedelta,
                     window: SendWindow = DEFAULT_WINDOW) -> datetime:
    """The earliest moment ≥ now a paced send may go out, given the gap to use after the last send."""
    candidate = window.next_open(now)
    while True:
        moved = candidate
        if recent:
            moved = max(moved, recent[0] + gap)
            # Hour: the 50th latest send must have left the trailing 60 minutes.
            if len(recent) >= MAX_PER_HOUR:
                moved = max(moved, recent[MAX_PER_HOUR - 1] + HOUR)
            # Rest: 20 sends with no 5-minute pause among them need a 5-minute pause now.
            if batch_run_length(recent, moved) >= BATCH:
                moved = max(moved, recent[0] + REST)
        day_start, day_end = wib_day_bounds(moved)
        if _sent_in_day(recent, day_start, day_end) >= MAX_PER_DAY:
            moved = day_end
        moved = window.next_open(moved)
        if moved == candidate:
            return candidate
        candidate = moved


def next_send_at(recent_sent: Sequence[datetime], now: datetime, rng: random.Random,
                 window: SendWindow = DEFAULT_WINDOW) -> datetime:
    """The earliest moment the next paced send is allowed (newest-first history of at least the last day)."""
    return earliest_allowed(recent_sent, now, random_gap(rng), window)


def plan_times(start: datetime, count: int, rng: random.Random, already_sent_today: int = 0,
               recent: Sequence[datetime] = (), window: SendWindow = DEFAULT_WINDOW) -> list[datetime]:
    """Staggered `scheduled_at` values for `count` new paced rows, the first at `start` or later.

    `recent` holds the number's sends and already planned rows (any order); `already_sent_today` adds sends of
    `start`'s WIB day that `recent` does not list.
    """
    history = sorted(recent, reverse=True)
    if already_sent_today:
        day_start, _ = wib_day_bounds(start)
        history += [day_start] * already_sent_today
        history.sort(reverse=True)
    times: list[datetime] = []
    at = start
    for _ in range(count):
        at = next_send_at(history, at, rng, window)
        times.append(at)
        history.insert(0, at)
        # Keep what the rules can see: the day's sends and the last hour's 50 (a planned day holds ≤ 300).
        if len(history) > MAX_PER_DAY * 2:
            del history[MAX_PER_DAY * 2:]
    return times


def day_capacity(recent: Sequence[datetime], day_start: datetime, day_end: datetime, *,
                 start: datetime | None = None, window: SendWindow = DEFAULT_WINDOW) -> int:
    """How many more paced sends fit in [max(start, day_start), day_end) of one WIB day, inside the send window.

    The day cap binds a whole day; the hours of the window still ahead also limit it (50 an hour, a partial
    hour counted at one send per 35 s, the slowest pace with rests), so a late run or a short window does not
    overbook.
    """
    day = day_start.astimezone(WIB).date()
    begin = max(start or day_start, day_start, window.opens(day))
    day_end = min(day_end, window.closes(day))
    if begin >= day_end:
        return 0
    left = MAX_PER_DAY - _sent_in_day(recent, *wib_day_bounds(day_start))
    seconds = (day_end - begin).total_seconds()
    hourly = int(seconds // 3600) * MAX_PER_HOUR + min(MAX_PER_HOUR, math.floor(seconds % 3600 / 35))
    return max(0, min(left, hourly))
