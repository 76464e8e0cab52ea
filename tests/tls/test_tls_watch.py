"""compose/nginx/tls-watch.sh: which SSL_METHOD and certificate files turn nginx's TLS server on."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from shared.config import REPO_ROOT
from tests.tls.certs import write_self_signed

TLS_WATCH = REPO_ROOT / "compose" / "nginx" / "tls-watch.sh"
TLS_TEMPLATE = REPO_ROOT / "compose" / "nginx" / "tls.conf.template"
DOMAIN = "wifi.fibernode.test"


@pytest.fixture(autouse=True)
def _envsubst():
    if shutil.which("envsubst") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("envsubst is missing and CI=true: .ci/run installs gettext-base")
        pytest.skip("envsubst (gettext-base) is not installed")


def run_watch(tmp: Path, method: str, domain: str = DOMAIN) -> Path:
    tls_dir = tmp / "tls"
    result = subprocess.run(["sh", TLS_WATCH], check=False, capture_output=True, text=True, timeout=10, env={
        **os.environ, "SSL_METHOD": method, "DOMAIN": domain, "TLS_WATCH": "0", "TLS_DIR": str(tls_dir),
        "TLS_TEMPLATE": str(TLS_TEMPLATE), "LETSENCRYPT_LIVE": str(tmp / "live")})
    assert result.returncode == 0, result.stderr
    return tls_dir / "tls.conf"


def with_certificate(tmp: Path) -> None:
    write_self_signed(tmp / "live" / DOMAIN, names=[DOMAIN], not_after=dt.datetime.now(dt.UTC) + dt.timedelta(days=60))


@pytest.mark.parametrize("method", ["letsencrypt", "manual"])
def test_a_certificate_for_the_domain_turns_on_443_with_its_files(tmp_path, method):
    with_certificate(tmp_path)
    conf = run_watch(tmp_path, method).read_text()
    assert "listen 443 ssl;" in conf
    assert f"ssl_certificate /etc/letsencrypt/live/{DOMAIN}/fullchain.pem;" in conf
    assert f"ssl_certificate_key /etc/letsencrypt/live/{DOMAIN}/privkey.pem;" in conf
    assert "return 301 https://$host$request_uri;" in conf  # nginx's own variables are left alone


def test_no_certificate_yet_serves_plain_http(tmp_path):
    assert not run_watch(tmp_path, "letsencrypt").exists()
    # A certificate for another name is not this domain's.
    with_certificate(tmp_path)
    assert not run_watch(tmp_path, "letsencrypt", domain="other.fibernode.test").exists()


@pytest.mark.parametrize("method", ["none", "cloudflare"])
def test_tls_upstream_or_none_never_turns_it_on(tmp_path, method):
    with_certificate(tmp_path)
    run_watch(tmp_path, "manual")
    # Switching the stack to Cloudflare removes the TLS server rendered before.
    assert not run_watch(tmp_path, method).exists()
