"""The production pair: nginx (the shipped config) in front of gunicorn run with the Dockerfile's own command.

gunicorn has forwarded-header handling of its own (forwarded_allow_ips, secure_scheme_headers); these tests show
it neither hides the client from the app nor lets a client claim https past nginx.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from shared.config import REPO_ROOT
from tests.nginx.conftest import free_port, running_nginx, sender, stop, wait_for_port
from tests.scripts.test_compose import services, with_defaults

DOCKERFILE = REPO_ROOT / "compose" / "python.Dockerfile"
CLIENT_A, CLIENT_B = "127.0.0.2", "127.0.0.3"


def gunicorn_args(port: int) -> list[str]:
    """The Dockerfile's CMD (api/gunicorn_conf.py) with compose's worker count, this machine's port, a few threads.

    Command-line options win over the config file's, so the rest (gthread, no access log, forwarded_allow_ips)
    is the config's own.
    """
    cmd = re.search(r'^CMD \["sh", "-c", "exec (gunicorn [^"]+)"\]$', DOCKERFILE.read_text(), re.MULTILINE)
    assert cmd, f"{DOCKERFILE}: CMD is no longer `sh -c \"exec gunicorn ...\"`: update tests/nginx/test_gunicorn.py"
    line = cmd.group(1).replace("${LOG_LEVEL:-info}", "info")
    assert "-c python:api.gunicorn_conf" in line, f"{DOCKERFILE}: the gunicorn command no longer reads its config"
    workers = with_defaults(services()["api"]["environment"]["GUNICORN_WORKERS"])  # as docker-compose.yml's api
    return [str(Path(sys.executable).parent / "gunicorn"), *shlex.split(line)[1:-1], "--workers", workers,
            "--threads", "4", "--bind", f"127.0.0.1:{port}", shlex.split(line)[-1]]


@pytest.fixture(scope="module")
def gunicorn_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"


@pytest.fixture(scope="module")
def gunicorn_api(engine, gunicorn_log):
    port = free_port()
    log = gunicorn_log
    hops = with_defaults(services()["api"]["environment"]["TRUSTED_PROXY_HOPS"])  # as docker-compose.yml's api
    # LOG_FORMAT=json: production's log lines (APP_ENV=production would refuse the test's JWT secret).
    env = {**os.environ, "TRUSTED_PROXY_HOPS": hops, "APP_ENV": "test", "LOG_FORMAT": "json"}
    with log.open("wb") as out:
        proc = subprocess.Popen(gunicorn_args(port), cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, proc, timeout=60)
        except RuntimeError as exc:
            raise RuntimeError(f"gunicorn did not start: {exc}\n{log.read_text()}") from None
        yield port
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def gunicorn_nginx(nginx_binary, gunicorn_api, flower_stub, site_root, tmp_path_factory):
    with running_nginx(nginx_binary, tmp_path_factory.mktemp("nginx-gunicorn"), api_port=gunicorn_api,
                       flower_port=flower_stub.port, root=site_root) as server:
        yield server


@pytest.fixture
def via_gunicorn(gunicorn_nginx):
    return sender(gunicorn_nginx.port)


def test_gunicorn_keys_the_limiter_on_each_client(via_gunicorn):
    for remaining in ("59", "58", "57"):
        res = via_gunicorn(CLIENT_A, "GET", "/api/receipt/tidak-ada")
        assert res.status == 404
        assert res.headers["X-RateLimit-Remaining"] == remaining
    assert via_gunicorn(CLIENT_B, "GET", "/api/receipt/tidak-ada").headers["X-RateLimit-Remaining"] == "59"


@pytest.mark.parametrize("claims", [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"},
                                    {"X-Forwarded-Protocol": "ssl"}])
def test_a_client_cannot_claim_https_through_nginx_and_gunicorn(via_gunicorn, claims):
    res = via_gunicorn(CLIENT_A, "GET", "/api/health", headers=claims)
    assert res.status == 200, res.body
    assert "Strict-Transport-Security" not in res.headers


def test_each_request_is_logged_once_as_json_with_nginxs_request_id_and_the_client(via_gunicorn, gunicorn_log):
    res = via_gunicorn(CLIENT_B, "GET", "/api/health?token=rahasia-di-url", headers={"X-Request-ID": "dipilih-klien"})
    assert res.status == 200, res.body
    request_id = res.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, not the client's
    lines = [line for line in gunicorn_log.read_text().splitlines() if request_id in line]
    assert len(lines) == 1, lines  # the app's access line only: gunicorn's own access log is off
    access = json.loads(lines[0])
    assert access["logger"] == "api.access" and access["path"] == "/api/health" and access["status"] == 200
    assert access["client_ip"] == CLIENT_B  # the client, not nginx
    assert "rahasia-di-url" not in gunicorn_log.read_text()


def test_socketio_websockets_upgrade_through_nginx(gunicorn_nginx):
    # Upgrade/Connection are set at nginx's server level now (with the forwarding headers); /socket.io/ inherits them.
    with socket.create_connection(("127.0.0.1", gunicorn_nginx.port), timeout=10,
                                  source_address=(CLIENT_A, 0)) as sock:
        sock.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: fibernode.test\r\n"
                     b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        status = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status == b"HTTP/1.1 101 Switching Protocols"
