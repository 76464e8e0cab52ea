"""Reminder planning: queue on the owner's number, start a too-big due date early, the plan per due date."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from shared.models import Customer, CustomerStatus, Invoice, WaMessageQueue
from shared.services import billing
from shared.timeutil import WIB
from shared.wa import planner

RUN = date(2030, 3, 8)  # due dates 9..15 are in view


def at(day: date, hour: int = 6) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB)


def many_customers(db, owner, package, count, billing_date, *, first=0, **fields):
    db.execute(insert(Customer), [
        {"owner_id": owner.id, "package_id": package.id, "name": f"P{n}", "phone": f"62877{billing_date:02d}{n:06d}",
         "billing_date": billing_date, "discount": 0, "total_bill": package.price, **fields}
        for n in range(first, first + count)])


def queued_for(db, owner, due: date) -> list[WaMessageQueue]:
    return list(db.scalars(select(WaMessageQueue).join(Invoice, Invoice.id == WaMessageQueue.invoice_id)
                           .where(Invoice.owner_id == owner.id, WaMessageQueue.due_date == due)))


def test_allot_today_sends_as_late_as_possible_and_only_what_does_not_fit_later():
    today = RUN
    capacity = {today + timedelta(days=n): 300 for n in range(7)}
    # 500 due in two days: 300 on the eve, 200 today.
    assert planner.allot_today({today + timedelta(days=2): 500}, capacity, today) == {today + timedelta(days=2): 200}
    assert planner.allot_today({today + timedelta(days=2): 300}, capacity, today) == {}
    # Two big due dates: the later one takes its eve, the earlier one is pushed back.
    demand = {today + timedelta(days=2): 300, today + timedelta(days=3): 450}
    assert planner.allot_today(demand, capacity, today) == {today + timedelta(days=2): 150}
    # Today already half full.
    assert planner.allot_today({today + timedelta(days=2): 500}, {**capacity, today: 100}, today) == {
        today + timedelta(days=2): 100}


def test_a_due_date_too_big_for_its_eve_starts_today_for_that_owner_only(db, mitra, other_mitra, make_package):
    package = make_package()
    due = RUN + timedelta(days=2)
    many_customers(db, mitra, package, 420, due.day)
    many_customers(db, mitra, package, 3, due.day, first=1000, status="isolated")
    many_customers(db, other_mitra, package, 10, due.day)
    result = billing.run_h1_day(db, run_date=RUN, now=at(RUN))
    assert result["startedEarly"] == 120 and result["startedEarlyByDueDate"] == {due.isoformat(): 120}
    early = queued_for(db, mitra, due)
    assert len(early) == 120 and {row.message_type for row in early} == {"reminder"}
    assert min(row.scheduled_at for row in early) >= at(RUN)
    assert max(row.scheduled_at for row in early) < at(RUN + timedelta(days=1), 0)
    # Invoices were made for that owner's due date now, not for the other owner (that waits for its H-1 run).
    assert db.scalar(select(func.count()).select_from(Invoice).where(Invoice.owner_id == mitra.id)) == 420
    assert db.scalar(select(func.count()).select_from(Invoice).where(Invoice.owner_id == other_mitra.id)) == 0
    # The next day the rest goes on its eve; the run is idempotent.
    nxt = billing.run_h1_day(db, run_date=RUN + timedelta(days=1), now=at(RUN + timedelta(days=1)))
    assert (nxt["reminders"], nxt["startedEarly"]) == (310, 0)
    assert billing.run_h1_day(db, run_date=RUN + timedelta(days=1), now=at(RUN + timedelta(days=1), 8))[
        "queued"] == 0
    assert len(queued_for(db, mitra, due)) == 420 and len(queued_for(db, other_mitra, due)) == 10
    isolated = select(Customer.id).where(Customer.owner_id == mitra.id, Customer.status == CustomerStatus.isolated)
    assert db.scalar(select(func.count()).select_from(WaMessageQueue)
                     .where(WaMessageQueue.customer_id.in_(isolated))) == 0


def test_a_paid_invoice_is_not_reminded_early(db, mitra, make_package):
    package = make_package()
    due = RUN + timedelta(days=2)
    many_customers(db, mitra, package, 305, due.day)
    billing.generate_invoices(db, period="2030-04", owner_id=mitra.id)
    paid = db.scalars(select(Invoice).where(Invoice.owner_id == mitra.id).limit(10)).all()
    for invoice in paid:
        invoice.status = "paid"
    db.flush()
    # 295 unpaid fit on the eve: nothing starts early.
    assert billing.run_h1_day(db, run_date=RUN, now=at(RUN))["startedEarly"] == 0


def test_the_plan_per_due_date_says_how_far_and_whether_it_started_early(db, mitra, make_package):
    package = make_package()
    due = RUN + timedelta(days=2)
    many_customers(db, mitra, package, 350, due.day)
    billing.run_h1_day(db, run_date=RUN, now=at(RUN))
    session_id = queued_for(db, mitra, due)[0].session_id
    plan, = planner.reminder_plan(db, [session_id], RUN)
    assert (plan["due_date"], plan["total"], plan["queued"], plan["sent"], plan["started_early"]) == (
        due, 50, 50, 0, True)
    # The 06:00 run's reminders start when the send window opens.
    assert plan["first_at"] == at(RUN, 7) and plan["last_at"] > plan["first_at"]
    assert planner.reminder_plan(db, [session_id], due + timedelta(days=1)) == []


def test_a_large_mitra_with_a_short_window_is_reminded_before_the_due_date_inside_waking_hours(
        db, mitra, make_package, set_send_window):
    # 07:00–11:00: 4 hours of 50 = 200 a day. 700 due on RUN+4 need the eve and three days before it.
    window = set_send_window(db, "07:00", "11:00")
    package = make_package()
    due = RUN + timedelta(days=4)
    many_customers(db, mitra, package, 700, due.day)
    started = {}
    for offset in range(4):
        day = RUN + timedelta(days=offset)
        result = billing.run_h1_day(db, run_date=day, now=at(day))
        started[day] = result["startedEarlyByDueDate"].get(due.isoformat(), 0) + (
            result["reminders"] if result["dueDate"] == due.isoformat() else 0)
    # The H-1 run could not hold them all: H-2, H-3 and H-4 started earlier, as late as possible.
    assert started == {RUN: 100, RUN + timedelta(days=1): 200, RUN + timedelta(days=2): 200,
                       RUN + timedelta(days=3): 200}
    rows = queued_for(db, mitra, due)
    assert len(rows) == 700 and len({row.invoice_id for row in rows}) == 700
    assert all(window.contains(row.scheduled_at) for row in rows)
    assert max(row.scheduled_at for row in rows) < at(due, 0)
    per_day: dict[date, int] = {}
    for row in rows:
        per_day[row.scheduled_at.astimezone(WIB).date()] = per_day.get(row.scheduled_at.astimezone(WIB).date(), 0) + 1
    assert per_day == {RUN: 100, RUN + timedelta(days=1): 200, RUN + timedelta(days=2): 200,
                       RUN + timedelta(days=3): 200}
    # Each text was written for the day it goes out: "besok" only on the eve.
    eve = [row for row in rows if row.scheduled_at.astimezone(WIB).date() == due - timedelta(days=1)]
    early = [row for row in rows if row.scheduled_at.astimezone(WIB).date() < due - timedelta(days=1)]
    assert all("jatuh tempo besok" in row.content for row in eve)
    assert not any("jatuh tempo besok" in row.content for row in early)
