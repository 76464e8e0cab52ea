import uuid
from datetime import date

import pytest
from sqlalchemy import select

from shared.models import ActivityLog, Invoice, Package

NEW_PACKAGE = {"name": "Paket 10 Mbps", "speed": "10 Mbps", "price": 100_000, "description": "Untuk rumah"}


def test_superadmin_creates_package(superadmin_client, db):
    res = superadmin_client.post("/api/packages", json=NEW_PACKAGE)
    assert res.status_code == 201, res.json
    body = res.json
    assert body["name"] == "Paket 10 Mbps" and body["price"] == 100_000 and body["isActive"] is True
    assert body["customerCount"] == 0
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "package.create",
                                              ActivityLog.resource_id == uuid.UUID(body["id"])))
    assert log is not None


@pytest.mark.parametrize("price", [-1, 100_000_001, 1.5, "100000", None])
def test_price_must_be_whole_rupiah_between_0_and_100_million(superadmin_client, price):
    res = superadmin_client.post("/api/packages", json={**NEW_PACKAGE, "price": price})
    assert res.status_code == 422
    assert "price" in res.json["error"]["details"]["fields"]


@pytest.mark.parametrize("price", [0, 100_000_000])
def test_price_bounds_are_inclusive(superadmin_client, price):
    assert superadmin_client.post("/api/packages", json={**NEW_PACKAGE, "price": price}).status_code == 201


def test_name_is_unique_among_active_packages_ignoring_case(superadmin_client, make_package):
    make_package(name="Paket 10 Mbps")
    res = superadmin_client.post("/api/packages", json={**NEW_PACKAGE, "name": "paket 10 MBPS"})
    assert res.status_code == 409
    assert "name" in res.json["error"]["details"]["fields"]


def test_name_of_an_inactive_package_can_be_reused(superadmin_client, make_package):
    old = make_package(name="Paket 10 Mbps", is_active=False)
    assert superadmin_client.post("/api/packages", json=NEW_PACKAGE).status_code == 201
    # ...but the old one cannot be reactivated while an active package holds its name.
    res = superadmin_client.patch(f"/api/packages/{old.id}", json={"isActive": True})
    assert res.status_code == 409


def test_rename_to_another_active_packages_name_is_409(superadmin_client, make_package):
    make_package(name="Paket A")
    b = make_package(name="Paket B")
    assert superadmin_client.patch(f"/api/packages/{b.id}", json={"name": "PAKET A"}).status_code == 409
    assert superadmin_client.patch(f"/api/packages/{b.id}", json={"name": "Paket b"}).status_code == 200


def test_list_shows_active_packages_by_default(mitra_client, make_package):
    active = make_package()
    inactive = make_package(is_active=False)
    ids = [item["id"] for item in mitra_client.get("/api/packages?perPage=100").json["items"]]
    assert str(active.id) in ids and str(inactive.id) not in ids
    ids = [item["id"] for item in mitra_client.get("/api/packages?includeInactive=true&perPage=100").json["items"]]
    assert str(inactive.id) in ids


def test_list_envelope_and_customer_counts_for_superadmin_only(superadmin_client, mitra_client, mitra,
                                                               make_package, make_customer):
    package = make_package()
    make_customer(owner=mitra, package=package)
    make_customer(owner=mitra, package=package)
    body = superadmin_client.get("/api/packages?perPage=100").json
    assert set(body) == {"items", "total", "totalCapped", "page", "perPage"}
    assert {i["id"]: i["customerCount"] for i in body["items"]}[str(package.id)] == 2
    # The count spans every owner's customers, so a mitra does not get it.
    items = mitra_client.get("/api/packages?perPage=100").json["items"]
    assert {i["id"]: i["customerCount"] for i in items}[str(package.id)] is None


def test_any_role_gets_one_package_including_inactive(mitra_client, make_package):
    package = make_package(is_active=False)
    res = mitra_client.get(f"/api/packages/{package.id}")
    assert res.status_code == 200 and res.json["isActive"] is False and res.json["customerCount"] is None
    assert mitra_client.get(f"/api/packages/{uuid.uuid4()}").status_code == 404


def test_update_package_fields(superadmin_client, db, make_package):
    package = make_package()
    res = superadmin_client.patch(f"/api/packages/{package.id}", json={"speed": "15 Mbps", "description": ""})
    assert res.status_code == 200
    assert res.json["speed"] == "15 Mbps" and res.json["description"] is None
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "package.update",
                                              ActivityLog.resource_id == package.id))
    assert log.metadata_["changes"]["speed"] == {"old": "10 Mbps", "new": "15 Mbps"}


def test_delete_is_a_soft_delete_and_customers_keep_the_package(superadmin_client, db, mitra, make_package,
                                                                make_customer):
    package = make_package()
    customer = make_customer(owner=mitra, package=package)
    assert superadmin_client.delete(f"/api/packages/{package.id}").status_code == 204
    db.refresh(package)
    db.refresh(customer)
    assert package.is_active is False and customer.package_id == package.id
    assert superadmin_client.get(f"/api/packages/{package.id}").json["customerCount"] == 1


def test_price_change_retotals_customers_but_never_invoices(superadmin_client, db, mitra, superadmin,
                                                           make_package, make_customer):
    package = make_package(price=100_000)
    other = make_package(price=100_000)
    with_discount = make_customer(owner=mitra, package=package, discount=10_000)
    no_discount = make_customer(owner=superadmin, package=package)
    on_other_package = make_customer(owner=mitra, package=other)
    invoice = Invoice(customer_id=with_discount.id, owner_id=mitra.id, period="2026-01", amount=100_000,
                      discount=10_000, total_amount=90_000, due_date=date(2025, 12, 5))
    db.add(invoice)
    db.flush()
    res = superadmin_client.patch(f"/api/packages/{package.id}", json={"price": 150_000})
    assert res.status_code == 200 and res.json["price"] == 150_000
    for row in (with_discount, no_discount, on_other_package, invoice):
        db.refresh(row)
    assert with_discount.total_bill == 140_000
    assert no_discount.total_bill == 150_000
    assert on_other_package.total_bill == 100_000
    assert (invoice.amount, invoice.total_amount) == (100_000, 90_000)
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "package.update",
                                              ActivityLog.resource_id == package.id))
    assert log.metadata_["customersRetotalled"] == 2
    assert log.metadata_["changes"]["price"] == {"old": 100_000, "new": 150_000}


def test_price_below_a_customers_discount_is_refused_with_count(superadmin_client, db, mitra, make_package,
                                                                make_customer):
    package = make_package(price=100_000)
    make_customer(owner=mitra, package=package, discount=60_000)
    make_customer(owner=mitra, package=package, discount=55_000)
    kept = make_customer(owner=mitra, package=package, discount=0)
    res = superadmin_client.patch(f"/api/packages/{package.id}", json={"price": 50_000})
    assert res.status_code == 409
    error = res.json["error"]
    assert error["code"] == "discount_exceeds_price" and error["details"]["customerCount"] == 2
    assert "2 pelanggan" in error["message"]
    db.refresh(package)
    db.refresh(kept)
    assert package.price == 100_000 and kept.total_bill == 100_000


def test_price_equal_to_the_largest_discount_is_allowed(superadmin_client, db, mitra, make_package, make_customer):
    package = make_package(price=100_000)
    customer = make_customer(owner=mitra, package=package, discount=60_000)
    assert superadmin_client.patch(f"/api/packages/{package.id}", json={"price": 60_000}).status_code == 200
    db.refresh(customer)
    assert customer.total_bill == 0


def test_unchanged_price_touches_no_customer(superadmin_client, db, mitra, make_package, make_customer):
    package = make_package(price=100_000)
    customer = make_customer(owner=mitra, package=package)
    customer.total_bill = 12_345  # a drifted total is left alone when the price does not change
    db.flush()
    assert superadmin_client.patch(f"/api/packages/{package.id}", json={"price": 100_000}).status_code == 200
    db.refresh(customer)
    assert customer.total_bill == 12_345


@pytest.mark.parametrize("method, path_kind", [("post", "list"), ("patch", "one"), ("delete", "one")])
def test_mitra_cannot_change_packages(mitra_client, db, make_package, method, path_kind):
    package = make_package(price=100_000)
    path = "/api/packages" if path_kind == "list" else f"/api/packages/{package.id}"
    kwargs = {"json": {**NEW_PACKAGE, "price": 1}} if method == "post" else (
        {"json": {"price": 1}} if method == "patch" else {})
    res = getattr(mitra_client, method)(path, **kwargs)
    assert res.status_code == 403 and res.json["error"]["code"] == "forbidden"
    db.refresh(package)
    assert package.price == 100_000 and package.is_active
    assert db.scalar(select(Package).where(Package.price == 1)) is None


def test_mitra_gets_403_before_body_validation(mitra_client):
    assert mitra_client.post("/api/packages", json={"bogus": True}).status_code == 403


def test_packages_require_login(client, make_package):
    assert client.get("/api/packages").status_code == 401
    assert client.get(f"/api/packages/{make_package().id}").status_code == 401

