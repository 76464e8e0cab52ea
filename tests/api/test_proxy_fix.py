"""Forwarded headers are believed from exactly TRUSTED_PROXY_HOPS proxies, and from none by default.

With 0 hops (make run, a client talking to the API directly) a client's own X-Forwarded-For must not move it
to another address: otherwise each request could name a fresh IP and no per-IP limit would ever hold.
tests/nginx/ shows the 1-hop case through the real nginx config.
"""

import pytest
from sqlalchemy import select

from api.app import CSP_APP, HSTS, SECURITY_HEADERS, create_app
from shared.config import Settings, get_settings
from shared.models import LoginAttempt

TEST_CLIENT_ADDR = "127.0.0.1"  # REMOTE_ADDR of Flask's test client


def proxied_app(session_factory, hops: int, **overrides):
    settings = get_settings().model_copy(update={"trusted_proxy_hops": hops, **overrides})
    return create_app(settings, session_factory=session_factory)


def fail_login(client, username: str, **headers):
    return client.post("/api/auth/login", json={"username": username, "password": "salah"}, headers=headers)


def recorded_ips(db, prefix: str) -> list[str]:
    return db.scalars(select(LoginAttempt.ip_address).where(LoginAttempt.username.like(f"{prefix}%"))
                      .order_by(LoginAttempt.username)).all()


def test_no_proxy_is_trusted_by_default():
    assert Settings.model_fields["trusted_proxy_hops"].default == 0


def test_with_no_trusted_proxy_a_spoofed_forwarded_for_is_ignored(client, db, monkeypatch):
    monkeypatch.setattr(get_settings(), "login_ip_max_failures", 2)
    assert fail_login(client, "palsu1", **{"X-Forwarded-For": "203.0.113.1"}).status_code == 401
    assert fail_login(client, "palsu2", **{"X-Forwarded-For": "203.0.113.2"}).status_code == 401
    # A third fresh "address" does not escape the per-IP throttle: all three came from one client.
    res = fail_login(client, "palsu3", **{"X-Forwarded-For": "203.0.113.3"})
    assert res.status_code == 429
    assert recorded_ips(db, "palsu") == [TEST_CLIENT_ADDR, TEST_CLIENT_ADDR]


def test_with_no_trusted_proxy_the_limiter_keys_on_the_peer(client):
    for n in range(60):
        assert client.get("/api/receipt/tidak-ada", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code == 404
    assert client.get("/api/receipt/tidak-ada", headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 429


def test_with_no_trusted_proxy_a_claimed_https_is_ignored(client):
    res = client.get("/api/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in res.headers


def test_one_trusted_hop_takes_the_address_that_proxy_saw(session_factory, db):
    client = proxied_app(session_factory, 1).test_client()
    # The client wrote the first address itself; nginx appended the second, the one it saw.
    fail_login(client, "satu", **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert recorded_ips(db, "satu") == ["203.0.113.7"]


def test_two_trusted_hops_reach_past_a_tls_terminator(session_factory, db):
    client = proxied_app(session_factory, 2).test_client()
    # TLS terminator -> nginx -> API: each appended to both headers (compose/nginx/default.conf).
    res = fail_login(client, "dua", **{"X-Forwarded-For": "198.51.100.1, 10.0.0.5",
                                       "X-Forwarded-Proto": "https, http"})
    assert recorded_ips(db, "dua") == ["198.51.100.1"]
    assert res.headers["Strict-Transport-Security"] == HSTS


def test_https_from_the_trusted_proxy_turns_on_hsts(session_factory):
    client = proxied_app(session_factory, 1).test_client()
    assert client.get("/api/health", headers={"X-Forwarded-Proto": "https"}).headers[
        "Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/api/health",
                                                         headers={"X-Forwarded-Proto": "https, http"}).headers


def test_forwarded_host_is_not_believed(session_factory):
    # nginx passes a client's X-Forwarded-Host through untouched; Socket.IO's same-origin check must keep using
    # the Host header, or any page could open sockets by claiming to be the app's host.
    client = proxied_app(session_factory, 1).test_client()
    res = client.get("/socket.io/?EIO=4&transport=polling",
                     headers={"Origin": "http://evil.test", "X-Forwarded-Host": "evil.test"})
    assert res.status_code == 400
    ok = client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://localhost"})
    assert ok.status_code == 200


@pytest.mark.parametrize("path", ["/", "/index.html", "/assets/index-abc123.js", "/pelanggan/1"])
def test_the_pwa_served_by_the_app_carries_the_security_headers(session_factory, tmp_path, path):
    # `make run`: Flask serves frontend/dist itself, shell and hashed assets alike.
    (tmp_path / "index.html").write_text("<!doctype html><title>FiberNode</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1);")
    client = proxied_app(session_factory, 0, frontend_dist=tmp_path).test_client()
    res = client.get(path)
    assert res.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert res.headers[name] == value, name
    assert res.headers["Content-Security-Policy"] == CSP_APP
