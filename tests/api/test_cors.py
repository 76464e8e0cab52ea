"""A PWA on another origin (VITE_API_URL): CORS_ORIGINS lets exactly those origins call /api and open Socket.IO."""

import pytest
from pydantic import ValidationError

from shared.config import Settings

PWA = "https://app.fibernode.example"
EVIL = "https://evil.example"


@pytest.fixture
def cross_origin_app(session_factory):
    from api.app import create_app

    settings = Settings(cors_origins=f"{PWA}, http://localhost:5173", socketio_message_queue=False)
    return create_app(settings, session_factory=session_factory)


def preflight(client, origin: str, method: str = "POST", headers: str = "Authorization, Content-Type"):
    return client.options("/api/auth/login", headers={"Origin": origin, "Access-Control-Request-Method": method,
                                                      "Access-Control-Request-Headers": headers})


def test_preflight_from_the_configured_origin_allows_credentials_and_the_auth_header(cross_origin_app):
    res = preflight(cross_origin_app.test_client(), PWA)
    assert res.status_code == 200
    assert res.headers["Access-Control-Allow-Origin"] == PWA  # the origin itself, never "*"
    assert res.headers["Access-Control-Allow-Credentials"] == "true"
    allowed = {h.strip().lower() for h in res.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in res.headers["Access-Control-Allow-Methods"]
    assert "Origin" in res.headers.get("Vary", "")


def test_a_real_request_from_the_configured_origin_reads_the_answer(cross_origin_app, make_user):
    make_user(username="lintas_asal", password="Rahasia123!")
    res = cross_origin_app.test_client().post("/api/auth/login", headers={"Origin": PWA},
                                              json={"username": "lintas_asal", "password": "Rahasia123!"})
    assert res.status_code == 200 and res.json["accessToken"]
    assert res.headers["Access-Control-Allow-Origin"] == PWA
    assert res.headers["Access-Control-Allow-Credentials"] == "true"
    assert "X-Request-ID" in res.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("origin", [EVIL, "https://app.fibernode.example.evil.example", "http://app.fibernode.example",
                                    "null"])
def test_other_origins_get_no_grant(cross_origin_app, origin):
    client = cross_origin_app.test_client()
    assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers
    res = client.get("/api/settings/branding", headers={"Origin": origin})
    assert res.status_code == 200 and "Access-Control-Allow-Origin" not in res.headers


def test_by_default_no_origin_is_granted(client):
    # CORS_ORIGINS unset: same-origin only, the Vite dev server included (it proxies /api).
    for origin in (PWA, "http://localhost:5173"):
        assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers


@pytest.mark.parametrize("value", ["*", "app.example.id", "https://app.example.id/pwa", "ftp://x.example"])
def test_cors_origins_must_be_origins(value):
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings(cors_origins=value)


def test_the_older_cors_origin_name_still_works_and_the_new_one_wins(monkeypatch):
    monkeypatch.setenv("CORS_ORIGIN", "https://lama.example.id/")
    assert Settings().cors_origins == ["https://lama.example.id"]
    monkeypatch.setenv("CORS_ORIGINS", "https://baru.example.id,https://dua.example.id")
    assert Settings().cors_origins == ["https://baru.example.id", "https://dua.example.id"]


def _socket_handshake(app, origin: str):
    return app.test_client().get("/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})


def test_socketio_accepts_the_configured_origin_and_refuses_others(cross_origin_app):
    ok = _socket_handshake(cross_origin_app, PWA)
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == PWA
    assert _socket_handshake(cross_origin_app, EVIL).status_code == 400


def test_socketio_accepts_its_own_origin_without_configuration(app):
    assert _socket_handshake(app, "http://localhost").status_code == 200
    assert _socket_handshake(app, EVIL).status_code == 400


@pytest.mark.parametrize("samesite, secure", [("Strict", False), ("None", True)])
def test_the_device_cookie_samesite_follows_the_setting(session_factory, make_user, samesite, secure):
    from api.app import create_app

    app = create_app(Settings(cors_origins=PWA, device_cookie_samesite=samesite, socketio_message_queue=False),
                     session_factory=session_factory)
    make_user(username=f"kuki_{samesite.lower()}", password="Rahasia123!")
    res = app.test_client().post("/api/auth/login", headers={"Origin": PWA},
                                 json={"username": f"kuki_{samesite.lower()}", "password": "Rahasia123!"})
    cookie = next(v for k, v in res.headers.items() if k == "Set-Cookie" and v.startswith("fn_device="))
    assert f"SameSite={samesite}" in cookie and "HttpOnly" in cookie
    assert ("Secure" in cookie) is secure  # SameSite=None without Secure is dropped by browsers
