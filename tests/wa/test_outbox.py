"""The outbox: queueing, claiming, outcomes and their logs, state changes, ownership locks (real PostgreSQL)."""

import random
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from shared.errors import Conflict
from shared.models import Invoice, WaMessageLog, WaMessageQueue, WaSession, WaSessionStatus
from shared.wa import outbox, pacing
from shared.wa.outbox import PacedItem, WaNotConnected
from shared.wa.transport import NOT_ON_WHATSAPP, REACH_OUT_REFUSED, TEMPORARILY_BANNED, TIMEOUT


def logs_of(db, row) -> list[WaMessageLog]:
    return list(db.scalars(select(WaMessageLog).where(WaMessageLog.queue_id == row.id).order_by(WaMessageLog.sent_at)))


def items(count: int, *, prefix: str = "62811000", **fields) -> list[PacedItem]:
    return [PacedItem(phone=f"{prefix}{n:04d}", content=f"Pesan {n}", **fields) for n in range(count)]


def test_get_or_create_session_makes_one_row_per_user(db, mitra):
    first = outbox.get_or_create_session(db, mitra.id)
    again = outbox.get_or_create_session(db, mitra.id)
    assert first.id == again.id and first.status == WaSessionStatus.disconnected
    assert db.scalar(select(func.count()).select_from(WaSession).where(WaSession.user_id == mitra.id)) == 1


def test_a_direct_send_without_a_connected_number_logs_the_failure_and_refuses(db, mitra):
    with pytest.raises(WaNotConnected) as refused:
        outbox.queue_direct(db, owner_id=mitra.id, message_type="manual", phone="6281234567890", content="Halo")
    error = refused.value
    assert (error.status, error.code, error.message) == (409, "wa_not_connected", "Hubungkan WhatsApp terlebih dahulu.")
    assert error.keep_writes and isinstance(error, Conflict)
    failed = db.scalars(select(WaMessageLog).where(WaMessageLog.user_id == mitra.id)).one()
    assert (failed.status, failed.error_message, failed.phone) == ("failed", "Session WA tidak terkoneksi",
                                                                    "6281234567890")
    assert db.scalar(select(func.count()).select_from(WaMessageQueue)
                     .where(WaMessageQueue.session_id == failed.session_id)) == 0


def test_a_direct_send_is_queued_now_and_wakes_the_worker_after_commit(db, wa_session, monkeypatch):
    from shared.wa import bus

    published = []
    monkeypatch.setattr(bus, "publish", lambda cmd, **fields: published.append((cmd, fields)))
    row = outbox.queue_direct(db, owner_id=wa_session.user_id, message_type="receipt", phone="6281234567890",
                              content="Nota")
    assert (row.kind, row.status, row.session_id, row.max_retries) == ("direct", "pending", wa_session.id, 0)
    assert published == []  # not before the transaction commits
    db.commit()
    assert published == [("wake", {"session_id": wa_session.id})]


def test_a_broken_bus_never_breaks_the_caller(db, wa_session, monkeypatch):
    from shared.wa import bus

    def broken(cmd, **fields):
        raise RuntimeError("redis down")

    monkeypatch.setattr(bus, "publish", broken)
    outbox.queue_direct(db, owner_id=wa_session.user_id, message_type="manual", phone="6281234567890", content="x")
    db.commit()


def test_paced_rows_are_staggered_and_a_second_bulk_queues_behind_the_first(db, wa_session, clock):
    first = outbox.queue_paced(db, owner_id=wa_session.user_id, items=items(25), now=clock(), rng=random.Random(1))
    times = [row.scheduled_at for row in first]
    assert times[0] == clock() and times == sorted(times)
    assert all(b - a >= pacing.MIN_GAP for a, b in pairwise(times))
    assert times[20] - times[19] >= pacing.REST
    second = outbox.queue_paced(db, owner_id=wa_session.user_id, items=items(3, prefix="62822000"), now=clock(),
                                rng=random.Random(2))
    assert second[0].scheduled_at >= times[-1] + pacing.MIN_GAP
    assert {row.kind for row in first + second} == {"paced"}


def test_a_reminder_for_an_invoice_is_queued_once(db, wa_session, clock, make_customer, mitra):
    from shared.services.billing import generate_invoices

    customer = make_customer(owner=mitra, billing_date=5)
    generate_invoices(db, period="2030-04", owner_id=mitra.id)
    invoice_id = db.scalar(select(Invoice.id).where(Invoice.customer_id == customer.id))
    item = PacedItem(phone=customer.phone, content="Pengingat", message_type="reminder", invoice_id=invoice_id,
                     customer_id=customer.id, due_date=date(2030, 3, 5))
    assert len(outbox.queue_paced(db, owner_id=mitra.id, items=[item, item], now=clock())) == 1
    assert outbox.queue_paced(db, owner_id=mitra.id, items=[item], now=clock()) == []


def test_claim_takes_direct_rows_first_and_paced_rows_only_when_due_and_allowed(db, wa_session, clock):
    paced = outbox.queue_paced(db, owner_id=wa_session.user_id, items=items(2), now=clock())
    direct = outbox.queue_direct(db, owner_id=wa_session.user_id, message_type="manual", phone="6281299999999",
                                 content="Langsung")
    db.commit()
    claimed = outbox.claim_next(db, wa_session.id, clock(), paced_allowed=False)
    assert claimed.id == direct.id and claimed.status == "sending" and claimed.claimed_at == clock()
    assert claimed.wa_message_id and claimed.wa_message_id.startswith("3EB0")
    assert outbox.claim_next(db, wa_session.id, clock(), paced_allowed=False) is None
    assert outbox.claim_next(db, wa_session.id, clock(), paced_allowed=True).id == paced[0].id
    # The second paced row is scheduled later than now: not due yet.
    assert outbox.claim_next(db, wa_session.id, clock(), paced_allowed=True) is None
    assert outbox.claim_next(db, wa_session.id, paced[1].scheduled_at, paced_allowed=True).id == paced[1].id


def claim_one(db, wa, clock):
    row = outbox.claim_next(db, wa.id, clock(), paced_allowed=True)
    assert row is not None
    return row


def test_complete_marks_sent_and_logs_with_the_transport_status(db, wa_session, clock, mitra):
    row, = outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    row = claim_one(db, wa_session, clock)
    outbox.complete(db, row, now=clock(), delivered_status="delivered")
    assert (row.status, row.sent_at) == ("sent", clock())
    entry, = logs_of(db, row)
    assert (entry.status, entry.user_id, entry.session_id, entry.phone, entry.content, entry.wa_message_id) == (
        "delivered", mitra.id, wa_session.id, row.phone, row.content, row.wa_message_id)


def test_a_paced_failure_is_retried_after_ten_minutes_three_times_then_fails(db, wa_session, clock, mitra):
    row, = outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    message_id = None
    for attempt in range(1, 4):
        row = claim_one(db, wa_session, clock)
        message_id = message_id or row.wa_message_id
        assert row.wa_message_id == message_id  # the same message on every try
        outbox.fail(db, row, code=TIMEOUT, message="Waktu habis", now=clock())
        assert (row.status, row.retry_count) == ("pending", attempt)
        assert row.scheduled_at == clock() + pacing.RETRY_DELAY
        clock.advance(pacing.RETRY_DELAY.total_seconds())
    row = claim_one(db, wa_session, clock)
    outbox.fail(db, row, code=TIMEOUT, message="Waktu habis", now=clock())
    assert (row.status, row.retry_count, row.error_message) == ("failed", 3, "Waktu habis")
    assert [entry.status for entry in logs_of(db, row)] == ["failed"] * 4


def test_a_number_not_on_whatsapp_fails_at_once(db, wa_session, clock, mitra):
    outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    row = claim_one(db, wa_session, clock)
    outbox.fail(db, row, code=NOT_ON_WHATSAPP, message="Tidak terdaftar", now=clock())
    assert (row.status, row.retry_count) == ("failed", 0)


def test_a_direct_failure_is_not_retried_automatically(db, wa_session, clock, mitra):
    outbox.queue_direct(db, owner_id=mitra.id, message_type="manual", phone="6281234567890", content="x")
    row = claim_one(db, wa_session, clock)
    outbox.fail(db, row, code=TIMEOUT, message="Waktu habis", now=clock())
    assert row.status == "failed"


@pytest.mark.parametrize("code", [REACH_OUT_REFUSED, TEMPORARILY_BANNED])
def test_a_refusal_pauses_the_number_and_the_row_waits_without_using_a_try(db, wa_session, clock, mitra, code):
    outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    row = claim_one(db, wa_session, clock)
    outbox.fail(db, row, code=code, message="Ditolak", now=clock())
    db.refresh(wa_session)
    assert wa_session.paused_until == clock() + timedelta(hours=1)
    assert "dijeda sampai" in wa_session.pause_reason and "WIB" in wa_session.pause_reason
    assert (row.status, row.retry_count) == ("pending", 0)
    assert row.scheduled_at >= wa_session.paused_until
    assert logs_of(db, row)[0].status == "failed"


def test_a_ban_pauses_until_its_end(db, wa_session, clock, mitra):
    outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    row = claim_one(db, wa_session, clock)
    until = clock() + timedelta(hours=6)
    outbox.fail(db, row, code=TEMPORARILY_BANNED, message="Diblokir", now=clock(), paused_until=until)
    assert wa_session.paused_until == until


def test_retry_and_cancel_only_from_the_right_state(db, wa_session, clock, mitra):
    row, other = outbox.queue_paced(db, owner_id=mitra.id, items=items(2), now=clock())
    with pytest.raises(Conflict):
        outbox.retry(db, row)
    outbox.cancel(db, other)
    assert other.status == "cancelled"
    with pytest.raises(Conflict):
        outbox.cancel(db, other)
    row = claim_one(db, wa_session, clock)
    with pytest.raises(Conflict):
        outbox.cancel(db, row)  # already being sent
    outbox.fail(db, row, code=NOT_ON_WHATSAPP, message="x", now=clock())
    clock.advance(60)
    outbox.retry(db, row, now=clock())
    assert (row.status, row.scheduled_at, row.error_message) == ("pending", clock(), None)
    assert row.max_retries >= row.retry_count + 1


def test_a_manual_retry_of_an_exhausted_row_gets_one_more_try(db, wa_session, clock, mitra):
    row, = outbox.queue_paced(db, owner_id=mitra.id, items=items(1), now=clock())
    row.status, row.retry_count = "failed", 3
    outbox.retry(db, row, now=clock())
    assert (row.retry_count, row.max_retries) == (3, 4)
    row = claim_one(db, wa_session, clock)
    assert row.status == "sending"


def test_rows_left_sending_by_a_dead_worker_fail_visibly_and_are_not_resent(db, wa_session, clock, mitra):
    outbox.queue_paced(db, owner_id=mitra.id, items=items(2), now=clock())
    row = claim_one(db, wa_session, clock)
    assert outbox.recover_abandoned(db, wa_session.id, clock() + timedelta(seconds=30)) == 0  # still fresh
    assert outbox.recover_abandoned(db, wa_session.id, clock() + timedelta(minutes=3)) == 1
    assert (row.status, row.error_message) == ("failed", outbox.ABANDONED)
    assert logs_of(db, row)[0].error_message == outbox.ABANDONED
    assert outbox.claim_next(db, wa_session.id, clock() + timedelta(hours=1), paced_allowed=True).id != row.id


def test_queue_counts_by_status_and_session(db, wa_session, clock, mitra, other_mitra):
    outbox.queue_paced(db, owner_id=mitra.id, items=items(3), now=clock())
    outbox.queue_paced(db, owner_id=other_mitra.id, items=items(2), now=clock())
    row = claim_one(db, wa_session, clock)
    outbox.complete(db, row, now=clock())
    counts = outbox.queue_counts(db, [wa_session.id])
    assert counts == {"pending": 2, "sending": 0, "sent": 1, "failed": 0, "cancelled": 0}
    assert outbox.queue_counts(db, None)["pending"] >= 4
