"""The SenderLoop on a fake clock and a fake client: direct rows at once, paced rows under the rules, failures."""
# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter

from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import select, update

from shared.models import Invoice, PaymentStatus, User, WaMessageLog, WaMessageQueue, WaNumberCheck, WaSession
from shared.timeutil import WIB
from shared.wa import outbox, pacing
from shared.wa.outbox import PacedItem
from shared.wa.sender import IDLE_POLL
from shared.wa.transport import NOT_ON_WHATSAPP, REACH_OUT_REFUSED, TIMEOUT
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture
from tests.wa.conftest import FakeClient, SimulatedCrash

PHONE = "6281234500001"


def paced(db, wa, clock, count, *, prefix="62811000"):
    rows = outbox.queue_paced(db, owner_id=wa.user_id, items=[
        PacedItem(phone=f"{prefix}{n:04d}", content=f"Pesan {n}") for n in range(count)], now=clock())
    db.commit()
    return rows


def direct(db, wa, phone=PHONE, content="Nota"):
    row = outbox.queue_direct(db, owner_id=wa.user_id, message_type="receipt", phone=phone, content=content)
    db.commit()
    return row


def reload(db, row) -> WaMessageQueue:
    db.expire_all()
    return db.get(WaMessageQueue, row.id)


def run_until_quiet(loop, clock, *, limit=10_000, horizon=None):
    """Step the loop, advancing the fake clock by what it asks, until nothing is pending (or the horizon)."""
    for _ in range(limit):
        delay = loop.step(idle_cap=None)
        if delay >= 600 or (horizon and clock() >= horizon):
            return
        clock.advance(delay)
    raise AssertionError("loop did not settle")


def test_a_direct_row_goes_out_within_one_step_and_idle_steps_poll_within_a_second(db, wa_session, make_loop,
                                                                                     fake_client, clock):
    loop = make_loop(wa_session, fake_client)
    assert loop.step() <= IDLE_POLL  # nothing to do: poll again within a second
    row = direct(db, wa_session)
    assert loop.step() == 0
    assert [(phone, text) for phone, text, _, _ in fake_client.sent] == [(PHONE, "Nota")]
    row = reload(db, row)
    assert (row.status, row.sent_at) == ("sent", clock())
    entry = db.scalars(select(WaMessageLog).where(WaMessageLog.queue_id == row.id)).one()
    assert (entry.status, entry.wa_message_id) == ("sent", row.wa_message_id)


def test_direct_rows_bypass_the_pacing_and_do_not_count_in_it(db, wa_session, make_loop, fake_client, clock):
    loop = make_loop(wa_session, fake_client)
    paced(db, wa_session, clock, 2)
    # After the first paced send it waits for the paced gap, but polls for direct rows every second.
    assert loop.step() == IDLE_POLL and len(fake_client.sent) == 1
    assert loop.step() == IDLE_POLL
    wait = loop.step(idle_cap=None)
    assert 8 <= wait <= 20  # the gap before the next paced one
    direct(db, wa_session, phone="6281234500002")
    direct(db, wa_session, phone="6281234500003")
    loop.step()
    loop.step()
    assert [sent[0] for sent in fake_client.sent] == ["628110000000", "6281234500002", "6281234500003"]
    assert all(at == clock() for *_, at in fake_client.sent)
    # The paced gap is measured from the last paced send only.
    assert 8 <= loop.step(idle_cap=None) <= 20


def test_paced_sends_follow_gap_rest_and_hour_rules_from_the_database(db, wa_session, make_loop, fake_client, clock):
    paced(db, wa_session, clock, 60)
    loop = make_loop(wa_session, fake_client)
    run_until_quiet(loop, clock, horizon=clock() + timedelta(minutes=40))
    times = [at for *_, at in fake_client.sent]
    assert len(times) == pacing.MAX_PER_HOUR  # the 51st waits for the hour
    assert all(b - a >= pacing.MIN_GAP for a, b in pairwise(times))
    assert times[20] - times[19] >= pacing.REST and times[40] - times[39] >= pacing.REST
    # A restarted loop (new process) knows the hour is full: the counts come from the database.
    restarted = make_loop(wa_session, fake_client, seed=9)
    wait = restarted.step(idle_cap=None)
    assert clock() + timedelta(seconds=wait) == times[0] + pacing.HOUR
    assert len(fake_client.sent) == pacing.MAX_PER_HOUR


def test_a_number_not_on_whatsapp_is_never_messaged_and_checks_are_cached(db, wa_session, make_loop, clock):
    client = FakeClient(clock, not_on_whatsapp={"628110000000"})
    paced(db, wa_session, clock, 1)
    direct(db, wa_session, phone="628110000000")
    loop = make_loop(wa_session, client)
    loop.step()
    loop.step()
    assert client.sent == []
    rows = list(db.scalars(select(WaMessageQueue).where(WaMessageQueue.session_id == wa_session.id)))
    db.expire_all()
    assert {(row.status, row.retry_count) for row in rows} == {("failed", 0)}
    assert client.checked == ["628110000000"]  # the second row used the cached answer
    check = db.get(WaNumberCheck, (wa_session.id, "628110000000"))
    assert check.on_whatsapp is False
    assert all("tidak terdaftar di WhatsApp" in row.error_message for row in rows)


def test_a_check_older_than_30_days_is_done_again(db, wa_session, make_loop, fake_client, clock):
    direct(db, wa_session)
    loop = make_loop(wa_session, fake_client)
    loop.step()
    clock.advance(timedelta(days=31).total_seconds())
    direct(db, wa_session)
    loop.step()
    direct(db, wa_session)
    loop.step()
    assert fake_client.checked == [PHONE, PHONE]
    assert fake_client.sends_to(PHONE) == 3


def test_a_failed_paced_send_is_retried_every_ten_minutes_three_times(db, wa_session, make_loop, fake_client, clock):
    row, = paced(db, wa_session, clock, 1)
    fake_client.fail_next(row.phone, TIMEOUT, times=4)
    loop = make_loop(wa_session, fake_client)
    attempts = []
    for _ in range(4):
        loop.step(idle_cap=None)  # one attempt
        attempts.append(clock())
        if reload(db, row).status == "failed":
            break
        assert reload(db, row).scheduled_at == clock() + pacing.RETRY_DELAY
        clock.advance(loop.step(idle_cap=None))  # idle until the retry is due
    row = reload(db, row)
    assert (row.status, row.retry_count) == ("failed", 3)
    assert [b - a for a, b in pairwise(attempts)] == [pacing.RETRY_DELAY] * 3
    logs = db.scalars(select(WaMessageLog).where(WaMessageLog.queue_id == row.id)).all()
    assert [entry.status for entry in logs] == ["failed"] * 4
    assert fake_client.sent == []


def test_a_retry_that_succeeds_is_sent_once(db, wa_session, make_loop, fake_client, clock):
    row, = paced(db, wa_session, clock, 1)
    fake_client.fail_next(row.phone, TIMEOUT)
    loop = make_loop(wa_session, fake_client)
    loop.step(idle_cap=None)
    clock.advance(loop.step(idle_cap=None))
    loop.step(idle_cap=None)
    assert reload(db, row).status == "sent" and fake_client.sends_to(row.phone) == 1


def test_a_463_pauses_paced_sends_for_an_hour_but_direct_ones_still_go(db, wa_session, make_loop, fake_client, clock):
    first, second = paced(db, wa_session, clock, 2)
    fake_client.fail_next(first.phone, REACH_OUT_REFUSED)
    loop = make_loop(wa_session, fake_client)
    loop.step(idle_cap=None)
    session_row = db.get(WaSession, wa_session.id)
    db.refresh(session_row)
    assert session_row.paused_until == clock() + timedelta(hours=1) and "463" in session_row.pause_reason
    first = reload(db, first)
    assert (first.status, first.retry_count) == ("pending", 0)
    # While paused: no paced send even when due; a direct row goes at once.
    clock.advance(120)
    assert loop.step(idle_cap=None) == timedelta(minutes=58).total_seconds()
    direct(db, wa_session)
    loop.step()
    assert [sent[0] for sent in fake_client.sent] == [PHONE]
    # After the pause the paced rows resume and the pause is cleared.
    clock.advance(timedelta(minutes=58).total_seconds())
    run_until_quiet(loop, clock)
    assert {sent[0] for sent in fake_client.sent} == {PHONE, first.phone, second.phone}
    db.refresh(session_row)
    assert session_row.paused_until is None and session_row.pause_reason is None


def test_a_send_left_sending_by_a_crash_is_failed_by_the_next_loop_not_resent(db, wa_session, make_loop, fake_client,
                                                                               clock):
    row, later = paced(db, wa_session, clock, 2)
    fake_client.crash_after_send.add(row.phone)
    loop = make_loop(wa_session, fake_client)
    try:
        loop.step()
        raise AssertionError("the crash did not happen")
    except SimulatedCrash:
        pass
    assert reload(db, row).status == "sending"
    successor = make_loop(wa_session, fake_client, seed=2)
    clock.advance(5)
    run_until_quiet(successor, clock)
    row = reload(db, row)
    assert (row.status, row.error_message) == ("failed", outbox.ABANDONED)
    assert fake_client.sends_to(row.phone) == 1  # delivered before the crash, never again
    assert reload(db, later).status == "sent" and fake_client.sends_to(later.phone) == 1


def test_a_disconnected_client_claims_nothing(db, wa_session, make_loop, fake_client, clock):
    direct(db, wa_session)
    fake_client.connected = False
    loop = make_loop(wa_session, fake_client)
    assert loop.step() == IDLE_POLL
    assert fake_client.sent == []
    fake_client.connected = True
    loop.step()
    assert fake_client.sends_to(PHONE) == 1


def test_the_outcome_is_pushed_to_the_owner(db, wa_session, make_loop, fake_client, clock):
    from shared.wa import events

    seen = []
    events.listeners.append(lambda event, payload, room: seen.append((event, payload, room)))
    try:
        row = direct(db, wa_session)
        make_loop(wa_session, fake_client).step()
    finally:
        events.listeners.pop()
    event, payload, room = seen[-1]
    assert (event, room) == ("wa:message", f"user:{wa_session.user_id}")
    assert (payload["queueId"], payload["status"], payload["messageType"]) == (str(row.id), "sent", "receipt")


def test_a_not_on_whatsapp_code_from_the_send_fails_the_row_at_once(db, wa_session, make_loop, fake_client, clock):
    row, = paced(db, wa_session, clock, 1)
    fake_client.fail_next(row.phone, NOT_ON_WHATSAPP)
    make_loop(wa_session, fake_client).step()
    assert reload(db, row).status == "failed"


def _reminders(db, wa, clock, make_customer, make_invoice, *, due, count=2):
    invoices = [make_invoice(customer=make_customer(owner=db.get(User, wa.user_id)), due=due) for _ in range(count)]
    outbox.queue_paced(db, owner_id=wa.user_id, now=clock(), items=[
        PacedItem(phone=f"62811000{n:04d}", content=f"Pengingat {n}", message_type="reminder",
                  customer_id=invoice.customer_id, invoice_id=invoice.id, due_date=due)
        for n, invoice in enumerate(invoices)])
    db.commit()
    return invoices


def test_a_reminder_whose_invoice_was_paid_meanwhile_is_cancelled_not_sent(db, wa_session, make_loop, fake_client,
                                                                          clock, make_customer, make_invoice):
    due = clock().astimezone(WIB).date() + timedelta(days=1)
    paid, unpaid = _reminders(db, wa_session, clock, make_customer, make_invoice, due=due)
    db.execute(update(Invoice).where(Invoice.id == paid.id).values(status=PaymentStatus.paid))
    db.commit()
    run_until_quiet(make_loop(wa_session, fake_client), clock)
    assert [text for _, text, _, _ in fake_client.sent] == ["Pengingat 1"]
    rows = {row.invoice_id: row for row in db.scalars(select(WaMessageQueue).where(
        WaMessageQueue.session_id == wa_session.id)).all()}
    assert rows[paid.id].status == "cancelled" and rows[paid.id].error_message == outbox.PAID_CANCELLED
    assert rows[unpaid.id].status == "sent"


def test_a_reminder_still_queued_after_its_due_date_fails_with_a_reason(db, wa_session, make_loop, fake_client,
                                                                       clock, make_customer, make_invoice):
    yesterday = clock().astimezone(WIB).date() - timedelta(days=1)
    late = _reminders(db, wa_session, clock, make_customer, make_invoice, due=yesterday, count=1)[0]
    run_until_quiet(make_loop(wa_session, fake_client), clock)
    assert fake_client.sent == []
    row = db.scalars(select(WaMessageQueue).where(WaMessageQueue.invoice_id == late.id)).one()
    assert row.status == "failed" and "sudah lewat" in row.error_message
    entry = db.scalars(select(WaMessageLog).where(WaMessageLog.queue_id == row.id)).one()
    assert entry.status == "failed" and entry.error_message == row.error_message


# ---------------------------------------------------------------------------------------------
# Waking hours


def run_until_sent(loop, client, clock, count, *, limit=10_000):
    """Step the loop, advancing the fake clock by what it asks (overnight waits too), until `count` were sent."""
    for _ in range(limit):
        if len(client.sent) >= count:
            return
        clock.advance(loop.step(idle_cap=None))
    raise AssertionError("loop did not send them all")


def test_a_bulk_queued_at_22_waits_for_07_and_nothing_paced_goes_out_at_night(db, wa_session, make_loop, fake_client,
                                                                               clock):
    clock.now = clock.now.replace(hour=22)
    rows = paced(db, wa_session, clock, 30)
    morning = clock.now.replace(hour=7) + timedelta(days=1)
    assert rows[0].scheduled_at == morning and all(pacing.DEFAULT_WINDOW.contains(r.scheduled_at) for r in rows)
    # A retry left scheduled for 21:05 is not claimed at night either, and a direct receipt still goes at once.
    db.execute(update(WaMessageQueue).where(WaMessageQueue.id == rows[0].id)
               .values(scheduled_at=clock.now.replace(hour=21, minute=5)))
    db.commit()
    direct(db, wa_session)
    loop = make_loop(wa_session, fake_client)
    for _ in range(20):
        delay = loop.step(idle_cap=None)
        assert delay > 0 or len(fake_client.sent) <= 1  # no busy loop while the window is closed
        clock.advance(min(delay, 1800) or 0.5)
        if clock() >= morning - timedelta(minutes=30):
            break
    assert [text for _, text, _, _ in fake_client.sent] == ["Nota"]
    run_until_sent(loop, fake_client, clock, 31)
    paced_sends = [at for _, text, _, at in fake_client.sent if text != "Nota"]
    assert len(paced_sends) == 30 and min(paced_sends) >= morning


def test_a_send_running_into_21_stops_there_and_goes_on_at_07(db, wa_session, make_loop, fake_client, clock):
    clock.now = clock.now.replace(hour=20, minute=55)
    paced(db, wa_session, clock, 40)
    loop = make_loop(wa_session, fake_client)
    run_until_sent(loop, fake_client, clock, 40)
    times = [at for _, _, _, at in fake_client.sent]
    assert len(times) == 40 and all(pacing.DEFAULT_WINDOW.contains(at) for at in times)
    assert {at.astimezone(WIB).date() for at in times} == {date(2030, 3, 4), date(2030, 3, 5)}


def test_a_greeting_planned_for_the_morning_fits_the_hour_it_is_really_sent(db, wa_session, make_loop, fake_client,
                                                                            clock):
    clock.now = clock.now.replace(hour=16)
    outbox.queue_paced(db, owner_id=wa_session.user_id, now=clock(), items=[
        PacedItem(phone=PHONE, content="🔔 *Pengingat*\n\nSelamat pagi *Budi*,\n\nSelamat pagi juga dari kami.")])
    db.commit()
    make_loop(wa_session, fake_client).step()
    assert fake_client.sent[0][1] == "🔔 *Pengingat*\n\nSelamat sore *Budi*,\n\nSelamat pagi juga dari kami."
