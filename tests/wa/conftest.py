"""Fakes for the WhatsApp engine tests: a controllable clock and a SessionClient that records what it sends."""

import random
from datetime import datetime, timedelta

import pytest

from shared.models import WaSessionStatus
from shared.timeutil import WIB
from shared.wa import outbox
from shared.wa.sender import SenderLoop
from shared.wa.transport import NumberCheck, SendReceipt, WaError, WaSendError


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class SimulatedCrash(BaseException):
    """The worker process dies here (not an Exception: nothing in the loop may catch it)."""


class FakeClient:
    """A SessionClient that records sends with the clock's time; failures and crashes are scripted per phone."""

    def __init__(self, clock: FakeClock, *, not_on_whatsapp: set[str] = frozenset()):
        self.clock = clock
        self.not_on_whatsapp = set(not_on_whatsapp)
        self.connected = True
        self.sent: list[tuple[str, str, str | None, datetime]] = []
        self.checked: list[str] = []
        self.failures: dict[str, list[WaError]] = {}
        self.crash_before_send: set[str] = set()
        self.crash_after_send: set[str] = set()
        # Die on the n-th call of send_text (1-based), before or after the message goes out.
        self.crash_before_call: int | None = None
        self.crash_after_call: int | None = None
        self.calls = 0

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def logout(self) -> None: ...

    def simulate_scan(self) -> None:
        raise WaError("not_supported", "Hanya untuk simulator.")

    def is_connected(self) -> bool:
        return self.connected

    def check_number(self, phone: str) -> NumberCheck:
        self.checked.append(phone)
        return NumberCheck(on_whatsapp=phone not in self.not_on_whatsapp, jid=f"{phone}@s.whatsapp.net")

    def send_text(self, phone: str, text: str, *, message_id: str | None = None) -> SendReceipt:
        self.calls += 1
        if self.calls == self.crash_before_call:
            raise SimulatedCrash(phone)
        if phone in self.crash_before_send:
            self.crash_before_send.discard(phone)
            raise SimulatedCrash(phone)
        if self.failures.get(phone):
            raise self.failures[phone].pop(0)
        self.sent.append((phone, text, message_id, self.clock()))
        if phone in self.crash_after_send or self.calls == self.crash_after_call:
            self.crash_after_send.discard(phone)
            raise SimulatedCrash(phone)
        return SendReceipt(message_id=message_id, timestamp=self.clock())

    def fail_next(self, phone: str, code: str, times: int = 1) -> None:
        self.failures.setdefault(phone, []).extend(WaSendError(code, f"Gagal ({code})") for _ in range(times))

    def sends_to(self, phone: str) -> int:
        return sum(1 for sent in self.sent if sent[0] == phone)


@pytest.fixture
def set_send_window():
    """Store the superadmin's send window (in the test's transaction) and make the outbox read it afresh."""
    from sqlalchemy.dialects.postgresql import insert

    from shared.models import Setting
    from shared.wa import pacing

    def store(db, start: str, end: str) -> pacing.SendWindow:
        for key, value in (("wa_send_window_start", start), ("wa_send_window_end", end)):
            stmt = insert(Setting).values(key=key, value=value)
            db.execute(stmt.on_conflict_do_update(index_elements=[Setting.key], set_={"value": value}))
        db.flush()
        outbox.forget_send_window()
        return outbox.send_window(db)

    yield store
    outbox.forget_send_window()


@pytest.fixture
def clock() -> FakeClock:
    # 07:00 WIB: the send window (waking hours) has just opened.
    return FakeClock(datetime(2030, 3, 4, 7, 0, tzinfo=WIB))


@pytest.fixture
def fake_client(clock) -> FakeClient:
    return FakeClient(clock)


@pytest.fixture
def wa_session(db, mitra):
    wa = outbox.get_or_create_session(db, mitra.id)
    wa.status = WaSessionStatus.connected
    db.flush()
    return wa


@pytest.fixture
def make_loop(session_factory, clock):
    def factory(wa, fake_client, *, seed: int = 1, status: str = "sent") -> SenderLoop:
        return SenderLoop(wa.id, wa.user_id, fake_client, session_factory=session_factory, clock=clock,
                          rng=random.Random(seed), transport_status=status)

    return factory
