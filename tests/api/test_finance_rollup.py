# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Whole due months and periods come from invoice_monthly_totals, the days of a month a range cuts (and one day)
from invoice_daily_totals; every figure equals plain SQL over the invoices, after payments and deletes too."""

from datetime import date

import pytest
from sqlalchemy import delete

from shared.models import Invoice
from shared.services import dashboard, finance
from tests.fixtures.invoices import make_invoice, money_of, raw_money  # noqa: F401 — make_invoice is a fixture

TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(finance, "today_wib", lambda: TODAY)
    monkeypatch.setattr(dashboard, "today_wib", lambda: TODAY)


@pytest.fixture
def world(superadmin, mitra, other_mitra, make_customer, make_package, make_invoice):
    """Invoices of three owners due on month edges (1st, last day) over September–December 2026, and 2024."""
    package = make_package(price=120_000)
    ani = make_customer(owner=mitra, package=package, name="Ani", discount=20_000)
    citra = make_customer(owner=other_mitra, package=package, name="Citra")
    dedi = make_customer(owner=superadmin, package=package, name="Dedi")
    plan = [  # customer, due date, status, period (default: the month after the due date)
        (ani, date(2026, 9, 30), "paid", None), (ani, date(2026, 10, 1), "paid", None),
        (ani, date(2026, 10, 31), "unpaid", "2026-12"), (ani, date(2026, 11, 1), "partial", "2027-01"),
        (citra, date(2026, 10, 15), "paid", None), (citra, date(2026, 11, 30), "unpaid", None),
        (citra, date(2026, 12, 1), "unpaid", None), (dedi, date(2026, 10, 20), "unpaid", None),
        (dedi, date(2024, 6, 5), "paid", None)]
    return [make_invoice(customer=customer, due=due, status=status, period=period)
            for customer, due, status, period in plan]


def _reads(sent: list[str]) -> set[str]:
    tables = ("invoice_monthly_totals", "invoice_daily_totals", "invoices")
    return {table for table in tables if any(f"FROM {table}" in s or f"JOIN {table}" in s for s in sent)}


@pytest.mark.parametrize("query, where", [
    ("from=2026-10-01&to=2026-10-31", "due_date BETWEEN '2026-10-01' AND '2026-10-31'"),
    ("from=2026-09-01&to=2026-11-30", "due_date BETWEEN '2026-09-01' AND '2026-11-30'"),
    ("from=2026-11-01", "due_date >= '2026-11-01'"),
    ("to=2026-10-31", "due_date <= '2026-10-31'"),
    ("from=2024-02-01&to=2024-02-29", "due_date BETWEEN '2024-02-01' AND '2024-02-29'"),
    ("period=2026-11", "period = '2026-11'"),
    ("", "due_date BETWEEN '2026-11-01' AND '2026-11-30'"),
])
def test_whole_months_and_periods_are_read_from_the_rollup(superadmin_client, db, world, statements, query, where):
    body = superadmin_client.get(f"/api/finance/summary?{query}").json
    assert _reads(statements) == {"invoice_monthly_totals"}
    assert money_of(body) == raw_money(db, where)


MONTHLY, DAILY = "invoice_monthly_totals", "invoice_daily_totals"


@pytest.mark.parametrize("query, where, tables", [
    ("from=2026-10-02&to=2026-10-31", "due_date BETWEEN '2026-10-02' AND '2026-10-31'", {DAILY}),
    ("from=2026-10-01&to=2026-10-30", "due_date BETWEEN '2026-10-01' AND '2026-10-30'", {DAILY}),
    ("from=2026-11-01&to=2026-11-01", "due_date = '2026-11-01'", {DAILY}),
    ("from=2026-10-15&to=2026-10-20", "due_date BETWEEN '2026-10-15' AND '2026-10-20'", {DAILY}),
    ("to=2026-11-29", "due_date <= '2026-11-29'", {MONTHLY, DAILY}),
    ("from=2026-10-02", "due_date >= '2026-10-02'", {MONTHLY, DAILY}),
    # both ends cut, whole months between; and both ends cut in consecutive months, none between
    ("from=2026-09-30&to=2026-12-01", "due_date BETWEEN '2026-09-30' AND '2026-12-01'", {MONTHLY, DAILY}),
    ("from=2026-10-02&to=2026-11-29", "due_date BETWEEN '2026-10-02' AND '2026-11-29'", {DAILY}),
    ("from=2024-06-05&to=2026-10-15", "due_date BETWEEN '2024-06-05' AND '2026-10-15'", {MONTHLY, DAILY}),
])
def test_ranges_that_cut_a_month_read_their_edge_days_from_the_daily_rollup(superadmin_client, db, world, statements,
                                                                             query, where, tables):
    body = superadmin_client.get(f"/api/finance/summary?{query}").json
    assert _reads(statements) == tables
    assert money_of(body) == raw_money(db, where)


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-31", "2026-11-30", "2026-10-16"])
def test_one_days_totals_come_from_the_daily_rollup(superadmin_client, mitra_client, mitra, db, world, statements,
                                                    day):
    body = superadmin_client.get(f"/api/finance/by-date?date={day}").json
    assert money_of(body["summary"]) == raw_money(db, "due_date = :d", d=date.fromisoformat(day))
    assert body["total"] == len(body["items"]) == body["summary"]["invoiceCount"]
    assert DAILY in _reads(statements)
    mine = mitra_client.get(f"/api/finance/by-date?date={day}").json
    assert money_of(mine["summary"]) == raw_money(db, "due_date = :d AND owner_id = :o", d=date.fromisoformat(day),
                                                  o=mitra.id)


def test_invoice_list_totals_for_cut_ranges_come_from_the_rollups(superadmin_client, mitra_client, db, world,
                                                                    statements):
    for query, where in [("from=2026-10-02&to=2026-11-30", "due_date BETWEEN '2026-10-02' AND '2026-11-30'"),
                         ("from=2026-10-15&to=2026-10-31&status=paid",
                          "due_date BETWEEN '2026-10-15' AND '2026-10-31' AND status = 'paid'"),
                         ("to=2026-11-01", "due_date <= '2026-11-01'")]:
        statements.clear()
        body = superadmin_client.get(f"/api/invoices?{query}&perPage=100").json
        assert DAILY in _reads(statements), query
        assert not [s for s in statements if "count(" in s.lower() and "FROM invoices" in s], query
        assert body["total"] == len(body["items"]) == raw_money(db, where)["invoiceCount"], query
    mine = mitra_client.get("/api/invoices?from=2026-10-02&to=2026-11-30&perPage=100").json
    assert mine["total"] == len(mine["items"]) == 2  # Ani's 31 October and 1 November


def test_mitra_whole_month_figures_are_their_own(mitra_client, mitra, db, world):
    body = mitra_client.get("/api/finance/summary?from=2026-10-01&to=2026-10-31").json
    assert money_of(body) == raw_money(db, "due_date BETWEEN '2026-10-01' AND '2026-10-31' AND owner_id = :o",
                                       o=mitra.id)
    assert body["invoiceCount"] == 2


def test_figures_follow_payments_and_deletes(superadmin_client, mitra_client, db, mitra, world):
    october = "due_date BETWEEN '2026-10-01' AND '2026-10-31'"
    unpaid = world[2]  # Ani's, due 31 October
    paid = mitra_client.patch(f"/api/invoices/{unpaid.id}/pay", json={"version": 1, "paymentMethod": "cash"})
    assert paid.status_code == 200, paid.json
    body = superadmin_client.get("/api/finance/summary?from=2026-10-01&to=2026-10-31").json
    assert money_of(body) == raw_money(db, october) and body["paidCount"] == 3
    db.execute(delete(Invoice).where(Invoice.id == world[4].id))  # Citra's October invoice
    body = superadmin_client.get("/api/finance/summary?from=2026-10-01&to=2026-10-31").json
    assert money_of(body) == raw_money(db, october) and body["invoiceCount"] == 3
    month = superadmin_client.get("/api/finance/by-period?view=month&year=2026").json["items"][9]
    assert money_of(month) == raw_money(db, october)


def test_by_mitra_for_whole_months_and_periods_equals_sql(superadmin_client, db, superadmin, mitra, other_mitra,
                                                          world, statements):
    for query, where, source in [
            ("from=2026-10-01&to=2026-11-30", "due_date BETWEEN '2026-10-01' AND '2026-11-30'", "invoice_monthly_totals"),
            ("period=2026-11", "period = '2026-11'", "invoice_monthly_totals"),
            ("from=2026-10-05&to=2026-11-30", "due_date BETWEEN '2026-10-05' AND '2026-11-30'",
             {MONTHLY, DAILY}),
            ("from=2026-10-05&to=2026-10-25", "due_date BETWEEN '2026-10-05' AND '2026-10-25'", DAILY)]:
        statements.clear()
        body = superadmin_client.get(f"/api/finance/by-mitra?{query}").json
        assert _reads(statements) == (source if isinstance(source, set) else {source}), query
        rows = {item["ownerId"]: item for item in body["items"]}
        for owner in (superadmin, mitra, other_mitra):
            assert money_of(rows[str(owner.id)]) == raw_money(db, f"{where} AND owner_id = :o", o=owner.id), query
        assert money_of(body["summary"]) == raw_money(db, where), query


def test_a_year_whose_invoices_are_all_deleted_is_no_longer_listed(superadmin_client, db, world):
    years = superadmin_client.get("/api/finance/by-period?view=year").json["items"]
    assert [item["year"] for item in years] == [2024, 2026]
    db.execute(delete(Invoice).where(Invoice.id == world[8].id))  # the only 2024 invoice; its rollup row stays at 0
    years = superadmin_client.get("/api/finance/by-period?view=year").json["items"]
    assert [item["year"] for item in years] == [2026]
    assert money_of(years[0]) == raw_money(db, "extract(year FROM due_date) = 2026")


def test_dashboard_series_and_cards_come_from_the_rollup(superadmin_client, db, world, statements):
    body = superadmin_client.get("/api/dashboard/stats").json
    money_queries = [s for s in statements if "invoice_monthly_totals" in s]
    assert len(money_queries) == 1
    for point in body["revenueSeries"]:
        year, month = map(int, point["month"].split("-"))
        sql = raw_money(db, "date_trunc('month', due_date) = make_date(:y, :m, 1)", y=year, m=month)
        assert (point["billed"], point["paid"]) == (sql["totalAmount"], sql["paidAmount"]), point["month"]
    november = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30'")
    assert (body["billedAmount"], body["paidAmount"], body["invoiceCount"]) == (
        november["totalAmount"], november["paidAmount"], november["invoiceCount"])
