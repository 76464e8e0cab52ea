import uuid

from sqlalchemy import event, func, select

from shared.models import CustomerStatus, Package, User, UserRole


def counts(db):
    return {"packages": db.scalar(select(func.count()).where(Package.is_active.is_(True))),
            "mitra": db.scalar(select(func.count()).where(User.role == UserRole.mitra, User.is_active.is_(True)))}


def customer_figures(body):
    """The customer-count part of the stats (the money part is tested in test_dashboard_money.py)."""
    return {key: body[key] for key in ("totalCustomers", "activeCustomers", "isolatedCustomers",
                                       "inactiveCustomers", "packageCount", "mitraCount")}


def make_mixed_customers(make_customer, owner):
    make_customer(owner=owner)
    make_customer(owner=owner)
    make_customer(owner=owner, status=CustomerStatus.isolated)
    make_customer(owner=owner, status=CustomerStatus.inactive)


def test_superadmin_sees_every_owners_customers(superadmin_client, db, superadmin, mitra, other_mitra,
                                                make_customer):
    make_mixed_customers(make_customer, mitra)
    make_customer(owner=other_mitra)
    make_customer(owner=superadmin, status=CustomerStatus.isolated)
    res = superadmin_client.get("/api/dashboard/stats")
    assert res.status_code == 200
    expected = counts(db)
    assert customer_figures(res.json) == {"totalCustomers": 6, "activeCustomers": 3, "isolatedCustomers": 2, "inactiveCustomers": 1,
                        "packageCount": expected["packages"], "mitraCount": expected["mitra"]}


def test_mitra_sees_only_own_customers_and_no_mitra_count(mitra_client, db, mitra, other_mitra, superadmin,
                                                          make_customer):
    make_mixed_customers(make_customer, mitra)
    make_mixed_customers(make_customer, other_mitra)
    make_customer(owner=superadmin)
    res = mitra_client.get("/api/dashboard/stats")
    assert res.status_code == 200
    assert customer_figures(res.json) == {"totalCustomers": 4, "activeCustomers": 2, "isolatedCustomers": 1, "inactiveCustomers": 1,
                        "packageCount": counts(db)["packages"], "mitraCount": None}


def test_superadmin_filters_by_owner(superadmin_client, mitra, other_mitra, make_customer):
    make_mixed_customers(make_customer, mitra)
    make_customer(owner=other_mitra)
    body = superadmin_client.get(f"/api/dashboard/stats?ownerId={other_mitra.id}").json
    assert (body["totalCustomers"], body["activeCustomers"], body["isolatedCustomers"]) == (1, 1, 0)


def test_unknown_owner_is_404(superadmin_client):
    assert superadmin_client.get(f"/api/dashboard/stats?ownerId={uuid.uuid4()}").status_code == 404
    assert superadmin_client.get("/api/dashboard/stats?ownerId=bukan-uuid").status_code == 422


def test_mitra_cannot_peek_at_another_owner(mitra_client, mitra, other_mitra, make_customer):
    make_customer(owner=other_mitra)
    res = mitra_client.get(f"/api/dashboard/stats?ownerId={other_mitra.id}")
    assert res.status_code == 404  # another mitra's id is reported like a missing one
    assert mitra_client.get(f"/api/dashboard/stats?ownerId={mitra.id}").status_code == 200


def test_empty_dashboard_is_zeros(mitra_client):
    body = mitra_client.get("/api/dashboard/stats").json
    assert body["totalCustomers"] == 0 and body["activeCustomers"] == 0


def test_customer_counts_are_one_query(superadmin_client, connection, mitra, make_customer):
    make_mixed_customers(make_customer, mitra)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        assert superadmin_client.get("/api/dashboard/stats").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", record)
    # One statement over the customer_monthly_counts rollup gives every card; none counts the customers themselves.
    assert len([s for s in statements if "FILTER (WHERE customer_monthly_counts.status" in s]) == 1
    assert not [s for s in statements if "FROM customers" in s and "count(" in s]


def test_dashboard_requires_login(client):
    assert client.get("/api/dashboard/stats").status_code == 401
