import uuid

import pytest
from sqlalchemy import event, func, select

from shared.models import ActivityLog, RefreshToken, User, UserRole
from shared.security import verify_password

NEW_MITRA = {"username": "wifi.sukamaju", "password": "Sukamaju123", "name": "Budi Santoso",
             "businessName": "WiFi Sukamaju", "phone": "0812-3456-7890", "bankName": "BRI",
             "bankAccount": "0123456789", "bankHolder": "Budi Santoso"}


def login(client, username, password):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def test_superadmin_creates_mitra_with_hashed_password_and_normalised_phone(superadmin_client, client, db):
    res = superadmin_client.post("/api/users", json=NEW_MITRA)
    assert res.status_code == 201, res.json
    body = res.json
    assert body["role"] == "mitra" and body["businessName"] == "WiFi Sukamaju"
    assert body["phone"] == "6281234567890" and body["customerCount"] == 0
    assert "password" not in body and "passwordHash" not in body
    stored = db.get(User, uuid.UUID(body["id"]))
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, "Sukamaju123")
    assert login(client, "wifi.sukamaju", "Sukamaju123").status_code == 200
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "user.create",
                                              ActivityLog.resource_id == stored.id))
    assert log.user_id == superadmin_client.user.id


def test_create_mitra_refuses_weak_password_with_indonesian_message(superadmin_client):
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "password": "12345678"})
    assert res.status_code == 422
    assert res.json["error"]["details"]["fields"]["password"] == ["Password harus mengandung huruf dan angka."]
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "password": "ab1"})
    assert res.json["error"]["details"]["fields"]["password"] == ["Password minimal 8 karakter."]


def test_create_mitra_refuses_invalid_phone(superadmin_client):
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "phone": "12345"})
    assert res.status_code == 422
    assert "phone" in res.json["error"]["details"]["fields"]


def test_phone_is_optional(superadmin_client):
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "phone": ""})
    assert res.status_code == 201 and res.json["phone"] is None


def test_username_is_unique_ignoring_case(superadmin_client, make_user):
    make_user(username="Budi")
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "username": "budi"})
    assert res.status_code == 409
    assert "username" in res.json["error"]["details"]["fields"]


def test_business_name_is_unique_across_all_users_ignoring_case(superadmin_client, superadmin):
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "businessName": superadmin.business_name.upper()})
    assert res.status_code == 409
    assert res.json["error"]["message"] == "Nama usaha sudah dipakai."
    assert res.json["error"]["details"]["fields"]["businessName"] == ["Nama usaha sudah dipakai."]


def test_create_rejects_unknown_fields_such_as_role(superadmin_client):
    res = superadmin_client.post("/api/users", json={**NEW_MITRA, "role": "superadmin"})
    assert res.status_code == 422
    assert "role" in res.json["error"]["details"]["fields"]


def test_list_shows_mitra_only_by_default_with_customer_counts(superadmin_client, superadmin, mitra, other_mitra,
                                                               make_customer):
    make_customer(owner=mitra)
    make_customer(owner=mitra)
    make_customer(owner=superadmin)
    res = superadmin_client.get("/api/users?perPage=100")
    assert res.status_code == 200
    body = res.json
    assert set(body) == {"items", "total", "totalCapped", "page", "perPage"}
    by_id = {item["id"]: item for item in body["items"]}
    assert str(superadmin.id) not in by_id
    assert by_id[str(mitra.id)]["customerCount"] == 2
    assert by_id[str(other_mitra.id)]["customerCount"] == 0
    assert {item["role"] for item in body["items"]} == {"mitra"}


def test_list_with_role_all_includes_superadmins(superadmin_client, superadmin, mitra, make_customer):
    make_customer(owner=superadmin)
    items = superadmin_client.get("/api/users?role=all&perPage=100").json["items"]
    by_id = {item["id"]: item for item in items}
    assert by_id[str(superadmin.id)]["customerCount"] == 1 and str(mitra.id) in by_id
    only_admins = superadmin_client.get("/api/users?role=superadmin&perPage=100").json["items"]
    assert {item["role"] for item in only_admins} == {"superadmin"}


def test_list_counts_customers_with_one_grouped_query(superadmin_client, db, make_user, make_customer, connection):
    for _ in range(5):
        make_customer(owner=make_user())
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        assert superadmin_client.get("/api/users?perPage=100").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", count)
    customer_queries = [s for s in statements if "FROM customers" in s]
    assert len(customer_queries) == 1 and "GROUP BY" in customer_queries[0]


def test_list_filters_by_q_and_is_active(superadmin_client, make_user):
    make_user(name="Siti Aminah", business_name="Net Mekarjaya")
    make_user(username="joko_net", business_name="Joko Net")
    make_user(business_name="Sepi Net", is_active=False)
    assert [i["businessName"] for i in superadmin_client.get("/api/users?q=mekar").json["items"]] == ["Net Mekarjaya"]
    assert [i["businessName"] for i in superadmin_client.get("/api/users?q=JOKO_").json["items"]] == ["Joko Net"]
    assert [i["businessName"] for i in superadmin_client.get("/api/users?q=siti").json["items"]] == ["Net Mekarjaya"]
    inactive = superadmin_client.get("/api/users?isActive=false&perPage=100").json["items"]
    assert "Sepi Net" in [i["businessName"] for i in inactive]
    assert all(not i["isActive"] for i in inactive)


def test_list_paginates(superadmin_client, make_user):
    for _ in range(3):
        make_user()
    body = superadmin_client.get("/api/users?perPage=2&page=1").json
    assert len(body["items"]) == 2 and body["total"] >= 3 and body["perPage"] == 2
    assert superadmin_client.get("/api/users?perPage=101").status_code == 422


def test_get_one_user_with_customer_count(superadmin_client, mitra, make_customer):
    make_customer(owner=mitra)
    res = superadmin_client.get(f"/api/users/{mitra.id}")
    assert res.status_code == 200
    assert res.json["username"] == mitra.username and res.json["customerCount"] == 1


def test_unknown_user_is_404(superadmin_client):
    res = superadmin_client.get(f"/api/users/{uuid.uuid4()}")
    assert res.status_code == 404 and res.json["error"]["code"] == "not_found"
    assert superadmin_client.get("/api/users/not-a-uuid").status_code == 404


def test_update_mitra_details_and_audit(superadmin_client, db, mitra):
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={
        "name": "Nama Baru", "phone": "+62 812 1111 2222", "businessName": "Usaha Baru", "bankName": "BCA",
        "bankAccount": "999", "bankHolder": "Nama Baru"})
    assert res.status_code == 200, res.json
    assert res.json["name"] == "Nama Baru" and res.json["phone"] == "6281211112222"
    assert res.json["businessName"] == "Usaha Baru" and res.json["bankName"] == "BCA"
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "user.update", ActivityLog.resource_id == mitra.id))
    assert set(log.metadata_["fields"]) == {"name", "phone", "business_name", "bank_name", "bank_account",
                                            "bank_holder"}


def test_update_business_name_to_another_users_is_409(superadmin_client, mitra, other_mitra):
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"businessName": other_mitra.business_name.lower()})
    assert res.status_code == 409
    assert res.json["error"]["message"] == "Nama usaha sudah dipakai."


def test_update_keeping_own_business_name_is_fine(superadmin_client, mitra):
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"businessName": mitra.business_name.upper()})
    assert res.status_code == 200


def test_password_reset_lets_mitra_log_in_with_new_password_and_ends_old_sessions(superadmin_client, client, db,
                                                                                   mitra):
    old_refresh = login(client, mitra.username, "Rahasia123!").json["refreshToken"]
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"password": "PasswordBaru9"})
    assert res.status_code == 200
    assert login(client, mitra.username, "Rahasia123!").status_code == 401
    assert login(client, mitra.username, "PasswordBaru9").status_code == 200
    assert client.post("/api/auth/refresh", json={"refreshToken": old_refresh}).status_code == 401


def test_password_reset_checks_strength(superadmin_client, mitra):
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"password": "abcdefghij"})
    assert res.status_code == 422 and "password" in res.json["error"]["details"]["fields"]


def test_deactivate_mitra_without_customers_revokes_sessions_and_blocks_login(superadmin_client, client, db, mitra,
                                                                             as_user):
    refresh = login(client, mitra.username, "Rahasia123!").json["refreshToken"]
    mitra_client = as_user(mitra)
    res = superadmin_client.delete(f"/api/users/{mitra.id}")
    assert res.status_code == 204
    db.refresh(mitra)
    assert mitra.is_active is False
    active_tokens = db.scalar(select(func.count()).where(RefreshToken.user_id == mitra.id,
                                                         RefreshToken.revoked_at.is_(None)))
    assert active_tokens == 0
    assert client.post("/api/auth/refresh", json={"refreshToken": refresh}).status_code == 401
    assert mitra_client.get("/api/auth/me").status_code == 401
    res = login(client, mitra.username, "Rahasia123!")
    assert res.status_code == 401 and "dinonaktifkan" in res.json["error"]["message"]
    assert db.scalar(select(ActivityLog).where(ActivityLog.action == "user.deactivate",
                                               ActivityLog.resource_id == mitra.id)) is not None


def test_deactivate_mitra_with_customers_is_refused_with_count(superadmin_client, db, mitra, make_customer):
    make_customer(owner=mitra)
    make_customer(owner=mitra)
    res = superadmin_client.delete(f"/api/users/{mitra.id}")
    assert res.status_code == 409
    error = res.json["error"]
    assert error["code"] == "mitra_has_customers" and error["details"]["customerCount"] == 2
    assert "2 pelanggan" in error["message"] and "Pindahkan atau hapus" in error["message"]
    db.refresh(mitra)
    assert mitra.is_active is True


def test_patch_is_active_false_follows_the_same_rule_as_delete(superadmin_client, db, mitra, other_mitra,
                                                               make_customer):
    make_customer(owner=mitra)
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"isActive": False, "name": "Tetap"})
    assert res.status_code == 409 and res.json["error"]["code"] == "mitra_has_customers"
    db.refresh(mitra)
    assert mitra.is_active is True and mitra.name != "Tetap"  # the whole request was rolled back
    res = superadmin_client.patch(f"/api/users/{other_mitra.id}", json={"isActive": False})
    assert res.status_code == 200 and res.json["isActive"] is False


def test_reactivate_mitra(superadmin_client, client, make_user):
    mitra = make_user(is_active=False)
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"isActive": True})
    assert res.status_code == 200 and res.json["isActive"] is True
    assert login(client, mitra.username, "Rahasia123!").status_code == 200


def test_superadmin_cannot_deactivate_themselves(superadmin_client, superadmin):
    res = superadmin_client.delete(f"/api/users/{superadmin.id}")
    assert res.status_code == 409 and res.json["error"]["code"] == "cannot_deactivate_self"
    res = superadmin_client.patch(f"/api/users/{superadmin.id}", json={"isActive": False})
    assert res.status_code == 409


def test_superadmin_cannot_deactivate_another_superadmin(superadmin_client, db, make_user):
    other_admin = make_user(role=UserRole.superadmin)
    assert superadmin_client.delete(f"/api/users/{other_admin.id}").status_code == 403
    assert superadmin_client.patch(f"/api/users/{other_admin.id}", json={"isActive": False}).status_code == 403
    db.refresh(other_admin)
    assert other_admin.is_active is True


def test_superadmin_cannot_reset_another_superadmins_password(superadmin_client, make_user):
    other_admin = make_user(role=UserRole.superadmin)
    assert superadmin_client.patch(f"/api/users/{other_admin.id}", json={"password": "Baru12345"}).status_code == 403


def test_superadmin_edits_own_business_name(superadmin_client, superadmin):
    res = superadmin_client.patch(f"/api/users/{superadmin.id}", json={"businessName": "FiberNode Pusat Baru"})
    assert res.status_code == 200 and res.json["businessName"] == "FiberNode Pusat Baru"


@pytest.mark.parametrize("method, path_kind", [
    ("get", "list"), ("post", "list"), ("get", "own"), ("get", "other"), ("patch", "own"), ("patch", "other"),
    ("delete", "own"), ("delete", "other"), ("get", "missing")])
def test_mitra_is_forbidden_from_every_users_endpoint(mitra_client, mitra, other_mitra, db, method, path_kind):
    path = {"list": "/api/users", "own": f"/api/users/{mitra.id}", "other": f"/api/users/{other_mitra.id}",
            "missing": f"/api/users/{uuid.uuid4()}"}[path_kind]
    body = NEW_MITRA if path_kind == "list" else {"businessName": "Ambil Alih", "isActive": False}
    res = getattr(mitra_client, method)(path, json=body) if method in ("post", "patch") else \
        getattr(mitra_client, method)(path)
    assert res.status_code == 403
    assert res.json["error"]["code"] == "forbidden"
    db.refresh(other_mitra)
    assert other_mitra.is_active and other_mitra.business_name != "Ambil Alih"


def test_users_endpoints_require_login(client, mitra):
    assert client.get("/api/users").status_code == 401
    assert client.post("/api/users", json=NEW_MITRA).status_code == 401
    assert client.delete(f"/api/users/{mitra.id}").status_code == 401


def test_deactivating_an_unknown_user_is_404(superadmin_client):
    assert superadmin_client.delete(f"/api/users/{uuid.uuid4()}").status_code == 404


def test_clearing_optional_fields(superadmin_client, make_user):
    mitra = make_user(phone="6281234567890", bank_name="BRI")
    res = superadmin_client.patch(f"/api/users/{mitra.id}", json={"phone": None, "bankName": ""})
    assert res.status_code == 200 and res.json["phone"] is None and res.json["bankName"] is None
