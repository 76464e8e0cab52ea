# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""The collector's day: unpaid invoices due today and overdue, and the money collected today (WIB day)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from shared.services import collector
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture

TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(collector, "today_wib", lambda: TODAY)


@pytest.fixture
def world(mitra, other_mitra, make_customer, make_invoice):
    ani = make_customer(owner=mitra, name="Ani")
    bayu = make_customer(owner=mitra, name="Bayu")
    theirs = make_customer(owner=other_mitra, name="Tetangga")
    return {
        "due_today": make_invoice(customer=ani, due=TODAY),
        "partial_today": make_invoice(customer=bayu, due=TODAY, status="partial"),
        "overdue": make_invoice(customer=bayu, due=date(2026, 10, 15)),
        "paid_today": make_invoice(customer=ani, due=date(2026, 10, 15), status="paid",
                                   paid_at=datetime(2026, 11, 14, 17, 30, tzinfo=UTC)),  # 00:30 WIB on the 15th
        "paid_yesterday": make_invoice(customer=ani, due=date(2026, 9, 15), status="paid",
                                       paid_at=datetime(2026, 11, 14, 16, 59, tzinfo=UTC)),  # 23:59 WIB on the 14th
        "later": make_invoice(customer=ani, due=date(2026, 11, 16), period="2027-01"),
        "theirs_today": make_invoice(customer=theirs, due=TODAY),
        "theirs_paid": make_invoice(customer=theirs, due=TODAY, status="paid", period="2026-11",
                                    paid_at=datetime(2026, 11, 15, 5, tzinfo=UTC)),
    }


def ids(group):
    return [item["id"] for item in group["items"]]


def test_mitra_sees_own_due_today_overdue_and_collected(mitra_client, world):
    res = mitra_client.get("/api/dashboard/today")
    assert res.status_code == 200
    body = res.json
    assert body["date"] == "2026-11-15"
    assert sorted(ids(body["dueToday"])) == sorted([str(world["due_today"].id), str(world["partial_today"].id)])
    assert body["dueToday"]["count"] == 2
    assert body["dueToday"]["totalAmount"] == world["due_today"].total_amount + world["partial_today"].total_amount
    assert ids(body["overdue"]) == [str(world["overdue"].id)] and body["overdue"]["count"] == 1
    # Full invoice rows: the dashboard's Bayar dialog needs version, customer and period.
    item = body["overdue"]["items"][0]
    assert item["version"] == world["overdue"].version and item["customer"]["name"] == "Bayu"
    assert body["collectedToday"] == {"amount": world["paid_today"].total_amount, "count": 1}


def test_collected_today_equals_raw_sql_over_the_wib_day(superadmin_client, db, world):
    body = superadmin_client.get("/api/dashboard/today").json
    raw = db.execute(text("""
        SELECT coalesce(sum(total_amount), 0) AS amount, count(*) AS n FROM invoices
        WHERE status = 'paid' AND (paid_at AT TIME ZONE 'Asia/Jakarta')::date = :day"""), {"day": TODAY}).one()
    assert body["collectedToday"] == {"amount": raw.amount, "count": raw.n} and raw.n == 2
    assert body["dueToday"]["count"] == 3  # the superadmin sees every owner's


def test_superadmin_narrows_to_one_mitra_and_mitra_cannot_peek(superadmin_client, mitra_client, other_mitra, world):
    body = superadmin_client.get(f"/api/dashboard/today?ownerId={other_mitra.id}").json
    assert ids(body["dueToday"]) == [str(world["theirs_today"].id)]
    assert body["collectedToday"] == {"amount": world["theirs_paid"].total_amount, "count": 1}
    assert mitra_client.get(f"/api/dashboard/today?ownerId={other_mitra.id}").status_code == 404


def test_lists_show_twenty_but_count_all(mitra_client, mitra, make_customer, make_invoice):
    customer = make_customer(owner=mitra)
    for month in range(1, 11):
        make_invoice(customer=customer, due=date(2025, month, 15))
        make_invoice(customer=customer, due=date(2024, month, 15))
    make_invoice(customer=customer, due=date(2023, 1, 15))
    body = mitra_client.get("/api/dashboard/today").json
    assert body["overdue"]["count"] == 21 and len(body["overdue"]["items"]) == 20
    assert body["overdue"]["items"][0]["dueDate"] == "2023-01-15"  # oldest first


def test_empty_day(mitra_client):
    body = mitra_client.get("/api/dashboard/today").json
    assert body["dueToday"] == {"count": 0, "totalAmount": 0, "items": []}
    assert body["collectedToday"] == {"amount": 0, "count": 0}


def test_overdue_totals_equal_raw_sql_across_months_owners_and_part_payments(superadmin_client, mitra_client, db,
                                                                            mitra, other_mitra, make_customer,
                                                                            make_invoice):
    """Whole past months come from the rollup, this month's from invoices: the sum must be the invoices' own."""
    mine, theirs = make_customer(owner=mitra, name="Citra"), make_customer(owner=other_mitra, name="Dodi")
    for customer in (mine, theirs):
        make_invoice(customer=customer, due=date(2026, 8, 15))                    # unpaid, whole past month
        make_invoice(customer=customer, due=date(2026, 9, 15), status="partial",  # part paid, past month
                     paid_amount=20_000)
        make_invoice(customer=customer, due=date(2026, 10, 15), status="paid")    # paid: owes nothing
        make_invoice(customer=customer, due=date(2026, 11, 3))                    # this month, before today
        make_invoice(customer=customer, due=date(2026, 11, 14), status="partial", period="2027-02",
                     paid_amount=30_000)
        make_invoice(customer=customer, due=TODAY, period="2027-03")              # due today: not overdue
    raw = """SELECT count(*) AS n, coalesce(sum(total_amount - paid_amount), 0) AS owed FROM invoices
             WHERE status <> 'paid' AND due_date < :today {owner}"""
    everyone = db.execute(text(raw.format(owner="")), {"today": TODAY}).one()
    own = db.execute(text(raw.format(owner="AND owner_id = :owner")), {"today": TODAY, "owner": mitra.id}).one()
    assert everyone.n == 8 and own.n == 4 and own.owed < everyone.owed
    partial = db.execute(text("SELECT min(paid_amount) FROM invoices WHERE status = 'partial'")).scalar()
    assert partial > 0  # the part payments are really subtracted
    overdue = superadmin_client.get("/api/dashboard/today").json["overdue"]
    assert (overdue["count"], overdue["totalAmount"]) == (everyone.n, everyone.owed)
    overdue = mitra_client.get("/api/dashboard/today").json["overdue"]
    assert (overdue["count"], overdue["totalAmount"]) == (own.n, own.owed)
    assert [item["dueDate"] for item in overdue["items"]] == ["2026-08-15", "2026-09-15", "2026-11-03", "2026-11-14"]
    narrowed = superadmin_client.get(f"/api/dashboard/today?ownerId={other_mitra.id}").json["overdue"]
    assert narrowed["count"] == 4 and narrowed["totalAmount"] == everyone.owed - own.owed
