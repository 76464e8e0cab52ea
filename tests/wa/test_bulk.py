# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Bulk sends from the queue's side: waking hours (on the number's simulated clock), the spec's variation, and
their own message types (`custom`, `manual`) in the queue and the logs, apart from the automatic `reminder`."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from shared.models import WaMessageQueue
from shared.services import wa_queue
from shared.timeutil import WIB
from shared.wa import testclock
from tests.fixtures.invoices import make_invoice  # noqa: F401  (fixture)

NIGHT = datetime(2030, 3, 4, 22, 0, tzinfo=WIB)
MORNING = datetime(2030, 3, 5, 7, 0, tzinfo=WIB)


@pytest.fixture
def night(wa_session):
    """The number's clock reads 22:00 WIB (the test-only simulated clock, as the browser test uses it)."""
    testclock.set_time(wa_session.id, NIGHT)
    yield
    testclock.reset(wa_session.id)


def rows_of(db, wa) -> list[WaMessageQueue]:
    return list(db.scalars(select(WaMessageQueue).where(WaMessageQueue.session_id == wa.id)
                           .order_by(WaMessageQueue.scheduled_at)))


def test_a_bulk_custom_send_at_22_is_planned_from_07_with_a_varied_text_and_type_custom(
        db, mitra, wa_session, night, make_customer, make_package):
    package = make_package()
    customers = [make_customer(owner=mitra, package=package, name=f"Pelanggan {n}") for n in range(12)]
    body = "Besok pukul 10.00 ada pemeliharaan jaringan. Mohon maaf atas gangguannya."
    result = wa_queue.send_bulk(db, actor=mitra, template="custom", customer_ids=[c.id for c in customers],
                                message=body)
    assert result["queued"] == 12
    assert MORNING <= result["first_at"] < MORNING + timedelta(seconds=1)
    rows = rows_of(db, wa_session)
    assert {row.message_type for row in rows} == {"custom"}
    assert all(body in row.content for row in rows)
    # Greeting and closing vary per recipient; the morning's greeting is "pagi", never "malam" from 22:00.
    bare = {row.content.replace(row.customer_id and next(c.name for c in customers if c.id == row.customer_id), "")
            for row in rows}
    assert len(bare) >= 4
    assert not any("Selamat malam" in row.content for row in rows)


def test_a_bulk_reminder_is_manual_and_leaves_the_automatic_reminder_and_its_plan_alone(
        db, mitra, wa_session, make_customer, make_invoice):
    customer = make_customer(owner=mitra)
    invoice = make_invoice(customer=customer, due=date(2030, 3, 10))
    result = wa_queue.send_bulk(db, actor=mitra, template="reminder", customer_ids=[customer.id])
    assert result["queued"] == 1
    row, = rows_of(db, wa_session)
    assert (row.message_type, row.invoice_id, row.kind) == ("manual", invoice.id, "paced")
    # While it waits, a second bulk reminder for the invoice is not doubled.
    again = wa_queue.send_bulk(db, actor=mitra, template="reminder", customer_ids=[customer.id])
    assert (again["queued"], again["skipped_reasons"]) == (0, {"alreadyQueued": 1})
    # The 06:00 run still owes the automatic H-1 reminder, and the reminder plan does not show the bulk one.
    from shared.services import billing

    assert billing.invoices_due_on(db, date(2030, 3, 10), unreminded=True) == [invoice.id]
    listed = wa_queue.list_queue(db, actor=mitra)
    assert listed["plan"] == [] and listed["items"][0]["message_type"] == "manual"


def test_bulk_logs_are_filtered_by_their_own_type(db, mitra, wa_session, make_customer, make_loop, fake_client,
                                                  clock, make_invoice):
    custom_to = make_customer(owner=mitra, name="Ani")
    reminded = make_customer(owner=mitra, name="Budi")
    make_invoice(customer=reminded, due=date(2030, 3, 10))
    wa_queue.send_bulk(db, actor=mitra, template="custom", customer_ids=[custom_to.id], message="Info gangguan.")
    wa_queue.send_bulk(db, actor=mitra, template="reminder", customer_ids=[reminded.id])
    db.execute(WaMessageQueue.__table__.update().where(WaMessageQueue.session_id == wa_session.id)
               .values(scheduled_at=clock()))
    db.commit()
    loop = make_loop(wa_session, fake_client)
    for _ in range(200):
        if len(fake_client.sent) == 2:
            break
        clock.advance(loop.step(idle_cap=None))
    assert len(fake_client.sent) == 2
    by_type = {kind: [item["customer_name"] for item in wa_queue.list_logs(db, actor=mitra, message_type=kind)["items"]]
               for kind in ("custom", "manual", "reminder")}
    assert by_type == {"custom": ["Ani"], "manual": ["Budi"], "reminder": []}


def test_the_queue_says_when_paced_sends_go_out(db, mitra, wa_session, night):
    window = wa_queue.list_queue(db, actor=mitra)["send_window"]
    assert (window["start"], window["end"], window["open"]) == ("07:00", "21:00", False)
    assert window["opens_at"] == MORNING
    testclock.set_time(wa_session.id, datetime(2030, 3, 5, 9, 0, tzinfo=WIB))
    window = wa_queue.list_queue(db, actor=mitra)["send_window"]
    assert window["open"] is True and abs(window["opens_at"] - datetime(2030, 3, 5, 9, 0, tzinfo=WIB)) < timedelta(
        seconds=5)
