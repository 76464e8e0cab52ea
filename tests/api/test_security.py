"""Attacks tried against the running app (not a reading of its code)."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token
from pydantic import ValidationError
from sqlalchemy import func, select, text

from shared.config import Settings, get_settings
from shared.models import Package, User

EVIL_ORIGIN = "https://evil.example"
SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def forged_token(user: User, secret: str, **claims) -> str:
    now = datetime.now(UTC)
    payload = {"sub": str(user.id), "type": "access", "fresh": False, "jti": str(uuid.uuid4()),
               "iat": now, "nbf": now, "exp": now + timedelta(minutes=15), "role": user.role.value, **claims}
    return pyjwt.encode(payload, secret, algorithm="HS256")


# --- CORS -----------------------------------------------------------------------------------------

def test_preflight_from_another_origin_gets_no_cors_grant(client):
    res = client.options("/api/packages", headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "Authorization"})
    assert "Access-Control-Allow-Origin" not in res.headers


def test_simple_request_from_another_origin_gets_no_cors_grant(client):
    res = client.get("/api/settings/branding", headers={"Origin": EVIL_ORIGIN})
    assert "Access-Control-Allow-Origin" not in res.headers


def test_configured_origin_is_allowed_exactly(session_factory):
    from api.app import create_app

    origin = "https://app.example.id"
    app = create_app(Settings(cors_origins=origin, socketio_message_queue=False), session_factory=session_factory)
    res = app.test_client().options("/api/packages", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert res.headers.get("Access-Control-Allow-Origin") == origin  # never "*"
    # tests/api/test_cors.py: credentials, preflight, refused origins, Socket.IO


# --- headers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/settings/branding", "/api/packages", "/api/tidak-ada"])
def test_security_headers_on_api_responses(client, path):
    res = client.get(path)
    for header in SECURITY_HEADERS:
        assert header in res.headers, header
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in res.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/login", "/pelanggan/123"])
def test_security_headers_on_spa_responses(client, path):
    res = client.get(path)
    try:
        assert res.status_code in (200, 503)  # 503 when the frontend has not been built
        for header in SECURITY_HEADERS:
            assert header in res.headers, header
        assert "script-src 'self'" in res.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in res.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    finally:
        res.close()


# --- request size and malformed input --------------------------------------------------------------

def test_body_over_the_size_limit_is_413_in_the_error_envelope(superadmin_client, client, app):
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    body = b'{"name": "' + b"x" * too_big + b'"}'
    for res in (superadmin_client.post("/api/packages", data=body, content_type="application/json"),
                client.post("/api/auth/login", data=body, content_type="application/json")):
        assert res.status_code == 413
        assert res.json["error"]["code"] == "payload_too_large"
        assert res.json["error"]["message"]


@pytest.mark.parametrize("body", [b'{"name": ', b"not json", b"\xff\xfe"])
def test_malformed_json_is_400_not_500(superadmin_client, body):
    res = superadmin_client.post("/api/packages", data=body, content_type="application/json")
    assert res.status_code == 400
    assert res.json["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("body", [[1, 2], "teks", 42, None, {"name": {"$gt": ""}, "speed": "1", "price": 1},
                                  {"name": "A", "speed": "1", "price": 10**30},
                                  {"name": "A\u0000B", "speed": "1", "price": 1}])
def test_wrongly_shaped_json_is_422_not_500(superadmin_client, db, body):
    res = superadmin_client.post("/api/packages", data=json.dumps(body), content_type="application/json")
    assert res.status_code in (400, 422), res.json
    assert "error" in res.json


def test_nul_characters_in_query_and_settings_are_422(superadmin_client):
    assert superadmin_client.get("/api/users?q=a%00b").status_code == 422
    assert superadmin_client.patch("/api/settings", json={"receipt_footer_text": "a\u0000b"}).status_code == 422


def test_absurd_page_number_is_422_not_500(superadmin_client):
    assert superadmin_client.get("/api/users?page=99999999999999999999").status_code == 422
    assert superadmin_client.get("/api/packages?page=-1").status_code == 422


def test_unknown_api_path_is_json_404(client, superadmin_client):
    for res in (client.get("/api/tidak-ada"), superadmin_client.get("/api/users/bukan-uuid/lagi")):
        assert res.status_code == 404
        assert res.is_json and res.json["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(superadmin_client):
    res = superadmin_client.put("/api/packages", json={})
    assert res.status_code == 405 and res.json["error"]["code"] == "method_not_allowed"


# --- configuration ----------------------------------------------------------------------------------

@pytest.mark.parametrize("secret", ["change-me", "dev-insecure-jwt-secret-change-me-please", "", "pendek"])
def test_production_refuses_a_placeholder_or_short_jwt_secret(secret):
    with pytest.raises(ValidationError):
        Settings(app_env="production", encryption_key="5d0c7e2a9b4f1e8d3c6a0b7f2e9d4c1a8b3f6e0d9c2a7b4e1f8d3c6a0b5e2f9d", jwt_secret=secret)


def test_production_accepts_a_long_random_secret():
    # `openssl rand -hex 32`; "x7" * 24 was accepted before and is refused now (tests/test_production_secrets.py).
    assert Settings(app_env="production", encryption_key="5d0c7e2a9b4f1e8d3c6a0b7f2e9d4c1a8b3f6e0d9c2a7b4e1f8d3c6a0b5e2f9d", jwt_secret="6f1c0b9e4d27a3f85c1e9b0a7d4f2e6c3b8a1d5f9e0c7b2a4d6f8e1c3b5a7d9f0"
                    ).is_production


# --- tokens -----------------------------------------------------------------------------------------

def test_token_signed_with_another_secret_is_401(client, superadmin):
    token = forged_token(superadmin, "some-other-secret-that-is-long-enough-1234")
    res = client.get("/api/users", headers=bearer(token))
    assert res.status_code == 401 and res.json["error"]["code"] == "invalid_token"


def test_unsigned_alg_none_token_is_401(client, superadmin):
    now = int(datetime.now(UTC).timestamp())
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps({
        "sub": str(superadmin.id), "type": "access", "jti": "x", "iat": now, "nbf": now, "exp": now + 600,
        "role": "superadmin"}).encode()).rstrip(b"=").decode()
    assert client.get("/api/users", headers=bearer(f"{header}.{payload}.")).status_code == 401


def test_edited_payload_with_the_old_signature_is_401(client, app, mitra):
    with app.app_context():
        token = create_access_token(identity=str(mitra.id), additional_claims={"role": "mitra"})
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "superadmin"
    tampered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert client.get("/api/users", headers=bearer(f"{head}.{tampered}.{signature}")).status_code == 401


def test_role_claim_does_not_grant_superadmin_roles_come_from_the_database(client, app, mitra):
    # Even a validly signed token that claims "superadmin" acts with the user's role from the database.
    with app.app_context():
        token = create_access_token(identity=str(mitra.id), additional_claims={"role": "superadmin"})
    assert client.get("/api/users", headers=bearer(token)).status_code == 403
    assert client.get("/api/settings", headers=bearer(token)).status_code == 403
    assert client.post("/api/packages", headers=bearer(token),
                       json={"name": "Gratis", "speed": "1 Gbps", "price": 0}).status_code == 403


def test_expired_token_is_401(client, superadmin):
    past = datetime.now(UTC) - timedelta(hours=1)
    token = forged_token(superadmin, get_settings().jwt_secret, iat=past, nbf=past, exp=past + timedelta(minutes=15))
    res = client.get("/api/users", headers=bearer(token))
    assert res.status_code == 401 and res.json["error"]["code"] == "token_expired"


def test_token_for_a_deleted_user_is_401(client, superadmin):
    token = forged_token(superadmin, get_settings().jwt_secret, sub=str(uuid.uuid4()))
    assert client.get("/api/users", headers=bearer(token)).status_code == 401


# --- injection --------------------------------------------------------------------------------------

INJECTIONS = ["' OR '1'='1", "'; DROP TABLE packages; --", "%' OR 1=1 --", "\\", "%",
              "') UNION SELECT password_hash, username FROM users --"]


@pytest.mark.parametrize("q", INJECTIONS)
def test_sql_injection_looking_q_is_harmless(superadmin_client, db, make_user, make_package, q):
    make_user(business_name="Net Aman")
    make_package(name="Paket Aman")
    users = superadmin_client.get("/api/users", query_string={"q": q, "role": "all"})
    packages = superadmin_client.get("/api/packages", query_string={"q": q})
    assert users.status_code == 200 and packages.status_code == 200
    # Taken literally: nothing matches, nothing leaks, nothing is dropped.
    assert users.json["items"] == [] and packages.json["items"] == []
    assert "argon2" not in users.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Package)) >= 1
    assert db.execute(text("SELECT to_regclass('public.packages')")).scalar() is not None


def test_like_wildcards_in_q_match_literally(superadmin_client, make_user):
    make_user(business_name="Net 100% Cepat")
    make_user(business_name="Net 1000 Cepat")
    items = superadmin_client.get("/api/users", query_string={"q": "100%"}).json["items"]
    assert [item["businessName"] for item in items] == ["Net 100% Cepat"]
