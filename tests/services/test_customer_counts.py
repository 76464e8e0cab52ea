"""customer_monthly_counts (migration 0020) equals the GROUP BY over customers after every kind of write, and
the dashboard's customer cards and growth series read it instead of counting customers."""

from datetime import date

from sqlalchemy import delete, select, text, update

from shared.models import Customer, CustomerMonthlyCount, CustomerStatus
from shared.services import customers

MISMATCHES = text("""
    WITH raw AS (
        SELECT owner_id, date_trunc('month', register_date)::date AS register_month, status, count(*) AS n
        FROM customers GROUP BY 1, 2, 3),
    rolled AS (SELECT owner_id, register_month, status, customer_count AS n FROM customer_monthly_counts
               WHERE customer_count <> 0)
    SELECT owner_id, register_month, status, raw.n AS raw_n, rolled.n AS rolled_n
    FROM raw FULL JOIN rolled USING (owner_id, register_month, status)
    WHERE raw.n IS DISTINCT FROM rolled.n""")


def assert_counts_exact(session) -> None:
    assert session.execute(MISMATCHES).all() == []


def counts_of(session, owner) -> dict:
    rows = session.scalars(select(CustomerMonthlyCount).where(CustomerMonthlyCount.owner_id == owner.id,
                                                              CustomerMonthlyCount.customer_count != 0))
    return {(row.register_month, row.status.value): row.customer_count for row in rows}


def test_inserts_updates_and_deletes_keep_the_counts_exact(db, superadmin, mitra, other_mitra, make_customer):
    ani = make_customer(owner=mitra, register_date=date(2026, 3, 14))
    budi = make_customer(owner=mitra, register_date=date(2026, 3, 2))
    citra = make_customer(owner=other_mitra, register_date=date(2025, 12, 31), status=CustomerStatus.inactive)
    assert counts_of(db, mitra) == {(date(2026, 3, 1), "active"): 2}
    assert counts_of(db, other_mitra) == {(date(2025, 12, 1), "inactive"): 1}
    assert_counts_exact(db)

    customers.toggle_isolation(db, actor=superadmin, customer_id=ani.id)  # status
    db.execute(update(Customer).where(Customer.id == budi.id).values(register_date=date(2026, 4, 1)))  # month
    db.execute(update(Customer).where(Customer.id == citra.id).values(owner_id=mitra.id))  # owner
    assert counts_of(db, mitra) == {(date(2026, 3, 1), "isolated"): 1, (date(2026, 4, 1), "active"): 1,
                                    (date(2025, 12, 1), "inactive"): 1}
    assert counts_of(db, other_mitra) == {}
    assert_counts_exact(db)

    customers.delete_customer(db, actor=superadmin, customer_id=ani.id)
    db.execute(delete(Customer).where(Customer.owner_id == mitra.id))  # one statement, several rows
    assert counts_of(db, mitra) == {}
    assert_counts_exact(db)


def test_edits_that_change_no_key_leave_the_rows_untouched(db, mitra, make_customer):
    for index in range(3):
        make_customer(owner=mitra, name=f"Tetap {index}", register_date=date(2026, 5, 5))
    versions = text("SELECT xmin::text FROM customer_monthly_counts WHERE owner_id = :owner ORDER BY 1")
    before = db.scalars(versions, {"owner": mitra.id}).all()
    db.execute(update(Customer).where(Customer.owner_id == mitra.id).values(name=Customer.name + " baru",
                                                                            register_date=date(2026, 5, 20)))
    assert db.scalars(versions, {"owner": mitra.id}).all() == before
    assert_counts_exact(db)


def test_dashboard_customer_figures_come_from_the_rollup(superadmin_client, mitra_client, db, mitra, make_customer,
                                                         statements):
    for status, registered in [(CustomerStatus.active, date(2020, 1, 1)), (CustomerStatus.isolated, date.today()),
                               (CustomerStatus.inactive, date.today())]:
        make_customer(owner=mitra, status=status, register_date=registered)
    statements.clear()
    mine = mitra_client.get("/api/dashboard/stats").json
    every = superadmin_client.get("/api/dashboard/stats").json
    assert not [s for s in statements if "FROM customers" in s and "count(" in s.lower()]
    assert (mine["totalCustomers"], mine["activeCustomers"], mine["isolatedCustomers"],
            mine["inactiveCustomers"]) == (3, 1, 1, 1)
    assert mine["customerGrowth"][-1]["totalCustomers"] == 3
    assert mine["customerGrowth"][0]["totalCustomers"] - mine["customerGrowth"][0]["newCustomers"] == 1
    raw = db.execute(text("SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM customers")).one()
    assert (every["totalCustomers"], every["activeCustomers"]) == tuple(raw)
    assert every["customerGrowth"][-1]["totalCustomers"] == raw[0] - db.scalar(
        text("SELECT count(*) FROM customers WHERE register_date > CURRENT_DATE"))
