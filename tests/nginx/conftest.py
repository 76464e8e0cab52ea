"""A real nginx running compose/nginx/default.conf in front of a live API, for what only a proxy shows.

The site config is the shipped file with its upstreams, root, listen address and snippet path substituted, so
these tests fail when the shipped config does. nginx runs as the current user from a temporary prefix (`-p`),
with every log, pid and temp path inside it. The API is the real app (TRUSTED_PROXY_HOPS=1, as compose runs
it) under werkzeug's server in a thread, on the test database: each test's writes are rolled back as usual.
Clients are told apart by their loopback source address (127.0.0.2, 127.0.0.3 ...: all of 127/8 is loopback).
"""

from __future__ import annotations

import contextlib
import grp
import http.client
import http.server
import json
import os
import pwd
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from shared.config import REPO_ROOT, get_settings

NGINX = Path(os.environ.get("NGINX_PATH", "/usr/sbin/nginx"))
SITE_CONF = REPO_ROOT / "compose" / "nginx" / "default.conf"
HEADERS_SNIPPET = REPO_ROOT / "compose" / "nginx" / "security-headers.conf"
SNIPPET_IN_IMAGE = "/etc/nginx/snippets/fibernode-security-headers.conf"  # where frontend.Dockerfile puts it
RESOLVER_TEMPLATE = REPO_ROOT / "compose" / "nginx" / "resolver.conf.template"
DEFAULT_RESOLVER = "127.0.0.11"  # frontend.Dockerfile's ENV NGINX_RESOLVER


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_resolver(resolver: str = DEFAULT_RESOLVER) -> str:
    """conf.d/00-resolver.conf as the image's entrypoint renders it (envsubst of NGINX_RESOLVER only)."""
    text = RESOLVER_TEMPLATE.read_text()
    assert "${NGINX_RESOLVER}" in text
    return text.replace("${NGINX_RESOLVER}", resolver)


def render_site(*, listen_port: int, api_port: int | list[int], flower_port: int, root: Path) -> str:
    """compose/nginx/default.conf with the compose-only names replaced by this machine's.

    `api_port` may be several: one `server` line each, as `--scale api=N` gives the resolved group N addresses.
    The `resolve` flag goes (nginx < 1.27.3 has none, and a literal address needs none).
    """
    text = SITE_CONF.read_text()
    ports = api_port if isinstance(api_port, list) else [api_port]
    substitutions = {
        "listen 80;": f"listen 127.0.0.1:{listen_port};",
        "server api:8000 resolve;": " ".join(f"server 127.0.0.1:{port};" for port in ports),
        "set $flower_upstream http://flower:5555;": f"set $flower_upstream http://127.0.0.1:{flower_port};",
        "root /usr/share/nginx/html;": f"root {root};",
        f"include {SNIPPET_IN_IMAGE};": f"include {HEADERS_SNIPPET};",
    }
    for old, new in substitutions.items():
        assert old in text, f"{SITE_CONF} no longer contains {old!r}: update tests/nginx/conftest.py"
        text = text.replace(old, new)
    return text


def main_conf(prefix: Path, site: Path, resolver: str = DEFAULT_RESOLVER) -> str:
    """What the nginx image's own nginx.conf provides around conf.d/, with every path inside `prefix`."""
    # As root nginx would run its workers as nobody, who cannot read a temporary directory; as anyone else the
    # user directive is ignored (and warned about), so it is given only to root.
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").is_file() else ""
    temp = "\n".join(f"    {name}_temp_path {prefix / name};" for name in (
        "client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}
worker_processes 1;
error_log {prefix / 'error.log'} info;
events {{ worker_connections 128; }}
http {{
    {mime}
    default_type application/octet-stream;
    access_log {prefix / 'access.log'};
{temp}
    {render_resolver(resolver)}
    include {site};
}}
"""


@dataclass
class Nginx:
    port: int
    prefix: Path

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text() if path.exists() else ""


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FlowerStub:
    """Stands in for Flower: answers every path with 200 and remembers which it was asked for."""

    port: int
    paths: list[str] = field(default_factory=list)


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port} after {timeout} s")


@pytest.fixture(scope="session")
def nginx_binary() -> Path:
    if NGINX.is_file() and os.access(NGINX, os.X_OK):
        return NGINX
    if os.environ.get("CI") == "true":
        pytest.fail(f"{NGINX} is missing and CI=true: .ci/run installs Debian's nginx for tests/nginx/")
    pytest.skip(f"{NGINX} is not installed (apt-get install nginx); tests/nginx/ needs a real nginx")


@pytest.fixture(scope="module")
def proxied_app(engine):
    """The API as compose runs it (one trusted proxy), recording the environ each Socket.IO origin check sees."""
    import api.app as api_app

    environs: list[dict] = []
    original = api_app._socket_origin_check

    def recording(*configured):
        check = original(*configured)

        def wrapped(origin, environ):
            environs.append({key: environ.get(key) for key in ("REMOTE_ADDR", "HTTP_HOST", "wsgi.url_scheme")})
            return check(origin, environ)

        return wrapped

    settings = get_settings().model_copy(update={"trusted_proxy_hops": 1})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_app, "_socket_origin_check", recording)
        app = api_app.create_app(settings)
    app.extensions["test_socket_environs"] = environs
    return app


@pytest.fixture(scope="module")
def live_api(proxied_app):
    # One request at a time: the test's rolled-back connection is shared with the server's thread.
    server = make_server("127.0.0.1", 0, proxied_app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def flower_stub():
    stub = FlowerStub(port=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            stub.paths.append(self.path)
            body = b"flower stub\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site_root(tmp_path_factory) -> Path:
    """A built PWA's shape: the shell, a hashed asset, the service worker."""
    root = tmp_path_factory.mktemp("dist")
    (root / "index.html").write_text('<!doctype html><html><head><script type="module" src="/assets/index-abc123.js">'
                                     "</script></head><body><div id=\"root\"></div></body></html>\n")
    (root / "assets").mkdir()
    (root / "assets" / "index-abc123.js").write_text("console.log('fibernode');\n")
    (root / "sw.js").write_text("self.addEventListener('fetch', () => {});\n")
    return root


@contextlib.contextmanager
def running_nginx(binary: Path, prefix: Path, *, api_port: int | list[int], flower_port: int, root: Path):
    """The shipped site config in a real nginx, in front of `api_port`, until the block ends."""
    port = free_port()
    site = prefix / "default.conf"
    site.write_text(render_site(listen_port=port, api_port=api_port, flower_port=flower_port, root=root))
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, site))
    args = [str(binary), "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(conf),
            "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, proc)
        except RuntimeError as exc:
            output = proc.stdout.read().decode() if proc.poll() is not None else ""
            raise RuntimeError(f"nginx did not start: {exc}\n{output}\n{(prefix / 'error.log').read_text()}") from None
        yield Nginx(port=port, prefix=prefix)
    finally:
        stop(proc)
        proc.stdout.close()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def nginx(nginx_binary, live_api, flower_stub, site_root, tmp_path_factory):
    with running_nginx(nginx_binary, tmp_path_factory.mktemp("nginx"), api_port=live_api,
                       flower_port=flower_stub.port, root=site_root) as server:
        yield server


def sender(port: int):
    """`send(client_ip, method, path, json_body=..., headers=...)`: one request to `port` from that source address."""

    def send(client_ip: str, method: str, path: str, *, json_body=None, headers: dict | None = None) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client_ip, 0))
        try:
            body = None if json_body is None else json.dumps(json_body)
            all_headers = {"Host": "fibernode.test", **({"Content-Type": "application/json"} if body else {}),
                           **(headers or {})}
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    return send


@pytest.fixture
def via_nginx(nginx, proxied_app, session_factory):
    """One request through nginx to the live API, from a given loopback address (see `sender`)."""
    proxied_app.extensions["db_sessionmaker"] = session_factory
    proxied_app.extensions["test_socket_environs"].clear()
    return sender(nginx.port)
