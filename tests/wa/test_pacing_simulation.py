"""The spec's worst case on a simulated clock: 5 mitra × 500 customers, all due the same day.

The 06:00 planner runs each day of the week before; one SenderLoop per number sends, interleaved in time order.
Two workers die mid-run (one right after a send, one between claim and send) and are replaced. Every number keeps
every pacing rule, every customer is reminded exactly once and before the due date, nothing is lost.
"""

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, insert, select

from shared.models import Customer, WaMessageLog, WaMessageQueue, WaSessionStatus
from shared.services import billing
from shared.timeutil import WIB
from shared.wa import outbox, pacing, planner
from shared.wa.sender import SenderLoop
from tests.wa.conftest import FakeClient, FakeClock, SimulatedCrash

MITRA = 5
CUSTOMERS = 500
DUE = date(2030, 3, 15)


# Two simulated days of 2,500 sends against the database: more than the suite-wide 120 s guard on a slow machine.
@pytest.mark.timeout(300)
def test_five_mitra_with_500_customers_due_the_same_day_are_all_reminded_in_time_within_the_limits(
        db, make_user, make_package, session_factory):
    package = make_package(price=150_000)
    mitras = [make_user() for _ in range(MITRA)]
    db.execute(insert(Customer), [
        {"owner_id": mitra.id, "package_id": package.id, "name": f"Pelanggan {m}-{n}", "phone": f"6281{m}{n:08d}",
         "billing_date": DUE.day, "discount": 0, "total_bill": package.price}
        for m, mitra in enumerate(mitras) for n in range(CUSTOMERS)])
    sessions = [outbox.get_or_create_session(db, mitra.id) for mitra in mitras]
    for wa in sessions:
        wa.status = WaSessionStatus.connected
    db.commit()
    session_ids = [wa.id for wa in sessions]

    clock = FakeClock(datetime.combine(DUE - timedelta(days=7), time(5, 0), tzinfo=WIB))
    clients = {wa.id: FakeClient(clock) for wa in sessions}
    # Mitra 0's worker dies right after its 100th send went out; mitra 1's between the claim and its 151st send
    # (both on the first sending day, which has room left for the operator's retry).
    clients[sessions[0].id].crash_after_call = 100
    clients[sessions[1].id].crash_before_call = 151
    crashed: dict[str, str] = {}

    def new_loop(wa, seed):
        return SenderLoop(wa.id, wa.user_id, clients[wa.id], session_factory=session_factory, clock=clock,
                          rng=random.Random(seed), transport_status="delivered")

    loops = {wa.id: new_loop(wa, n) for n, wa in enumerate(sessions)}
    by_id = {wa.id: wa for wa in sessions}
    next_at = dict.fromkeys(session_ids, clock())
    run_days = [DUE - timedelta(days=n) for n in range(7, 0, -1)]
    results, to_retry = [], None

    def outstanding() -> int:
        return db.scalar(select(func.count()).select_from(WaMessageQueue).where(
            WaMessageQueue.session_id.in_(session_ids), WaMessageQueue.status.in_(("pending", "sending"))))

    for _ in range(200_000):
        run_at = datetime.combine(run_days[0], time(6), tzinfo=WIB) if run_days else None
        sid = min(next_at, key=next_at.get)
        if run_at is not None and run_at <= next_at[sid]:
            clock.now = run_at
            results.append(billing.run_h1_day(db, run_date=run_days.pop(0), now=clock()))
            db.commit()
            next_at = dict.fromkeys(session_ids, clock())
            continue
        clock.now = max(clock.now, next_at[sid])
        try:
            delay = loops[sid].step(idle_cap=None)
        except SimulatedCrash as crash:
            crashed["after" if sid == sessions[0].id else "before"] = crash.args[0]
            loops[sid] = new_loop(by_id[sid], 100 + len(crashed))  # the restarted worker
            delay = 0.0
        if to_retry is None and "before" in crashed and sid == sessions[1].id:
            row = db.scalars(select(WaMessageQueue).where(WaMessageQueue.phone == crashed["before"])).one()
            db.refresh(row)
            if row.status == "failed":
                # The operator sees the interrupted send in the queue tab and retries it.
                assert row.error_message == outbox.ABANDONED
                outbox.retry(db, row, now=clock())
                db.commit()
                to_retry = row.phone
        if run_at is None and delay >= 600 and outstanding() == 0:
            break
        next_at[sid] = clock() + timedelta(seconds=delay)
    else:
        raise AssertionError("the simulation did not finish")

    crash_after_send, crash_before_send = crashed["after"], crashed["before"]
    assert to_retry == crash_before_send
    due_midnight = datetime.combine(DUE, time(0), tzinfo=WIB)
    db.expire_all()
    rows = {row.phone: row for row in db.scalars(select(WaMessageQueue)
                                                 .where(WaMessageQueue.session_id.in_(session_ids)))}

    # The planner started the overflow early: 500 do not fit in the eve's 300.
    assert sum(r["startedEarly"] for r in results) == MITRA * (CUSTOMERS - pacing.MAX_PER_DAY)
    assert sum(r["queued"] for r in results) == MITRA * CUSTOMERS

    for wa in sessions:
        times = sorted(at for *_, at in clients[wa.id].sent)
        assert all(b - a >= pacing.MIN_GAP for a, b in pairwise(times))
        assert all(times[i + pacing.MAX_PER_HOUR] - times[i] >= pacing.HOUR
                   for i in range(len(times) - pacing.MAX_PER_HOUR))
        per_day = Counter(at.astimezone(WIB).date() for at in times)
        assert max(per_day.values()) <= pacing.MAX_PER_DAY
        run = 1
        for a, b in pairwise(times):
            run = run + 1 if b - a < pacing.REST else 1
            assert run <= pacing.BATCH
        assert times[-1] < due_midnight

    sends = Counter(phone for client in clients.values() for phone, *_ in client.sent)
    # Every customer reminded exactly once: the interrupted-after-send one is not resent, the interrupted-before-send
    # one went out once after the operator's retry.
    assert set(sends.values()) == {1} and len(sends) == MITRA * CUSTOMERS
    # Nothing lost: every row is sent, or failed visibly for the operator (the one that went out before the crash).
    statuses = Counter(row.status for row in rows.values())
    assert statuses == {"sent": MITRA * CUSTOMERS - 1, "failed": 1}
    assert rows[crash_after_send].status == "failed" and rows[crash_after_send].error_message == outbox.ABANDONED
    for phone in (crash_after_send, crash_before_send):
        assert outbox.ABANDONED in db.scalars(select(WaMessageLog.error_message)
                                              .where(WaMessageLog.queue_id == rows[phone].id)).all()

    plan = planner.reminder_plan(db, session_ids, DUE - timedelta(days=1))
    assert [(p["due_date"], p["total"], p["sent"], p["failed"], p["started_early"]) for p in plan] == [
        (DUE, MITRA * CUSTOMERS, MITRA * CUSTOMERS - 1, 1, True)]
    days_used = defaultdict(set)
    for row in rows.values():
        days_used[row.session_id].add(row.scheduled_at.astimezone(WIB).date())
    assert all(days == {DUE - timedelta(days=2), DUE - timedelta(days=1)} for days in days_used.values())
