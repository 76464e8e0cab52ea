# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Dashboard money: this month's cards, the 12-month series, customer growth and invoices due soon."""

from datetime import date

import pytest
from sqlalchemy import event, text

from shared.services import dashboard, finance
from tests.fixtures.invoices import make_invoice, raw_money  # noqa: F401 — make_invoice is a fixture

TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(finance, "today_wib", lambda: TODAY)
    monkeypatch.setattr(dashboard, "today_wib", lambda: TODAY)


@pytest.fixture
def world(superadmin, mitra, other_mitra, make_customer, make_package, make_invoice):
    package = make_package(price=150_000)
    mine = make_customer(owner=mitra, package=package, name="Ani", register_date=date(2025, 1, 10))
    mine2 = make_customer(owner=mitra, package=package, name="Bayu", register_date=date(2026, 3, 3))
    theirs = make_customer(owner=other_mitra, package=package, name="Citra", register_date=date(2026, 3, 20))
    admins = make_customer(owner=superadmin, package=package, name="Dedi", register_date=date(2026, 11, 1))
    make_customer(owner=superadmin, package=package, name="Eko", register_date=date(2026, 12, 1))  # not yet
    for customer in (mine, mine2, theirs, admins):
        make_invoice(customer=customer, due=date(2025, 11, 5), status="paid")  # before the window
        make_invoice(customer=customer, due=date(2025, 12, 5), status="paid")
        make_invoice(customer=customer, due=date(2026, 6, 5), status="unpaid")
        make_invoice(customer=customer, due=date(2026, 12, 5), status="unpaid")  # after it
    make_invoice(customer=mine, due=date(2026, 11, 15), status="paid", period="2026-11")
    make_invoice(customer=mine2, due=date(2026, 11, 16), status="unpaid", period="2026-11")
    make_invoice(customer=theirs, due=date(2026, 11, 21), status="partial", period="2026-11")
    make_invoice(customer=admins, due=date(2026, 11, 22), status="unpaid", period="2026-11")  # day 8: not soon
    make_invoice(customer=admins, due=date(2026, 11, 14), status="unpaid", period="2026-10")  # yesterday
    return {"mine": mine, "mine2": mine2, "theirs": theirs, "admins": admins}


def test_this_months_cards_equal_sql_and_the_finance_summary(superadmin_client, db, world):
    body = superadmin_client.get("/api/dashboard/stats").json
    sql = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30'")
    assert (body["month"], body["monthLabel"]) == ("2026-11", "November 2026")
    assert (body["billedAmount"], body["paidAmount"], body["unpaidAmount"]) == (
        sql["totalAmount"], sql["paidAmount"], sql["unpaidAmount"])
    assert (body["invoiceCount"], body["paidCount"], body["unpaidCount"]) == (5, 1, 4)
    summary = superadmin_client.get("/api/finance/summary").json
    assert body["collectionRate"] == summary["collectionRate"] == 20.0
    assert body["billedAmount"] == summary["totalAmount"]


def test_revenue_series_is_twelve_due_months_ending_this_month(superadmin_client, db, world):
    series = superadmin_client.get("/api/dashboard/stats").json["revenueSeries"]
    assert [point["month"] for point in series] == ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
    assert (series[0]["label"], series[8]["label"], series[-1]["label"]) == ("Des 2025", "Agu 2026", "Nov 2026")
    for point in series:
        year, month = map(int, point["month"].split("-"))
        sql = raw_money(db, "date_trunc('month', due_date) = make_date(:y, :m, 1)", y=year, m=month)
        assert (point["billed"], point["paid"]) == (sql["totalAmount"], sql["paidAmount"]), point["month"]
    assert {key: series[0][key] for key in ("month", "label", "billed", "paid")} == {
        "month": "2025-12", "label": "Des 2025", "billed": 600_000, "paid": 600_000}
    assert series[6]["billed"] == 600_000 and series[6]["paid"] == 0


def test_customer_growth_counts_new_and_cumulative_customers(superadmin_client, mitra_client, world):
    growth = superadmin_client.get("/api/dashboard/stats").json["customerGrowth"]
    assert len(growth) == 12 and growth[0]["month"] == "2025-12"
    by_month = {point["month"]: (point["newCustomers"], point["totalCustomers"]) for point in growth}
    assert by_month["2025-12"] == (0, 1)  # Ani, registered before the window
    assert by_month["2026-02"] == (0, 1)
    assert by_month["2026-03"] == (2, 3)
    assert by_month["2026-11"] == (1, 4)  # Eko registers next month: not counted yet
    own = mitra_client.get("/api/dashboard/stats").json["customerGrowth"]
    assert (own[-1]["newCustomers"], own[-1]["totalCustomers"]) == (0, 2)


def test_due_soon_lists_unpaid_invoices_of_the_next_seven_days(superadmin_client, world):
    due = superadmin_client.get("/api/dashboard/stats").json["dueSoon"]
    assert (due["from"], due["to"]) == ("2026-11-15", "2026-11-21")
    assert [(item["customerName"], item["dueDate"], item["status"]) for item in due["items"]] == [
        ("Bayu", "2026-11-16", "unpaid"), ("Citra", "2026-11-21", "partial")]
    assert (due["count"], due["totalAmount"]) == (2, 300_000)
    assert set(due["items"][0]) == {"id", "customerId", "customerName", "dueDate", "totalAmount", "status"}


def test_due_soon_shows_ten_but_counts_all(superadmin_client, mitra, make_customer, make_invoice, make_package):
    package = make_package(price=100_000)
    for index in range(13):
        customer = make_customer(owner=mitra, package=package, name=f"Pelanggan {index:02d}")
        make_invoice(customer=customer, due=date(2026, 11, 15 + index % 7), status="unpaid")
    due = superadmin_client.get("/api/dashboard/stats").json["dueSoon"]
    assert len(due["items"]) == 10 and (due["count"], due["totalAmount"]) == (13, 1_300_000)
    dates = [item["dueDate"] for item in due["items"]]
    assert dates == sorted(dates)


def test_mitra_money_figures_cover_only_own(mitra_client, db, mitra, world):
    body = mitra_client.get("/api/dashboard/stats").json
    sql = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30' AND owner_id = :o", o=mitra.id)
    assert (body["billedAmount"], body["paidAmount"], body["invoiceCount"]) == (
        sql["totalAmount"], sql["paidAmount"], 2)
    assert [item["customerName"] for item in body["dueSoon"]["items"]] == ["Bayu"]
    assert body["revenueSeries"][0]["billed"] == 300_000


def test_superadmin_filters_money_by_owner(superadmin_client, db, other_mitra, world):
    body = superadmin_client.get(f"/api/dashboard/stats?ownerId={other_mitra.id}").json
    assert (body["billedAmount"], body["unpaidAmount"], body["collectionRate"]) == (150_000, 150_000, 0.0)
    assert [item["customerName"] for item in body["dueSoon"]["items"]] == ["Citra"]
    assert body["customerGrowth"][-1]["totalCustomers"] == 1


def test_mitra_cannot_read_another_owners_money(mitra_client, other_mitra, world):
    assert mitra_client.get(f"/api/dashboard/stats?ownerId={other_mitra.id}").status_code == 404


def test_empty_dashboard_money_is_zeros(mitra_client):
    body = mitra_client.get("/api/dashboard/stats").json
    assert (body["billedAmount"], body["paidAmount"], body["collectionRate"]) == (0, 0, 0.0)
    assert len(body["revenueSeries"]) == 12 and all(p["billed"] == 0 for p in body["revenueSeries"])
    assert body["dueSoon"] == {"from": "2026-11-15", "to": "2026-11-21", "count": 0, "totalAmount": 0, "items": []}


def test_dashboard_is_a_handful_of_queries(superadmin_client, connection, world):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        assert superadmin_client.get("/api/dashboard/stats").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", record)
    data_queries = [s for s in statements if "invoice" in s or "customer" in s]  # the rollups too
    assert len(data_queries) == 4, data_queries


def test_month_boundary_follows_wib_not_utc(monkeypatch, db):
    from datetime import UTC, datetime

    from shared.timeutil import today_wib

    # 30 Nov 17:30 UTC is already 1 Dec 00:30 in Jakarta: "this month" is December.
    assert finance.collection_month(today_wib(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))).key == "2026-12"
    assert finance.collection_month(today_wib(datetime(2026, 11, 30, 16, 59, tzinfo=UTC))).key == "2026-11"
    assert db.execute(text("SELECT 1")).scalar() == 1
