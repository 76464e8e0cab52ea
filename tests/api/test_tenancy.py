"""Tenancy: every id-bearing endpoint is tried by each role against other owners' ids.

The route list comes from the app itself, so a new endpoint is covered (or fails this suite) by default.
"""

import pytest
from sqlalchemy import select

from shared.models import Customer, Package, User

# For a mitra: what each id-bearing endpoint answers when the id belongs to someone else.
# 404 = "not found or not yours" (a mitra never learns another mitra's ids exist); 403 = the whole
# resource is superadmin-only, whoever owns the id.
MITRA_ON_OTHERS = {
    "customers": {404},
    "users": {403},
    "packages": {403},  # writes only; reading a package is allowed (packages are global)
    "jobs": {404},
    "exports": {404},  # downloading another user's export (tests/api/test_exports.py)
    "invoices": {404},  # GET, pay and unpay of another owner's invoice (tests/api/test_invoices.py)
    "receipt": {200, 404},  # public by unguessable token, whoever owns the invoice (tests/api/test_receipts.py)
    "wa": {404},  # another number's queue rows, another owner's invoices to resend (tests/api/test_wa_tenancy.py)
}
WRITE_BODIES = {"PATCH": {"phone": "081299998888", "discount": 0, "name": "Diretas"}, "POST": {}, "DELETE": None}


def _id_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or "<" not in rule.rule:
            continue
        if rule.rule.startswith("/api/docs"):
            continue
        resource = rule.rule.split("/")[2]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield resource, method, rule.rule


def _url(rule: str, value: str) -> str:
    import re

    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", value, rule)


def test_every_id_route_has_a_tenancy_expectation(app):
    resources = {resource for resource, _, _ in _id_routes(app)}
    assert resources <= set(MITRA_ON_OTHERS), f"add tenancy expectations for {resources - set(MITRA_ON_OTHERS)}"


@pytest.fixture
def world(make_user, make_customer, make_package, superadmin, mitra, other_mitra):
    package = make_package()
    return {
        "mine": make_customer(owner=mitra, package=package, name="Milik Saya"),
        "theirs": make_customer(owner=other_mitra, package=package, name="Milik Orang Lain"),
        "admins": make_customer(owner=superadmin, package=package, name="Milik Superadmin"),
        "package": package,
    }


def test_mitra_gets_404_for_every_verb_on_another_owners_customer(app, mitra_client, world, db):
    for victim in ("theirs", "admins"):
        customer = world[victim]
        for resource, method, rule in _id_routes(app):
            if resource != "customers":
                continue
            res = getattr(mitra_client, method.lower())(_url(rule, str(customer.id)), json=WRITE_BODIES.get(method))
            assert res.status_code == 404, (method, rule, res.status_code, res.json)
            assert "Milik" not in res.get_data(as_text=True)
        db.expire_all()
        assert db.get(Customer, customer.id).name.startswith("Milik")


def test_mitra_never_sees_other_owners_customers_in_lists(mitra_client, world, other_mitra, superadmin):
    for params in ({}, {"ownerId": str(other_mitra.id)}, {"ownerId": str(superadmin.id)}, {"q": "Milik"},
                   {"perPage": 100}):
        res = mitra_client.get("/api/customers", query_string=params)
        assert res.status_code == 200
        names = {item["name"] for item in res.json["items"]}
        assert names <= {"Milik Saya"}, (params, names)


def test_mitra_cannot_touch_other_mitra_users_or_packages(app, mitra_client, other_mitra, world, db):
    for resource, method, rule in _id_routes(app):
        if resource == "users":
            target = str(other_mitra.id)
        elif resource == "packages" and method != "GET":
            target = str(world["package"].id)
        else:
            continue
        res = getattr(mitra_client, method.lower())(_url(rule, target), json=WRITE_BODIES.get(method))
        assert res.status_code in MITRA_ON_OTHERS[resource], (method, rule, res.status_code)
    db.expire_all()
    assert db.get(User, other_mitra.id).is_active
    assert db.get(Package, world["package"].id).is_active


def test_mitra_cannot_create_a_customer_for_another_owner(mitra_client, other_mitra, world, db):
    res = mitra_client.post("/api/customers", json={
        "ownerId": str(other_mitra.id), "packageId": str(world["package"].id), "name": "Penyusup",
        "phone": "081277776666", "billingDate": 3, "discount": 0})
    assert res.status_code in (403, 404, 422)
    assert db.scalar(select(Customer).where(Customer.name == "Penyusup")) is None


def test_superadmin_reaches_every_owners_customer(superadmin_client, world):
    for victim in ("mine", "theirs", "admins"):
        assert superadmin_client.get(f"/api/customers/{world[victim].id}").status_code == 200


def test_mitra_cannot_read_another_users_job(bound_app, mitra, other_mitra, as_user, db):
    from shared import jobs, tasknames

    job_id = jobs.submit(db, tasknames.EXPORT_FINANCE, job_type="export.finance", user_id=other_mitra.id)
    assert as_user(mitra).get(f"/api/jobs/{job_id}").status_code == 404
    assert as_user(other_mitra).get(f"/api/jobs/{job_id}").status_code == 200
