"""The nginx image's config loads where neither api nor flower resolves, as at `docker build` (its `nginx -t`).

A literal `proxy_pass http://flower:5555;` or `server api:8000;` is resolved when the config loads: the build's
`nginx -t` failed ("host not found in upstream") and nginx would not start while a container was down. Here no
name resolves and no resolver answers (the resolver is an address nothing listens on).
"""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest

from tests.nginx.conftest import SITE_CONF, free_port, main_conf, render_resolver, sender, stop, wait_for_port

UNREACHABLE_RESOLVER = "127.0.0.1:9"  # the discard port: nothing answers DNS there


def nginx_version(binary: Path) -> tuple[int, ...]:
    out = subprocess.run([str(binary), "-v"], capture_output=True, text=True, check=True).stderr
    return tuple(int(part) for part in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out).groups())


def image_site(binary: Path, site_text: str, root: Path, port: int = 0) -> str:
    """The image's default.conf with only what this machine must change: listen port, root, snippet path.

    nginx before 1.27.3 has no `server ... resolve`; there the api group's server becomes a documentation address
    (192.0.2.1, never resolved, never reached by `nginx -t`), and flower keeps its unresolvable name.
    """
    text = site_text.replace("listen 80;", f"listen 127.0.0.1:{port or free_port()};").replace("root /usr/share/nginx/html;", f"root {root};")
    text = text.replace("include /etc/nginx/snippets/fibernode-security-headers.conf;",
                        f"include {SITE_CONF.parent / 'security-headers.conf'};")
    if nginx_version(binary) < (1, 27, 3):
        assert "server api:8000 resolve;" in text
        text = text.replace("server api:8000 resolve;", "server 192.0.2.1:8000;")
    return text


def config_test(binary: Path, prefix: Path, site_text: str) -> subprocess.CompletedProcess:
    site = prefix / "default.conf"
    site.write_text(site_text)
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, site, resolver=UNREACHABLE_RESOLVER))
    return subprocess.run([str(binary), "-t", "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf),
                           "-g", f"pid {prefix / 'nginx.pid'};"], check=False, capture_output=True,
                          text=True, timeout=30)


@pytest.fixture(scope="module")
def unresolvable():
    for name in ("api", "flower"):
        with pytest.raises(OSError):
            socket.getaddrinfo(name, 80)


def test_the_image_config_passes_nginx_t_without_dns(nginx_binary, unresolvable, tmp_path):
    result = config_test(nginx_binary, tmp_path, image_site(nginx_binary, SITE_CONF.read_text(), tmp_path))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "127.0.0.11" in render_resolver()  # the image's default: Docker's DNS


def test_a_literal_upstream_name_would_fail_it(nginx_binary, unresolvable, tmp_path):
    # The check can fail: the config as it was (Flower's name in proxy_pass) does not load here.
    text = SITE_CONF.read_text()
    literal = text.replace("set $flower_upstream http://flower:5555;\n        proxy_pass $flower_upstream;",
                           "proxy_pass http://flower:5555;")
    assert literal != text
    result = config_test(nginx_binary, tmp_path, image_site(nginx_binary, literal, tmp_path))
    assert result.returncode != 0 and "host not found" in result.stderr


def test_nginx_starts_and_serves_while_flower_cannot_be_resolved(nginx_binary, site_root, unresolvable, tmp_path):
    # Flower down (its name unresolvable, the resolver silent): nginx starts and serves; /flower/ is a 502.
    port = free_port()
    text = image_site(nginx_binary, SITE_CONF.read_text(), site_root, port)
    (tmp_path / "default.conf").write_text(text)
    (tmp_path / "nginx.conf").write_text(main_conf(tmp_path, tmp_path / "default.conf", resolver=UNREACHABLE_RESOLVER))
    proc = subprocess.Popen([str(nginx_binary), "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c",
                             str(tmp_path / "nginx.conf"), "-g", f"daemon off; pid {tmp_path / 'nginx.pid'};"])
    try:
        wait_for_port(port, proc)
        send = sender(port)
        assert send("127.0.0.2", "GET", "/nginx-health").status == 200
        assert send("127.0.0.2", "GET", "/").status == 200
        assert send("127.0.0.2", "GET", "/flower/").status == 502
    finally:
        stop(proc)
