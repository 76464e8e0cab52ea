"""Through the shipped nginx config: per-client limits and logs, headers on nginx's own pages, Flower's metrics.

Before TRUSTED_PROXY_HOPS every request reached the API from nginx's address, so one client's failed logins or
receipt look-ups throttled everyone and the logs named nginx; /socket.io/ and /flower/ lost the forwarded
headers (a location's own proxy_set_header drops the server's); nginx's pages carried none of the API's
security headers; /flower/metrics answered without Flower's login.
"""

import re

import pytest
from sqlalchemy import select

from api.app import CSP_APP, HSTS, SECURITY_HEADERS
from shared.config import get_settings
from shared.models import ActivityLog, LoginAttempt
from tests.nginx.conftest import HEADERS_SNIPPET

CLIENT_A, CLIENT_B = "127.0.0.2", "127.0.0.3"
NGINX_ADDR = "127.0.0.1"  # where nginx connects to the API from


def failed_login(via_nginx, client_ip: str, username: str, **headers):
    return via_nginx(client_ip, "POST", "/api/auth/login", json_body={"username": username, "password": "salah"},
                     headers=headers)


# --- client addresses ----------------------------------------------------------------------------------------

def test_failed_logins_throttle_only_the_client_that_made_them(via_nginx, db, monkeypatch):
    monkeypatch.setattr(get_settings(), "login_ip_max_failures", 3)  # LOGIN_IP_MAX_FAILURES, 50 by default
    for n in range(3):
        assert failed_login(via_nginx, CLIENT_A, f"tebakan{n}").status == 401
    # A's own X-Forwarded-For naming B does not help: nginx appends the address it saw, the API trusts that one.
    throttled = failed_login(via_nginx, CLIENT_A, "tebakan9", **{"X-Forwarded-For": CLIENT_B})
    assert throttled.status == 429
    assert throttled.json()["error"]["code"] == "rate_limited"
    other = failed_login(via_nginx, CLIENT_B, "tebakan0")
    assert other.status == 401, other.body
    assert other.json()["error"]["code"] == "invalid_credentials"

    attempts = db.execute(select(LoginAttempt.username, LoginAttempt.ip_address)
                          .where(LoginAttempt.username.like("tebakan%"))).all()
    # The throttled attempt is refused before it is recorded.
    assert sorted(attempts) == sorted([(f"tebakan{n}", CLIENT_A) for n in range(3)] + [("tebakan0", CLIENT_B)])


def test_the_receipt_limit_counts_each_client_on_its_own(via_nginx):
    for _ in range(60):  # 60 per minute per client
        assert via_nginx(CLIENT_A, "GET", "/api/receipt/tidak-ada").status == 404
    assert via_nginx(CLIENT_A, "GET", "/api/receipt/tidak-ada").status == 429
    fresh = via_nginx(CLIENT_B, "GET", "/api/receipt/tidak-ada")
    assert fresh.status == 404
    assert fresh.headers["X-RateLimit-Remaining"] == "59"


def test_a_login_is_logged_with_the_clients_address(via_nginx, db, make_user):
    user = make_user(password="Rahasia123!")
    res = via_nginx(CLIENT_B, "POST", "/api/auth/login",
                    json_body={"username": user.username, "password": "Rahasia123!"})
    assert res.status == 200, res.body
    logged = db.scalars(select(ActivityLog.ip_address).where(ActivityLog.user_id == user.id,
                                                             ActivityLog.action == "auth.login")).all()
    assert logged == [CLIENT_B]
    assert db.scalar(select(LoginAttempt.ip_address).where(LoginAttempt.username == user.username)) == CLIENT_B


def test_socketio_sees_the_client_and_its_host(via_nginx, proxied_app):
    # The handshake's origin check compares the Origin with the page's own scheme://Host, so the Host header
    # must survive /socket.io/'s own proxy settings; the address is the client's, not nginx's.
    res = via_nginx(CLIENT_A, "GET", "/socket.io/?EIO=4&transport=polling",
                    headers={"Origin": "http://fibernode.test"})
    assert res.status == 200, res.body
    assert res.body.startswith(b"0{")  # the Engine.IO open packet
    seen = proxied_app.extensions["test_socket_environs"]
    assert seen and all(environ == {"REMOTE_ADDR": CLIENT_A, "HTTP_HOST": "fibernode.test",
                                    "wsgi.url_scheme": "http"} for environ in seen), seen


def test_a_client_cannot_claim_https_past_nginx(via_nginx):
    # nginx appends its own scheme to X-Forwarded-Proto; with one trusted hop the API believes nginx, not the client.
    res = via_nginx(CLIENT_A, "GET", "/api/health", headers={"X-Forwarded-Proto": "https"})
    assert res.status == 200
    assert "Strict-Transport-Security" not in res.headers


def test_behind_a_tls_terminator_two_hops_take_its_client_and_https(via_nginx, proxied_app, db, monkeypatch):
    # CLIENT_A plays a TLS terminator in front of nginx (TRUSTED_PROXY_HOPS=2): nginx appends to both headers.
    monkeypatch.setattr(proxied_app.wsgi_app, "x_for", 2)
    monkeypatch.setattr(proxied_app.wsgi_app, "x_proto", 2)
    res = failed_login(via_nginx, CLIENT_A, "lewat-tls", **{"X-Forwarded-For": "198.51.100.7",
                                                             "X-Forwarded-Proto": "https"})
    assert res.status == 401
    assert res.headers["Strict-Transport-Security"] == HSTS
    assert db.scalar(select(LoginAttempt.ip_address).where(LoginAttempt.username == "lewat-tls")) == "198.51.100.7"


# --- headers on the pages nginx serves -----------------------------------------------------------------------

PAGES = ["/", "/index.html", "/pelanggan/123", "/assets/index-abc123.js", "/sw.js", "/assets/tidak-ada.js"]


@pytest.mark.parametrize("path", PAGES)
def test_nginx_pages_carry_the_apps_security_headers(via_nginx, path):
    res = via_nginx(CLIENT_A, "GET", path)
    assert res.status == (404 if "tidak-ada" in path else 200)
    for name, value in SECURITY_HEADERS.items():
        assert res.headers.get_all(name) == [value], name
    assert res.headers.get_all("Content-Security-Policy") == [CSP_APP]
    assert "Strict-Transport-Security" not in res.headers  # plain http: meaningless, browsers ignore it
    if res.status == 200:  # each location's own Cache-Control is kept beside them
        expected = "public, max-age=31536000, immutable" if path.startswith("/assets/") else "no-cache"
        assert res.headers.get_all("Cache-Control") == [expected]  # one header (not expires + add_header)


@pytest.mark.parametrize("path", ["/", "/assets/index-abc123.js"])
def test_nginx_pages_send_hsts_when_the_request_came_over_https(via_nginx, path):
    # A TLS terminator in front of nginx says so in X-Forwarded-Proto.
    res = via_nginx(CLIENT_A, "GET", path, headers={"X-Forwarded-Proto": "https"})
    assert res.headers.get_all("Strict-Transport-Security") == [HSTS]


def test_api_responses_through_nginx_carry_each_header_once(via_nginx):
    res = via_nginx(CLIENT_A, "GET", "/api/health")
    for name in (*SECURITY_HEADERS, "Content-Security-Policy"):
        assert len(res.headers.get_all(name) or []) == 1, name


def test_the_nginx_snippet_sends_exactly_the_apps_headers():
    """One policy: compose/nginx/security-headers.conf must say what api/app.py says (no nginx needed)."""
    lines = re.findall(r'^add_header\s+(\S+)\s+"([^"]*)"\s+always;', HEADERS_SNIPPET.read_text(), re.MULTILINE)
    sent = dict(lines)
    assert sent == {**SECURITY_HEADERS, "Content-Security-Policy": CSP_APP}
    site = HEADERS_SNIPPET.with_name("default.conf").read_text()
    assert f'"~*https" "{HSTS}";' in site


# --- Flower ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/flower/metrics", "/flower//metrics", "/flower/%6Detrics",
                                  "/flower/./metrics", "/flower/metrics?format=text"])
def test_flowers_unauthenticated_metrics_are_not_served(via_nginx, flower_stub, path):
    flower_stub.paths.clear()
    res = via_nginx(CLIENT_A, "GET", path)
    assert res.status == 404
    assert flower_stub.paths == []


def test_the_flower_ui_is_still_proxied(via_nginx, flower_stub):
    flower_stub.paths.clear()
    res = via_nginx(CLIENT_A, "GET", "/flower/workers")
    assert res.status == 200
    assert res.body == b"flower stub\n"
    assert flower_stub.paths == ["/flower/workers"]


def test_flower_gets_the_uri_as_sent_through_its_variable_proxy_pass(via_nginx, flower_stub):
    # proxy_pass $flower_upstream has no URI part, so the request's path and arguments go on unchanged (with one,
    # every request would be sent to that fixed URI).
    flower_stub.paths.clear()
    assert via_nginx(CLIENT_A, "GET", "/flower/tasks?state=FAILURE&limit=5").status == 200
    assert via_nginx(CLIENT_A, "GET", "/flower/api/task/info/a%2Fb").status == 200
    assert flower_stub.paths == ["/flower/tasks?state=FAILURE&limit=5", "/flower/api/task/info/a%2Fb"]


def test_api_paths_and_arguments_reach_the_api_unchanged(via_nginx):
    res = via_nginx(CLIENT_A, "GET", "/api/health?verbose=1")
    assert res.status == 200 and res.json()["status"] in {"ok", "degraded", "down"}
