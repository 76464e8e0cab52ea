# ruff: noqa: F811 — the imported make_invoice fixture is requested as a parameter
"""Money received counts every payment (partial ones included) by its WIB payment date; the API's figures equal
raw SQL over invoice_payments, and a mitra only ever sees their own."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from shared.services.finance import money_received
from shared.timeutil import today_wib
from tests.fixtures.invoices import make_invoice, raw_money  # noqa: F401

RECEIVED = """SELECT coalesce(sum(amount), 0) FROM invoice_payments
              WHERE (paid_at AT TIME ZONE 'Asia/Jakarta')::date BETWEEN :start AND :end AND {owner}"""


def raw_received(db, start: date, end: date, owner=None) -> int:
    where = "owner_id = :owner" if owner else "TRUE"
    return int(db.execute(text(RECEIVED.format(owner=where)), {"start": start, "end": end,
                                                              "owner": owner.id if owner else None}).scalar())


@pytest.fixture
def paid_around(db, mitra, other_mitra, make_customer, make_package, make_invoice, mitra_client, as_user):
    """Payments of two mitra: today partial ones through the API, an older full one made directly."""
    package = make_package(price=200_000)
    ani = make_customer(owner=mitra, package=package)
    budi = make_customer(owner=mitra, package=package)
    theirs = make_customer(owner=other_mitra, package=package)
    today = today_wib()
    due = date(today.year, today.month, 1)
    ani_bill = make_invoice(customer=ani, due=due)
    # Paid in full long ago, at 23:30 WIB on 31 Jan 2020 (16:30 UTC): a payment of January's, not February's.
    make_invoice(customer=budi, due=date(2020, 1, 31), paid_at=datetime(2020, 1, 31, 16, 30, tzinfo=UTC),
                 status="paid")
    theirs_bill = make_invoice(customer=theirs, due=due)
    assert mitra_client.post(f"/api/invoices/{ani_bill.id}/payments",
                             json={"amount": 30_000, "version": 1, "paymentMethod": "cash"}).status_code == 200
    assert mitra_client.post(f"/api/invoices/{ani_bill.id}/payments",
                             json={"amount": 20_000, "version": 2, "paymentMethod": "cash"}).status_code == 200
    assert as_user(other_mitra).post(f"/api/invoices/{theirs_bill.id}/payments",
                                     json={"amount": 70_000, "version": 1, "paymentMethod": "qris"}).status_code == 200
    return {"today": today, "ani_bill": ani_bill, "due": due}


def test_dashboard_received_today_and_this_month_equal_raw_sql_per_tenant(mitra_client, superadmin_client, as_user,
                                                                           db, mitra, other_mitra, paid_around):
    today = paid_around["today"]
    month_start = date(today.year, today.month, 1)
    mine = mitra_client.get("/api/dashboard/stats").json
    assert mine["receivedToday"] == raw_received(db, today, today, mitra) == 50_000
    assert mine["receivedAmount"] == raw_received(db, month_start, today, mitra)
    theirs = as_user(other_mitra).get("/api/dashboard/stats").json
    assert theirs["receivedToday"] == raw_received(db, today, today, other_mitra) == 70_000
    everyone = superadmin_client.get("/api/dashboard/stats").json
    assert everyone["receivedToday"] == raw_received(db, today, today)
    assert everyone["receivedToday"] >= 120_000
    one = superadmin_client.get("/api/dashboard/stats", query_string={"ownerId": str(mitra.id)}).json
    assert one["receivedToday"] == 50_000
    # A mitra naming another owner learns nothing.
    assert mitra_client.get("/api/dashboard/stats", query_string={"ownerId": str(other_mitra.id)}).status_code == 404


def test_dashboard_paid_money_of_this_month_includes_partial_payments(mitra_client, db, mitra, paid_around):
    due = paid_around["due"]
    body = mitra_client.get("/api/dashboard/stats").json
    month_end = date(due.year + due.month // 12, due.month % 12 + 1, 1)
    raw = raw_money(db, "owner_id = :owner AND due_date >= :a AND due_date < :b", owner=mitra.id, a=due, b=month_end)
    assert (body["paidAmount"], body["unpaidAmount"]) == (raw["paidAmount"], raw["unpaidAmount"])
    assert body["paidAmount"] >= 50_000
    assert body["revenueSeries"][-1]["received"] == raw_received(db, due, paid_around["today"], mitra)


def test_undoing_a_payment_takes_it_out_of_the_money_received(mitra_client, db, mitra, paid_around):
    bill = mitra_client.get(f"/api/invoices/{paid_around['ani_bill'].id}").json
    res = mitra_client.delete(f"/api/invoices/{bill['id']}/payments/{bill['payments'][1]['id']}",
                              query_string={"version": bill["version"]})
    assert res.status_code == 200
    today = paid_around["today"]
    assert mitra_client.get("/api/dashboard/stats").json["receivedToday"] == raw_received(db, today, today, mitra) \
        == 30_000


def test_finance_summary_received_amount_is_by_payment_date_and_paid_amount_includes_partials(
        mitra_client, superadmin_client, db, mitra, paid_around):
    today = paid_around["today"]
    body = mitra_client.get("/api/finance/summary", query_string={"from": "2020-01-01", "to": str(today)}).json
    assert body["receivedAmount"] == raw_received(db, date(2020, 1, 1), today, mitra)
    assert body["receivedCount"] == 3  # Ani's two part payments and Budi's old one
    raw = raw_money(db, "owner_id = :owner AND due_date BETWEEN :a AND :b", owner=mitra.id, a=date(2020, 1, 1),
                    b=today)
    assert (body["paidAmount"], body["unpaidAmount"]) == (raw["paidAmount"], raw["unpaidAmount"])
    # The WIB day decides: 23:30 WIB on 31 January is January's money, though it is 16:30 UTC.
    jan = mitra_client.get("/api/finance/summary", query_string={"from": "2020-01-01", "to": "2020-01-31"}).json
    feb = mitra_client.get("/api/finance/summary", query_string={"from": "2020-02-01", "to": "2020-02-29"}).json
    assert (jan["receivedAmount"], feb["receivedAmount"]) == (200_000, 0)
    # A period is invoices, not days.
    assert mitra_client.get("/api/finance/summary", query_string={"period": "2020-02"}).json["receivedAmount"] is None
    everyone = superadmin_client.get("/api/finance/summary", query_string={"from": str(today), "to": str(today)}).json
    assert everyone["receivedAmount"] == raw_received(db, today, today)


def test_money_received_service_scopes_to_the_actor(db, mitra, other_mitra, superadmin, paid_around):
    today = paid_around["today"]
    assert money_received(db, actor=mitra, start=today, end=today) == {"amount": 50_000, "count": 2}
    assert money_received(db, actor=other_mitra, start=today, end=today) == {"amount": 70_000, "count": 1}
    # A mitra's owner filter cannot widen the scope: the tenancy condition stays.
    assert money_received(db, actor=mitra, start=today, end=today, owner_id=other_mitra.id)["amount"] == 0
    assert money_received(db, actor=superadmin, start=today, end=today, owner_id=other_mitra.id)["amount"] == 70_000


def test_payment_daily_totals_equal_the_group_by_over_payments(db, mitra_client, paid_around):
    bill = mitra_client.get(f"/api/invoices/{paid_around['ani_bill'].id}").json
    mitra_client.patch(f"/api/invoices/{bill['id']}/unpay", json={"version": bill["version"]})
    mismatches = db.execute(text("""
        WITH raw AS (SELECT owner_id, (paid_at AT TIME ZONE 'Asia/Jakarta')::date AS day, count(*) AS n,
                            sum(amount) AS amount FROM invoice_payments GROUP BY 1, 2),
             rolled AS (SELECT owner_id, day, payment_count AS n, amount FROM payment_daily_totals
                        WHERE payment_count <> 0 OR amount <> 0)
        SELECT * FROM raw FULL JOIN rolled USING (owner_id, day)
        WHERE raw.n IS DISTINCT FROM rolled.n OR raw.amount IS DISTINCT FROM rolled.amount""")).all()
    assert mismatches == []
