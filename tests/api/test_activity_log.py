"""Every write through the API leaves an activity_logs row naming who, what, which resource and the IP."""

from sqlalchemy import select

from shared.models import ActivityLog

IP = {"REMOTE_ADDR": "10.20.30.40"}


def _actions(db, user):
    db.expire_all()
    return [(log.action, log.ip_address) for log in
            db.scalars(select(ActivityLog).where(ActivityLog.user_id == user.id).order_by(ActivityLog.created_at))]


def test_superadmin_writes_are_all_audited_with_ip(superadmin_client, superadmin, db, make_package, mitra):
    package = make_package(price=120_000)
    calls = [
        ("post", "/api/packages", {"name": "Paket Audit", "speed": "5 Mbps", "price": 50_000}),
        ("patch", f"/api/packages/{package.id}", {"description": "diubah"}),
        ("post", "/api/users", {"username": "audit_mitra", "password": "Rahasia123!", "name": "Audit",
                                "businessName": "Audit Net"}),
        ("patch", f"/api/users/{mitra.id}", {"bankName": "BNI"}),
        ("post", "/api/customers", {"ownerId": str(mitra.id), "packageId": str(package.id), "name": "Pelanggan Audit",
                                    "phone": "081234000111", "billingDate": 7}),
        ("patch", "/api/settings", {"receipt_show_nik": "true"}),
        ("post", "/api/invoices/generate", {}),
    ]
    for method, url, body in calls:
        res = getattr(superadmin_client, method)(url, json=body, environ_base=IP)
        assert res.status_code < 300, (url, res.status_code, res.json)
    customer_id = superadmin_client.get("/api/customers", query_string={"q": "Pelanggan Audit"}).json["items"][0]["id"]
    for method, url in (("patch", f"/api/customers/{customer_id}/isolate"), ("delete", f"/api/customers/{customer_id}"),
                        ("delete", f"/api/packages/{package.id}")):
        assert getattr(superadmin_client, method)(url, environ_base=IP).status_code < 300, url
    actions = _actions(db, superadmin)
    assert {ip for _, ip in actions} == {"10.20.30.40"}
    assert [a for a, _ in actions] == [
        "package.create", "package.update", "user.create", "user.update", "customer.create", "settings.update",
        "invoices.generate", "customer.isolate", "customer.delete", "package.deactivate"]


def test_mitra_writes_are_audited(mitra_client, mitra, db, make_customer):
    customer = make_customer(owner=mitra)
    assert mitra_client.patch(f"/api/customers/{customer.id}", json={"discount": 5_000},
                              environ_base=IP).status_code == 200
    assert mitra_client.patch("/api/auth/me", json={"bankName": "BCA"}, environ_base=IP).status_code == 200
    assert _actions(db, mitra) == [("customer.update", "10.20.30.40"), ("profile.update", "10.20.30.40")]


def test_refused_writes_leave_no_audit_row(mitra_client, mitra, db, make_customer):
    customer = make_customer(owner=mitra)
    assert mitra_client.patch(f"/api/customers/{customer.id}", json={"name": "X"}).status_code == 403
    assert _actions(db, mitra) == []
