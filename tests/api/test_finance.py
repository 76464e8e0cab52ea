# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Finance figures: every amount and count equals plain SQL over the invoices behind it; tenancy for each."""

import uuid
from datetime import date

import pytest
from sqlalchemy import event

from shared.models import PaymentStatus
from shared.services import finance
from tests.fixtures.invoices import make_invoice, money_of, raw_money  # noqa: F401 — make_invoice is a fixture

TODAY = date(2026, 11, 15)
NOV = "due_date BETWEEN '2026-11-01' AND '2026-11-30'"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(finance, "today_wib", lambda: TODAY)


@pytest.fixture
def world(superadmin, mitra, other_mitra, make_customer, make_package, make_invoice):
    """Invoices of three owners over October–December 2026 and one in 2025, some paid, one partial."""
    cheap, dear = make_package(price=100_000, name="Hemat 10"), make_package(price=250_000, name="Cepat 50")
    people = {
        "ani": make_customer(owner=mitra, package=cheap, name="Ani"),
        "budi": make_customer(owner=mitra, package=dear, discount=25_000, name="Budi"),
        "citra": make_customer(owner=other_mitra, package=cheap, name="Citra"),
        "dedi": make_customer(owner=superadmin, package=dear, name="Dedi"),
    }
    plan = [  # customer, due date, status, period (default: the month after the due date)
        ("ani", date(2026, 10, 5), "paid", None), ("ani", date(2026, 11, 5), "paid", None),
        ("ani", date(2026, 12, 5), "unpaid", None), ("budi", date(2026, 11, 5), "unpaid", None),
        ("budi", date(2026, 10, 5), "partial", None), ("citra", date(2026, 11, 5), "paid", None),
        ("citra", date(2026, 11, 30), "unpaid", "2027-01"), ("dedi", date(2026, 11, 1), "partial", "2026-11"),
        ("dedi", date(2026, 11, 5), "paid", None), ("dedi", date(2025, 3, 5), "paid", None),
    ]
    for name, due, status, period in plan:
        make_invoice(customer=people[name], due=due, status=status, period=period,
                     paid_by=mitra if name == "ani" else None)
    return people


def test_summary_defaults_to_this_collection_month_and_says_so(superadmin_client, db, world):
    body = superadmin_client.get("/api/finance/summary").json
    assert money_of(body) == raw_money(db, NOV)
    assert body["invoiceCount"] == 6
    assert (body["month"], body["monthLabel"], body["from"], body["to"]) == (
        "2026-11", "November 2026", "2026-11-01", "2026-11-30")
    assert body["collectionRate"] == round(body["paidAmount"] * 100 / body["totalAmount"], 1)


def test_partial_counts_as_unpaid_money(superadmin_client, db, world):
    body = superadmin_client.get("/api/finance/summary?from=2026-11-01&to=2026-11-01").json  # Dedi's partial
    assert (body["paidAmount"], body["unpaidAmount"], body["unpaidCount"]) == (0, 250_000, 1)


def test_summary_by_invoice_period(superadmin_client, db, world):
    body = superadmin_client.get("/api/finance/summary?period=2026-12").json
    assert money_of(body) == raw_money(db, "period = '2026-12'")
    assert (body["period"], body["periodLabel"], body["month"], body["from"]) == ("2026-12", "Desember 2026", None,
                                                                                 None)


@pytest.mark.parametrize("query, where", [
    ("from=2026-10-01&to=2026-11-05", "due_date BETWEEN '2026-10-01' AND '2026-11-05'"),
    ("from=2026-11-06", "due_date >= '2026-11-06'"),
    ("to=2026-10-31", "due_date <= '2026-10-31'"),
])
def test_summary_by_due_date_range(superadmin_client, db, world, query, where):
    assert money_of(superadmin_client.get(f"/api/finance/summary?{query}").json) == raw_money(db, where)


@pytest.mark.parametrize("query", ["period=2026-13", "period=26-01", "period=2026-11&from=2026-11-01",
                                   "from=2026-11-30&to=2026-11-01", "from=kemarin", f"ownerId={'x' * 5}"])
def test_bad_filters_are_422(superadmin_client, query):
    res = superadmin_client.get(f"/api/finance/summary?{query}")
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "validation_error"


def test_mitra_summary_covers_only_own_invoices(mitra_client, mitra, db, world):
    body = mitra_client.get("/api/finance/summary").json
    assert money_of(body) == raw_money(db, f"{NOV} AND owner_id = :owner", owner=mitra.id)
    assert body["invoiceCount"] == 2


def test_mitra_naming_another_owner_is_404_and_own_id_is_fine(mitra_client, mitra, other_mitra, superadmin, world):
    for owner in (other_mitra, superadmin):
        for path in ("summary", "by-period", "by-date?date=2026-11-05"):
            sep = "&" if "?" in path else "?"
            res = mitra_client.get(f"/api/finance/{path}{sep}ownerId={owner.id}")
            assert res.status_code == 404, (path, res.json)
    assert mitra_client.get(f"/api/finance/summary?ownerId={mitra.id}").json["invoiceCount"] == 2


def test_superadmin_filters_by_owner(superadmin_client, db, other_mitra, world):
    body = superadmin_client.get(f"/api/finance/summary?ownerId={other_mitra.id}").json
    assert money_of(body) == raw_money(db, f"{NOV} AND owner_id = :owner", owner=other_mitra.id)
    assert superadmin_client.get(f"/api/finance/summary?ownerId={uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("paid, total, rate", [(0, 0, 0.0), (1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5),
                                               (3, 3, 100.0), (1, 2000, 0.1), (1, 20001, 0.0)])
def test_collection_rate_is_a_percentage_with_one_decimal(paid, total, rate):
    assert finance.collection_rate(paid, total) == rate


def test_empty_selection_is_zeros(mitra_client):
    body = mitra_client.get("/api/finance/summary").json
    assert money_of(body) == {"totalAmount": 0, "paidAmount": 0, "unpaidAmount": 0, "invoiceCount": 0,
                              "paidCount": 0, "unpaidCount": 0}
    assert body["collectionRate"] == 0


def test_by_period_month_view_has_twelve_due_months(superadmin_client, db, world):
    body = superadmin_client.get("/api/finance/by-period?view=month&year=2026").json
    assert body["view"] == "month" and body["year"] == 2026
    assert [item["month"] for item in body["items"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert body["items"][0]["label"] == "Januari 2026" and body["items"][10]["label"] == "November 2026"
    for month, item in zip(range(1, 13), body["items"], strict=True):
        where = f"date_trunc('month', due_date) = make_date(2026, {month}, 1)"
        assert money_of(item) == raw_money(db, where), month
    assert money_of(body["items"][10]) == money_of(superadmin_client.get("/api/finance/summary").json)


def test_by_period_defaults_to_this_year(mitra_client, mitra, db, world):
    body = mitra_client.get("/api/finance/by-period").json
    assert body["year"] == 2026 and len(body["items"]) == 12
    assert money_of(body["items"][9]) == raw_money(
        db, "due_date BETWEEN '2026-10-01' AND '2026-10-31' AND owner_id = :owner", owner=mitra.id)


def test_by_period_year_view(superadmin_client, mitra_client, db, mitra, world):
    body = superadmin_client.get("/api/finance/by-period?view=year").json
    assert [(item["year"], item["label"]) for item in body["items"]] == [(2025, "2025"), (2026, "2026")]
    for item in body["items"]:
        assert money_of(item) == raw_money(db, "extract(year FROM due_date) = :y", y=item["year"])
    own = mitra_client.get("/api/finance/by-period?view=year").json["items"]
    assert [item["year"] for item in own] == [2026]
    assert money_of(own[0]) == raw_money(db, "owner_id = :owner", owner=mitra.id)


def test_by_period_rejects_unknown_view(superadmin_client):
    assert superadmin_client.get("/api/finance/by-period?view=week").status_code == 422


def test_by_date_lists_who_is_due_that_day_paid_or_not(superadmin_client, db, mitra, world):
    body = superadmin_client.get("/api/finance/by-date?date=2026-11-05").json
    assert body["date"] == "2026-11-05"
    assert money_of(body["summary"]) == raw_money(db, "due_date = '2026-11-05'")
    assert [item["customerName"] for item in body["items"]] == ["Ani", "Budi", "Citra", "Dedi"]
    assert body["total"] == 4
    ani, budi = body["items"][0], body["items"][1]
    assert (ani["status"], ani["paidByName"], ani["paymentMethod"], ani["packageName"], ani["area"]) == (
        "paid", mitra.name, "cash", "Hemat 10", mitra.business_name)
    assert ani["paidAt"].startswith("2026-11-05T03:00:00")
    assert (budi["status"], budi["paidAt"], budi["paidByName"], budi["totalAmount"], budi["discount"]) == (
        "unpaid", None, None, 225_000, 25_000)


def test_by_date_status_filter_and_pages_keep_the_whole_days_summary(superadmin_client, world):
    body = superadmin_client.get("/api/finance/by-date?date=2026-11-05&status=unpaid").json
    assert [item["customerName"] for item in body["items"]] == ["Budi"] and body["total"] == 1
    assert body["summary"]["invoiceCount"] == 4
    first = superadmin_client.get("/api/finance/by-date?date=2026-11-05&perPage=3").json
    second = superadmin_client.get("/api/finance/by-date?date=2026-11-05&perPage=3&page=2").json
    assert len(first["items"]) == 3 and [i["customerName"] for i in second["items"]] == ["Dedi"]
    assert (second["total"], second["page"], second["perPage"]) == (4, 2, 3)


def test_by_date_for_a_mitra_shows_only_own(mitra_client, world):
    body = mitra_client.get("/api/finance/by-date?date=2026-11-05").json
    assert [item["customerName"] for item in body["items"]] == ["Ani", "Budi"]
    assert body["summary"]["invoiceCount"] == 2


def test_by_date_needs_a_date(superadmin_client):
    res = superadmin_client.get("/api/finance/by-date")
    assert res.status_code == 422 and "date" in res.json["error"]["details"]["fields"]


def test_by_mitra_has_one_row_per_owner_equal_to_sql(superadmin_client, db, superadmin, mitra, other_mitra,
                                                     make_user, world):
    idle = make_user(business_name="Tanpa Tagihan")
    body = superadmin_client.get("/api/finance/by-mitra").json
    rows = {item["ownerId"]: item for item in body["items"]}
    for owner in (superadmin, mitra, other_mitra, idle):
        row = rows[str(owner.id)]
        assert money_of(row) == raw_money(db, f"{NOV} AND owner_id = :owner", owner=owner.id), owner.business_name
        assert row["area"] == owner.business_name and row["role"] == owner.role.value
    assert rows[str(idle.id)]["invoiceCount"] == 0 and rows[str(idle.id)]["collectionRate"] == 0
    assert money_of(body["summary"]) == raw_money(db, NOV)
    assert body["items"][0]["role"] == "superadmin"  # the superadmin's own area first
    assert body["month"] == "2026-11"


def test_by_mitra_filters(superadmin_client, db, mitra, world):
    body = superadmin_client.get(f"/api/finance/by-mitra?period=2026-12&ownerId={mitra.id}").json
    assert [item["ownerId"] for item in body["items"]] == [str(mitra.id)]
    assert money_of(body["items"][0]) == raw_money(db, "period = '2026-12' AND owner_id = :owner", owner=mitra.id)


def test_by_mitra_is_superadmin_only(mitra_client, world):
    res = mitra_client.get("/api/finance/by-mitra")
    assert res.status_code == 403 and res.json["error"]["code"] == "forbidden"


def test_by_mitra_skips_deactivated_owners_without_invoices(superadmin_client, make_user, world):
    gone = make_user(business_name="Sudah Berhenti", is_active=False)
    ids = {item["ownerId"] for item in superadmin_client.get("/api/finance/by-mitra").json["items"]}
    assert str(gone.id) not in ids


@pytest.mark.parametrize("path", ["summary", "by-period", "by-date?date=2026-11-05", "by-mitra"])
def test_finance_needs_login(client, path):
    assert client.get(f"/api/finance/{path}").status_code == 401


def test_summary_is_one_aggregate_query(superadmin_client, connection, world):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        assert superadmin_client.get("/api/finance/summary").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", record)
    invoice_queries = [s for s in statements if "invoice" in s]  # invoices or their rollup
    assert len(invoice_queries) == 1 and "FILTER (WHERE" in invoice_queries[0]


def test_status_enum_covers_what_the_figures_assume():
    assert {s.value for s in PaymentStatus} == {"paid", "unpaid", "partial"}
