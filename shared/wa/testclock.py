"""A simulated clock for one WhatsApp number, for browser tests only (APP_ENV=test or e2e, never production).

Waking hours can only be shown end to end at night, so a test moves one number's clock: the API plans that
number's paced rows, and its sender loop claims them, as if it were the time the test set (an offset from the
real clock, kept in Redis so the API and the WA worker agree). Every other number, and everything else in the
product (tokens, invoices, logs), keeps the real time. Outside test/e2e nothing here is ever read: `now()` is
`utcnow()` and the API route that sets a clock is not registered (api/routes/testclock.py).
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from shared.config import get_settings
from shared.timeutil import utcnow

log = logging.getLogger(__name__)

ENVIRONMENTS = ("test", "e2e")
KEY = "wa:testclock:{}"
TTL_SECONDS = 6 * 3600  # a forgotten clock resets itself


def enabled() -> bool:
    return get_settings().app_env in ENVIRONMENTS


def _redis():
    from shared.jobs import redis_client

    return redis_client()


def now(session_id: uuid.UUID | None) -> datetime:
    """The number's time: the real UTC time, moved by the offset a test set (only in test/e2e)."""
    real = utcnow()
    if session_id is None or not enabled():
        return real
    try:
        offset = _redis().get(KEY.format(session_id))
    except Exception:  # a test helper must never break a send
        log.warning("test clock unreadable; using the real time", exc_info=True)
        return real
    return real + timedelta(seconds=float(offset)) if offset is not None else real


def clock_for(session_id: uuid.UUID) -> Callable[[], datetime]:
    """The clock a sender loop should use: the plain real clock unless simulated clocks are enabled."""
    if not enabled():
        return utcnow
    return lambda: now(session_id)


def set_time(session_id: uuid.UUID, at: datetime) -> None:
    """From now on the number's clock reads `at` (and runs on from there)."""
    if not enabled():
        raise RuntimeError("simulated clocks exist only with APP_ENV=test or e2e")
    offset = (at - utcnow()).total_seconds()
    _redis().set(KEY.format(session_id), repr(offset), ex=TTL_SECONDS)


def reset(session_id: uuid.UUID) -> None:
    if not enabled():
        raise RuntimeError("simulated clocks exist only with APP_ENV=test or e2e")
    _redis().delete(KEY.format(session_id))
