"""Issuance and renewal end to end, offline: certbot against Debian's pebble (an ACME test server), real HTTP-01.

What compose runs, on loopback: compose/certbot/run.sh (the certbot service's loop) asks pebble for a certificate
for fibernode.test; pebble resolves the name through pebble-challtestsrv's DNS (every A query: 127.0.0.1) and
fetches the challenge from the real nginx running compose/nginx/default.conf on its httpPort, which serves the
webroot certbot wrote to. compose/nginx/tls-watch.sh then renders the shipped tls.conf.template, nginx (HUP, as
`nginx -s reload`) serves https with the certificate and redirects http, a forced renewal still validates over
http through that redirect, and the renewed certificate is what nginx serves after the next reload. No
PEBBLE_VA_ALWAYS_VALID: a challenge nginx did not serve fails the test.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from cryptography import x509

from shared.config import REPO_ROOT
from tests.nginx.conftest import main_conf, render_site, wait_for_port
from tests.tls.certs import write_self_signed

DOMAIN = "fibernode.test"
NGINX = Path(os.environ.get("NGINX_PATH", "/usr/sbin/nginx"))
TOOLS = {"pebble": "pebble", "pebble-challtestsrv": "pebble", "certbot": "certbot", "envsubst": "gettext-base"}
RUN_SH = REPO_ROOT / "compose" / "certbot" / "run.sh"
TLS_WATCH = REPO_ROOT / "compose" / "nginx" / "tls-watch.sh"
TLS_TEMPLATE = REPO_ROOT / "compose" / "nginx" / "tls.conf.template"
TLS_INCLUDE = "include /etc/nginx/fibernode-tls/*.conf;"
ACME_ROOT = "root /var/www/acme;"


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in TOOLS}
    missing = [f"{name} ({TOOLS[name]})" for name, path in found.items() if path is None]
    if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
        missing.append(f"{NGINX} (nginx)")
    if missing:
        message = "tests/tls/test_acme.py needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: .ci/run installs them")
        pytest.skip(f"{message}: apt-get install pebble certbot nginx")
    return found


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: all bound at once, so the kernel cannot hand out one of them twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def nginx_version() -> tuple[int, ...]:
    out = subprocess.run([NGINX, "-v"], check=False, capture_output=True, text=True).stderr
    return tuple(int(part) for part in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out).groups())


class Stack:
    """pebble, its DNS, nginx and the certbot service's directories, all under one temporary directory."""

    def __init__(self, tmp: Path, tools: dict[str, str]):
        self.tmp, self.tools = tmp, tools
        self.procs: list[subprocess.Popen] = []
        (self.http_port, self.https_port, self.acme_port, self.dns_port, self.chall_port, self.acme_admin_port,
         self.acme_tls_port, self.api_port, self.flower_port) = free_ports(9)
        self.webroot = tmp / "acme"
        self.letsencrypt = tmp / "letsencrypt"
        self.live = self.letsencrypt / "live"
        self.tls_dir = tmp / "nginx-tls"
        self.pebble_ca = tmp / "pebble" / "cert.pem"

    def start(self, name: str, args: list, env: dict | None = None, port: int | None = None) -> subprocess.Popen:
        with open(self.tmp / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
            proc = subprocess.Popen([str(a) for a in args], stdout=log, stderr=subprocess.STDOUT,
                                    env={**os.environ, **(env or {})})
        self.procs.append(proc)
        if port:
            wait_for_port(port, proc)
        return proc

    def start_pebble(self) -> None:
        # pebble's own https listener; certbot trusts it through REQUESTS_CA_BUNDLE (issuer = subject).
        write_self_signed(self.tmp / "pebble", names=["127.0.0.1", "localhost"], issuer="127.0.0.1",
                          cert_name="cert.pem", key_name="key.pem", not_after=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
        dns_port = self.dns_port
        # Its management port answers once it runs (the DNS is UDP): waited for, so pebble's first lookup works.
        self.start("challtestsrv", [self.tools["pebble-challtestsrv"], "-dns01", f"127.0.0.1:{dns_port}",
                                    "-http01", "", "-https01", "", "-tlsalpn01", "",
                                    "-management", f"127.0.0.1:{self.chall_port}",
                                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""], port=self.chall_port)
        config = self.tmp / "pebble" / "config.json"
        config.write_text(json.dumps({"pebble": {
            "listenAddress": f"127.0.0.1:{self.acme_port}",
            "managementListenAddress": f"127.0.0.1:{self.acme_admin_port}",
            "certificate": str(self.tmp / "pebble" / "cert.pem"),
            "privateKey": str(self.tmp / "pebble" / "key.pem"),
            "httpPort": self.http_port,  # HTTP-01 is validated against our nginx
            "tlsPort": self.acme_tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }}))
        # No sleeps before validation, no bad nonces thrown in: fast, deterministic. Authorizations not reused,
        # so the renewal is validated over http again.
        env = {"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"}
        self.start("pebble", [self.tools["pebble"], "-config", config, "-dnsserver", f"127.0.0.1:{dns_port}"],
                   env=env, port=self.acme_port)

    def start_nginx(self) -> None:
        html = self.tmp / "html"
        html.mkdir()
        (html / "index.html").write_text("<!doctype html><title>FiberNode</title>\n")
        self.webroot.mkdir()
        self.tls_dir.mkdir()
        site = render_site(listen_port=self.http_port, api_port=self.api_port,
                           flower_port=self.flower_port, root=html)
        for old, new in {TLS_INCLUDE: f"include {self.tls_dir}/*.conf;", ACME_ROOT: f"root {self.webroot};"}.items():
            assert old in site, f"compose/nginx/default.conf no longer contains {old!r}"
            site = site.replace(old, new)
        prefix = self.tmp / "nginx"
        prefix.mkdir()
        (prefix / "site.conf").write_text(site)
        (prefix / "nginx.conf").write_text(main_conf(prefix, prefix / "site.conf"))
        self.nginx = self.start("nginx", [NGINX, "-p", prefix, "-c", prefix / "nginx.conf", "-g",
                                          f"daemon off; pid {prefix / 'nginx.pid'};"], port=self.http_port)

    def certbot(self, **env: str) -> None:
        """One round of the certbot service's loop (RUN_ONCE=1), with certbot's paths in the temporary dir."""
        args = (f"--server https://127.0.0.1:{self.acme_port}/dir --config-dir {self.letsencrypt} "
                f"--work-dir {self.tmp / 'certbot-work'} --logs-dir {self.tmp / 'certbot-logs'}")
        result = subprocess.run(["sh", RUN_SH], check=False, capture_output=True, text=True, timeout=60, env={
            **os.environ, "SSL_METHOD": "letsencrypt", "DOMAIN": DOMAIN, "ACME_EMAIL": "noc@fibernode.test",
            "ACME_WEBROOT": str(self.webroot), "CERTBOT_ARGS": args, "RUN_ONCE": "1",
            "HEALTH_FILE": str(self.tmp / "certbot.ok"), "REQUESTS_CA_BUNDLE": str(self.pebble_ca),
            "PATH": f"{Path(self.tools['certbot']).parent}:{os.environ['PATH']}", **env})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "could not obtain" not in result.stderr and "renew failed" not in result.stderr, result.stderr

    def issued_serial(self) -> int:
        pem = (self.live / DOMAIN / "fullchain.pem").read_bytes()
        return x509.load_pem_x509_certificates(pem)[0].serial_number

    def enable_tls(self) -> None:
        """tls-watch.sh renders the include from the shipped template; then nginx reloads (HUP)."""
        rendered = self.tmp / "tls-rendered"
        result = subprocess.run(["sh", TLS_WATCH], check=False, capture_output=True, text=True, timeout=10, env={
            **os.environ, "SSL_METHOD": "letsencrypt", "DOMAIN": DOMAIN, "TLS_WATCH": "0",
            "TLS_DIR": str(rendered), "TLS_TEMPLATE": str(TLS_TEMPLATE), "LETSENCRYPT_LIVE": str(self.live)})
        assert result.returncode == 0, result.stderr
        text = (rendered / "tls.conf").read_text()
        substitutions = {"listen 443 ssl;": f"listen 127.0.0.1:{self.https_port} ssl;",
                         "/etc/letsencrypt/live/": f"{self.live}/"}
        if nginx_version() < (1, 25, 1):
            substitutions["http2 on;"] = ""  # Debian bookworm's 1.22 has only `listen ... http2`
        for old, new in substitutions.items():
            assert old in text, f"tls.conf.template no longer renders {old!r}"
            text = text.replace(old, new)
        (self.tls_dir / "tls.conf").write_text(text)
        self.reload()
        wait_for_port(self.https_port, self.nginx)

    def reload(self) -> None:
        before = self.served_serial() if self.https_listening() else None
        old_workers = psutil.Process(self.nginx.pid).children()
        self.nginx.send_signal(signal.SIGHUP)
        # New workers take over within a moment, but until the old ones have exited they may still accept a
        # connection on the port both configurations listen on (80) and answer it with the old configuration.
        for _ in range(200):
            if (self.https_listening() and self.served_serial() != before
                    and not any(worker.is_running() and worker.status() != psutil.STATUS_ZOMBIE
                                for worker in old_workers)):
                return
            time.sleep(0.05)
        raise AssertionError((self.tmp / "nginx" / "error.log").read_text())

    def https_listening(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.https_port)) == 0

    def https(self, path: str) -> tuple[http.client.HTTPResponse, int]:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # pebble's CA: not worth trusting here
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=context, timeout=5)
        conn.request("GET", path, headers={"Host": DOMAIN})
        serial = x509.load_der_x509_certificate(conn.sock.getpeercert(binary_form=True)).serial_number
        response = conn.getresponse()
        response.read()
        conn.close()
        return response, serial

    def served_serial(self) -> int:
        return self.https("/nginx-health")[1]

    def http(self, path: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=5)
        conn.request("GET", path, headers={"Host": DOMAIN})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def stack(tools, tmp_path):
    stack = Stack(tmp_path, tools)
    try:
        stack.start_pebble()
        stack.start_nginx()
        yield stack
    finally:
        stack.stop()


def test_certbot_obtains_and_renews_over_http01_and_nginx_serves_https(stack, bound_app, superadmin_client):
    # Before any certificate: plain http, no redirect (HTTP-01 needs port 80), and no https listener.
    assert stack.http("/").status == 200
    assert not stack.https_listening()

    stack.certbot()
    first = stack.issued_serial()
    assert (stack.tmp / "certbot.ok").exists()

    stack.enable_tls()
    response, served = stack.https("/")
    assert response.status == 200 and served == first
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
    # http now goes to https, but for the ACME challenge and nginx's own healthcheck.
    redirect = stack.http("/pelanggan?q=1")
    assert (redirect.status, redirect.getheader("Location")) == (301, f"https://{DOMAIN}/pelanggan?q=1")
    assert stack.http("/nginx-health").status == 200
    assert stack.http("/.well-known/acme-challenge/missing").status == 404
    assert stack.http("/").getheader("Strict-Transport-Security") is None

    # A renewal validates over http through the redirecting server; nginx serves the new certificate on reload.
    stack.certbot(RENEW_ARGS="--force-renewal --no-random-sleep-on-renew")
    renewed = stack.issued_serial()
    assert renewed != first
    stack.enable_tls()
    assert stack.served_serial() == renewed

    # What the settings page shows: GET /api/settings/certificate reads the same file (compose: CERTS_DIR is
    # /etc/letsencrypt/live of the certs volume; the stored `domain` is empty, so the deployment's DOMAIN).
    original = bound_app.config["SETTINGS"]
    bound_app.config["SETTINGS"] = original.model_copy(update={"certs_dir": stack.live, "tls_domain": DOMAIN,
                                                               "tls_ssl_method": "letsencrypt"})
    try:
        body = superadmin_client.get("/api/settings/certificate").json
    finally:
        bound_app.config["SETTINGS"] = original
    assert (body["domain"], body["state"], body["serial"]) == (DOMAIN, "valid", format(renewed, "x"))
    assert "Pebble" in body["issuer"]
    assert dt.datetime.fromisoformat(body["notAfter"]) > dt.datetime.now(dt.UTC) + dt.timedelta(days=14)
