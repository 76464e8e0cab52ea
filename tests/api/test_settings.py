import pytest
from sqlalchemy import delete, func, select

from shared.models import ActivityLog, Setting
from shared.services.settings_defaults import DEFAULT_SETTINGS

BRANDING_KEYS = {"app_name", "logo_url", "splash_logo_url", "splash_bg_color", "favicon_url", "meta_description",
                 "app_version"}


def settings_logs(db):
    return db.scalars(select(ActivityLog).where(ActivityLog.action == "settings.update")).all()


def test_get_settings_returns_every_key_as_one_flat_object(superadmin_client):
    res = superadmin_client.get("/api/settings")
    assert res.status_code == 200
    assert set(res.json) == set(DEFAULT_SETTINGS)
    assert all(isinstance(value, str) for value in res.json.values())
    assert res.json["receipt_show_nik"] in ("true", "false")


def test_missing_key_falls_back_to_its_default(superadmin_client, db):
    db.execute(delete(Setting).where(Setting.key == "receipt_footer_text"))
    db.flush()
    assert superadmin_client.get("/api/settings").json["receipt_footer_text"] == \
        DEFAULT_SETTINGS["receipt_footer_text"]


def test_patch_updates_some_keys_and_logs_one_entry_with_old_and_new(superadmin_client, db):
    before = superadmin_client.get("/api/settings").json
    res = superadmin_client.patch("/api/settings", json={
        "app_name": "  WiFi Kita  ", "receipt_show_nik": True, "receipt_show_area": "false",
        "ssl_method": "letsencrypt", "splash_bg_color": "#10b981", "domain": "Tagihan.WifiKita.id",
        "logo_url": "/uploads/logo.png", "favicon_url": "https://cdn.wifikita.id/favicon.ico"})
    assert res.status_code == 200, res.json
    body = res.json
    assert set(body) == set(DEFAULT_SETTINGS)
    assert body["app_name"] == "WiFi Kita" and body["receipt_show_nik"] == "true"
    assert body["receipt_show_area"] == "false" and body["splash_bg_color"] == "#10B981"
    assert body["domain"] == "tagihan.wifikita.id"
    assert body["meta_description"] == before["meta_description"]  # untouched keys keep their values
    stored = dict(db.execute(select(Setting.key, Setting.value)).all())
    assert stored["receipt_show_nik"] == "true" and stored["ssl_method"] == "letsencrypt"
    logs = settings_logs(db)
    assert len(logs) == 1
    changes = logs[0].metadata_["changes"]
    assert changes["app_name"] == {"old": before["app_name"], "new": "WiFi Kita"}
    assert changes["receipt_show_nik"] == {"old": before["receipt_show_nik"], "new": "true"}
    assert logs[0].user_id == superadmin_client.user.id


def test_patch_creates_a_row_for_a_key_missing_from_the_table(superadmin_client, db):
    db.execute(delete(Setting).where(Setting.key == "domain"))
    db.flush()
    assert superadmin_client.patch("/api/settings", json={"domain": "wifi.example.id"}).status_code == 200
    assert db.scalar(select(Setting.value).where(Setting.key == "domain")) == "wifi.example.id"


def test_patch_with_no_real_change_logs_nothing(superadmin_client, db):
    current = superadmin_client.get("/api/settings").json
    assert superadmin_client.patch("/api/settings", json={"app_name": current["app_name"]}).status_code == 200
    assert settings_logs(db) == []


def test_unknown_key_is_422(superadmin_client):
    res = superadmin_client.patch("/api/settings", json={"app_name": "X", "jwt_secret": "hacked"})
    assert res.status_code == 422
    assert res.json["error"]["details"]["fields"]["jwt_secret"] == ["Pengaturan tidak dikenal."]


@pytest.mark.parametrize("key, value", [
    ("receipt_show_nik", "yes"), ("receipt_show_nik", 1), ("receipt_show_nik", None),
    ("ssl_method", "selfsigned"), ("splash_bg_color", "blue"), ("splash_bg_color", "#12345"),
    ("app_name", ""), ("app_name", "x" * 101), ("domain", "https://wifi.id/"), ("domain", "bad_host.id"),
    ("domain", "-a.id"), ("logo_url", "javascript:alert(1)"), ("logo_url", "//evil.example/logo.png"),
    ("logo_url", "ftp://host/logo.png"), ("favicon_url", "data:image/png;base64,AAAA"),
    ("meta_description", "x" * 301), ("app_version", "1.0 beta"), ("app_name", 123),
])
def test_invalid_values_are_field_errors(superadmin_client, db, key, value):
    res = superadmin_client.patch("/api/settings", json={key: value})
    assert res.status_code == 422, res.json
    assert key in res.json["error"]["details"]["fields"]
    assert settings_logs(db) == []


def test_one_bad_value_rejects_the_whole_batch(superadmin_client, db):
    before = superadmin_client.get("/api/settings").json
    res = superadmin_client.patch("/api/settings", json={"app_name": "Baru", "ssl_method": "selfsigned"})
    assert res.status_code == 422
    assert superadmin_client.get("/api/settings").json["app_name"] == before["app_name"]


def test_empty_values_are_allowed_where_optional(superadmin_client):
    res = superadmin_client.patch("/api/settings", json={"domain": "", "logo_url": "", "receipt_footer_text": ""})
    assert res.status_code == 200


def test_app_version_can_be_set_by_the_deploy(superadmin_client):
    res = superadmin_client.patch("/api/settings", json={"app_version": "1.4.2+build.7"})
    assert res.status_code == 200 and res.json["app_version"] == "1.4.2+build.7"


def test_branding_is_public_and_limited_to_branding_keys(client, superadmin_client):
    superadmin_client.patch("/api/settings", json={"app_name": "WiFi Kita", "logo_url": "/uploads/logo.png",
                                                   "splash_logo_url": ""})
    res = client.get("/api/settings/branding")
    assert res.status_code == 200
    assert set(res.json) == BRANDING_KEYS
    assert res.json["app_name"] == "WiFi Kita"
    assert res.json["splash_logo_url"] == "/uploads/logo.png"  # falls back to logo_url
    assert "receipt_show_nik" not in res.json and "domain" not in res.json


def test_branding_uses_its_own_splash_logo_when_set(client, superadmin_client):
    superadmin_client.patch("/api/settings", json={"logo_url": "/a.png", "splash_logo_url": "/splash.png"})
    assert client.get("/api/settings/branding").json["splash_logo_url"] == "/splash.png"


def test_branding_is_rate_limited(client):
    statuses = [client.get("/api/settings/branding", environ_base={"REMOTE_ADDR": "10.5.5.5"}).status_code
                for _ in range(125)]
    assert statuses.count(200) == 120 and statuses[-1] == 429
    assert client.get("/api/settings/branding", environ_base={"REMOTE_ADDR": "10.5.5.6"}).status_code == 200


@pytest.mark.parametrize("method", ["get", "patch"])
def test_mitra_cannot_read_or_change_settings(mitra_client, db, method):
    kwargs = {"json": {"app_name": "Dibajak"}} if method == "patch" else {}
    res = getattr(mitra_client, method)("/api/settings", **kwargs)
    assert res.status_code == 403 and res.json["error"]["code"] == "forbidden"
    assert db.scalar(select(func.count()).where(Setting.value == "Dibajak")) == 0


def test_settings_require_login(client):
    assert client.get("/api/settings").status_code == 401
    assert client.patch("/api/settings", json={"app_name": "X"}).status_code == 401


@pytest.mark.parametrize("method", ["none", "letsencrypt", "manual", "cloudflare"])
def test_every_ssl_method_nginx_knows_is_accepted(superadmin_client, method):
    # manual: the operator's own certificate in the certs volume (README, "TLS").
    res = superadmin_client.patch("/api/settings", json={"ssl_method": method})
    assert res.status_code == 200 and res.json["ssl_method"] == method
