"""Invoice generation and the daily H-1 run, on the rolled-back test transaction."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from shared.models import BillingRun, CustomerStatus, Invoice, PaymentStatus
from shared.services import billing
from shared.services.invoices import mark_paid
from shared.timeutil import WIB


def wib(year, month, day, hour=6, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def invoices_of(db, *customers, period=None):
    stmt = select(Invoice).where(Invoice.customer_id.in_([c.id for c in customers]))
    if period:
        stmt = stmt.where(Invoice.period == period)
    return list(db.scalars(stmt.order_by(Invoice.created_at)))


@pytest.fixture
def owner_customers(mitra, make_customer, make_package):
    package = make_package(name="Paket 20", speed="20 Mbps", price=150_000)
    return {
        "a": make_customer(owner=mitra, package=package, billing_date=27, discount=10_000, name="A"),
        "b": make_customer(owner=mitra, package=package, billing_date=3, name="B"),
        "isolated": make_customer(owner=mitra, package=package, billing_date=27, status=CustomerStatus.isolated),
        "inactive": make_customer(owner=mitra, package=package, billing_date=27, status=CustomerStatus.inactive),
    }


def test_generation_snapshots_amounts_and_makes_due_date_and_receipt_token(db, mitra, owner_customers):
    result = billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    assert result == {"period": "2030-03", "created": 2, "skipped": 0, "isolated": 1, "inactive": 1}
    a, = invoices_of(db, owner_customers["a"])
    assert (a.amount, a.discount, a.total_amount) == (150_000, 10_000, 140_000)
    assert a.owner_id == mitra.id and a.status == PaymentStatus.unpaid and a.version == 1
    assert a.due_date == date(2030, 2, 27)
    b, = invoices_of(db, owner_customers["b"])
    assert b.due_date == date(2030, 2, 3)
    for invoice in (a, b):
        assert re.fullmatch(r"[0-9a-f]{64}", invoice.receipt_token)  # the ms it was made, then ~200 random bits
        assert invoice.receipt_url == f"/receipt/{invoice.receipt_token}"
    assert a.receipt_token != b.receipt_token


def test_generated_ids_and_receipt_tokens_start_with_the_time(db, mitra, make_customer, make_package):
    """New keys land at the right-hand end of the primary key and token indexes (billing._GENERATE_SQL)."""
    package = make_package(name="Paket 10", speed="10 Mbps", price=100_000)
    for i in range(30):
        make_customer(owner=mitra, package=package, billing_date=5, name=f"Warga {i}")
    before = datetime.now(UTC)
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    after = datetime.now(UTC)
    invoices = list(db.scalars(select(Invoice).where(Invoice.owner_id == mitra.id)))
    assert len(invoices) == 30
    low, high = int(before.timestamp() * 1000) - 1, int(after.timestamp() * 1000) + 1
    for invoice in invoices:
        assert invoice.id.version == 7 and invoice.id.variant == "specified in RFC 4122"
        assert low <= invoice.id.int >> 80 <= high  # UUIDv7: the first 48 bits are the Unix time in ms
        assert low <= int(invoice.receipt_token[:12], 16) <= high
    assert len({i.id for i in invoices}) == len({i.receipt_token for i in invoices}) == 30
    # The random parts differ: ids and tokens of one millisecond are not sequential.
    assert len({i.receipt_token[12:] for i in invoices}) == 30 and len({i.id.int & (2**62 - 1) for i in invoices}) == 30


def test_isolated_and_inactive_customers_get_no_invoice(db, mitra, owner_customers):
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    assert invoices_of(db, owner_customers["isolated"], owner_customers["inactive"]) == []


def test_generating_twice_creates_nothing_the_second_time(db, mitra, owner_customers):
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    again = billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    assert (again["created"], again["skipped"]) == (0, 2)
    assert len(invoices_of(db, owner_customers["a"], owner_customers["b"])) == 2


def test_generation_for_one_owner_leaves_other_owners_alone(db, mitra, other_mitra, make_customer, owner_customers):
    theirs = make_customer(owner=other_mitra, billing_date=27)
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    assert invoices_of(db, theirs) == []
    assert billing.generate_invoices(db, period="2030-03", owner_id=other_mitra.id)["created"] == 1


def test_a_discount_above_a_lowered_package_price_is_capped_at_the_price(db, mitra, make_customer, make_package):
    package = make_package(price=100_000)
    customer = make_customer(owner=mitra, package=package, discount=80_000)
    package.price = 50_000
    db.flush()
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    invoice, = invoices_of(db, customer)
    assert (invoice.amount, invoice.discount, invoice.total_amount) == (50_000, 50_000, 0)


def test_later_discount_change_does_not_touch_generated_invoice(db, mitra, owner_customers):
    billing.generate_invoices(db, period="2030-03", owner_id=mitra.id)
    customer = owner_customers["a"]
    customer.discount, customer.total_bill = 50_000, 100_000
    db.flush()
    invoice, = invoices_of(db, customer, period="2030-03")
    db.refresh(invoice)
    assert (invoice.discount, invoice.total_amount) == (10_000, 140_000)
    billing.generate_invoices(db, period="2030-04", owner_id=mitra.id)
    later, = invoices_of(db, customer, period="2030-04")
    assert (later.discount, later.total_amount) == (50_000, 100_000)


# ---------------------------------------------------------------------------------------------
# The 06:00 H-1 day


def test_h1_day_creates_tomorrows_invoices_for_next_period(db, owner_customers):
    # 26 Jan 2030: tomorrow is the 27th → due 27 Jan, period February.
    result = billing.run_h1_day(db, run_date=date(2030, 1, 26))
    assert result["period"] == "2030-02" and result["dueDate"] == "2030-01-27" and result["billingDate"] == 27
    a, = invoices_of(db, owner_customers["a"])
    assert (a.period, a.due_date) == ("2030-02", date(2030, 1, 27))
    assert invoices_of(db, owner_customers["b"]) == []  # billed on the 3rd: not tomorrow
    assert invoices_of(db, owner_customers["isolated"], owner_customers["inactive"]) == []


def test_reminder_seam_gets_exactly_the_unpaid_invoices_due_tomorrow(db, monkeypatch, mitra, make_customer,
                                                                     make_package, owner_customers):
    package = owner_customers["a"].package
    earlier = make_customer(owner=mitra, package=package, billing_date=27, name="Sudah dibuat")
    paid = make_customer(owner=mitra, package=package, billing_date=27, name="Sudah bayar")
    billing.generate_invoices(db, period="2030-02", owner_id=mitra.id)  # a manual run made some already
    paid_invoice, = invoices_of(db, paid)
    mark_paid(db, actor=mitra, invoice_id=paid_invoice.id, version=1, payment_method="cash")
    fresh = make_customer(owner=mitra, package=package, billing_date=27, name="Baru")
    # An isolated customer's old unpaid invoice stays, but is not reminded.
    owner_customers["a"].status = CustomerStatus.isolated
    db.flush()

    seen = {}

    def spy(session, *, invoice_ids, due_date, **timing):
        seen["ids"], seen["due"] = set(invoice_ids), due_date
        return invoice_ids

    monkeypatch.setattr(billing, "schedule_reminders", spy)
    result = billing.run_h1_day(db, run_date=date(2030, 1, 26))
    mine = {i.id for i in invoices_of(db, earlier, fresh)}
    assert seen["due"] == date(2030, 1, 27)
    assert mine <= seen["ids"]
    assert paid_invoice.id not in seen["ids"]
    assert not {i.id for i in invoices_of(db, owner_customers["a"])} & seen["ids"]
    assert result["created"] >= 1 and result["reminders"] == len(seen["ids"])


def test_the_h1_run_queues_paced_reminders_from_the_owners_number_from_0600(db, mitra, owner_customers):
    from shared.models import WaMessageQueue, WaSession

    result = billing.run_h1_day(db, run_date=date(2030, 1, 26), now=wib(2030, 1, 26, 6, 0))
    a, = invoices_of(db, owner_customers["a"])
    row = db.scalars(select(WaMessageQueue).where(WaMessageQueue.invoice_id == a.id)).one()
    session = db.get(WaSession, row.session_id)
    assert session.user_id == mitra.id
    assert (row.kind, row.message_type, row.status, row.due_date) == ("paced", "reminder", "pending", date(2030, 1, 27))
    # The 06:00 run plans it; it goes out when the send window (waking hours) opens at 07:00.
    assert row.scheduled_at == wib(2030, 1, 26, 7, 0) and row.phone == owner_customers["a"].phone
    assert "Pengingat" in row.content or owner_customers["a"].name in row.content
    assert (result["reminders"], result["queued"], result["startedEarly"]) == (1, 1, 0)
    # Idempotent: a second run queues nothing more.
    again = billing.run_h1_day(db, run_date=date(2030, 1, 26), now=wib(2030, 1, 26, 7, 0))
    assert again["reminders"] == 0
    assert db.scalar(select(func.count()).select_from(WaMessageQueue).where(WaMessageQueue.invoice_id == a.id)) == 1


def test_manual_generation_and_the_daily_run_together_never_duplicate(db, mitra, owner_customers):
    billing.generate_invoices(db, period="2030-02", owner_id=mitra.id)
    billing.run_h1_day(db, run_date=date(2030, 1, 26))
    billing.generate_invoices(db, period="2030-02")
    assert len(invoices_of(db, owner_customers["a"], period="2030-02")) == 1


def test_a_day_whose_tomorrow_is_the_31st_has_nothing_to_bill(db):
    result = billing.run_h1_day(db, run_date=date(2030, 1, 30))
    assert result["billingDate"] == 31 and result["created"] == 0


# ---------------------------------------------------------------------------------------------
# Catch-up


def record_run(db, day: date) -> None:
    db.add(BillingRun(run_date=day, due_date=day + timedelta(days=1), period="2030-01", created_count=0,
                      reminder_count=0))
    db.flush()


def runs_between(db, first: date, last: date) -> list[date]:
    return list(db.scalars(select(BillingRun.run_date).where(BillingRun.run_date.between(first, last))
                           .order_by(BillingRun.run_date)))


def test_days_missed_since_the_last_run_are_owed_oldest_first(db):
    record_run(db, date(2031, 3, 10))
    assert billing.days_to_run(db, now=wib(2031, 3, 13)) == [date(2031, 3, 11), date(2031, 3, 12),
                                                             date(2031, 3, 13)]


def test_catch_up_looks_back_at_most_seven_days(db):
    record_run(db, date(2031, 3, 1))
    assert billing.days_to_run(db, now=wib(2031, 3, 20)) == [date(2031, 3, 14) + timedelta(days=n)
                                                             for n in range(7)]


def test_a_fresh_install_owes_only_today(db):
    db.execute(delete(BillingRun).where(BillingRun.run_date <= date(2031, 5, 20)))
    assert billing.days_to_run(db, now=wib(2031, 5, 20, 9)) == [date(2031, 5, 20)]
    assert billing.days_to_run(db, now=wib(2031, 5, 20, 5), scheduled=False) == [date(2031, 5, 19)]


def test_start_up_catch_up_before_0600_does_not_run_today_early(db):
    record_run(db, date(2031, 3, 10))
    assert billing.days_to_run(db, now=wib(2031, 3, 12, 5, 59), scheduled=False) == [date(2031, 3, 11)]
    assert billing.days_to_run(db, now=wib(2031, 3, 12, 6, 0), scheduled=False) == [date(2031, 3, 11),
                                                                                   date(2031, 3, 12)]
    # Beat's own 06:00 call always owes today, even if its clock reads 05:59:59.
    assert billing.days_to_run(db, now=wib(2031, 3, 12, 5, 59)) == [date(2031, 3, 11), date(2031, 3, 12)]


def test_wib_date_decides_the_day_not_utc(db):
    record_run(db, date(2031, 3, 10))
    # 23:30 UTC on 10 Mar is 06:30 WIB on 11 Mar.
    assert billing.days_to_run(db, now=datetime(2031, 3, 10, 23, 30, tzinfo=UTC)) == [date(2031, 3, 11)]


def test_a_missed_day_is_caught_up_once_and_not_twice(db, mitra, make_customer, make_package):
    package = make_package()
    due_today = make_customer(owner=mitra, package=package, billing_date=12)
    due_tomorrow = make_customer(owner=mitra, package=package, billing_date=13)
    record_run(db, date(2031, 3, 10))
    # The machine was off on the 11th; on the 12th at 06:00 both days are done.
    results = billing.run_daily_billing(db, now=wib(2031, 3, 12))
    assert [r["runDate"] for r in results] == ["2031-03-11", "2031-03-12"]
    assert [i.period for i in invoices_of(db, due_today)] == ["2031-04"]
    assert [i.period for i in invoices_of(db, due_tomorrow)] == ["2031-04"]
    assert runs_between(db, date(2031, 3, 11), date(2031, 3, 12)) == [date(2031, 3, 11), date(2031, 3, 12)]
    assert billing.run_daily_billing(db, now=wib(2031, 3, 12, 7)) == []
    assert billing.run_daily_billing(db, now=wib(2031, 3, 12, 8), scheduled=False) == []
    assert len(invoices_of(db, due_today, due_tomorrow)) == 2


def test_caught_up_days_past_their_due_date_get_invoices_but_no_reminders(db, monkeypatch, mitra, make_customer):
    overdue = make_customer(owner=mitra, billing_date=9)
    record_run(db, date(2031, 3, 5))
    reminded = []
    monkeypatch.setattr(billing, "schedule_reminders",
                        lambda session, *, invoice_ids, due_date, **timing: reminded.append(due_date) or invoice_ids)
    results = billing.run_daily_billing(db, now=wib(2031, 3, 12))
    assert results[0]["runDate"] == "2031-03-06"
    assert [i.due_date for i in invoices_of(db, overdue)] == [date(2031, 3, 9)]
    # Only days whose due date is today (run of the 11th) or tomorrow (run of the 12th) are reminded.
    assert reminded == [date(2031, 3, 12), date(2031, 3, 13)]
    recorded = db.scalars(select(BillingRun).where(BillingRun.run_date == date(2031, 3, 8))).one()
    assert (recorded.due_date, recorded.period, recorded.created_count) == (date(2031, 3, 9), "2031-04", 1)


def test_a_customer_added_after_the_0600_run_gets_invoice_and_reminder_from_the_sweep(db, mitra, make_customer,
                                                                                      make_package):
    from shared.models import WaMessageQueue

    package = make_package()
    make_customer(owner=mitra, package=package, billing_date=12, name="Pagi")
    assert billing.sweep_h1(db, now=wib(2033, 3, 11, 5)) == []  # before the day's run: the run starts the day
    billing.run_daily_billing(db, now=wib(2033, 3, 11, 6))
    late = make_customer(owner=mitra, package=package, billing_date=12, name="Sore")  # added at 14:00, due tomorrow
    results = billing.sweep_h1(db, now=wib(2033, 3, 11, 14))
    assert results[-1] == {"runDate": "2033-03-11", "dueDate": "2033-03-12", "period": "2033-04", "created": 1,
                           "reminders": 1}
    invoice, = invoices_of(db, late)
    assert (invoice.period, invoice.due_date) == ("2033-04", date(2033, 3, 12))
    reminder = db.scalars(select(WaMessageQueue).where(WaMessageQueue.invoice_id == invoice.id)).one()
    assert (reminder.message_type, reminder.kind, reminder.status) == ("reminder", "paced", "pending")
    assert reminder.scheduled_at >= wib(2033, 3, 11, 14)
    run = db.get(BillingRun, date(2033, 3, 11))
    assert (run.created_count, run.reminder_count) == (2, 2)
    # A second sweep changes nothing.
    assert [(r["created"], r["reminders"]) for r in billing.sweep_h1(db, now=wib(2033, 3, 11, 14, 15))] == \
        [(0, 0)] * len(results)
    db.refresh(run)
    assert (run.created_count, run.reminder_count) == (2, 2)
    assert db.scalar(select(func.count()).select_from(WaMessageQueue).where(
        WaMessageQueue.invoice_id == invoice.id)) == 1


def test_the_sweep_also_covers_customers_due_today_added_after_yesterdays_run(db, mitra, make_customer):
    billing.run_daily_billing(db, now=wib(2033, 5, 10, 6))
    billing.run_daily_billing(db, now=wib(2033, 5, 11, 6))
    due_today = make_customer(owner=mitra, billing_date=11)  # added at 09:00 on its due date
    billing.sweep_h1(db, now=wib(2033, 5, 11, 9))
    assert [(i.period, i.due_date) for i in invoices_of(db, due_today)] == [("2033-06", date(2033, 5, 11))]
