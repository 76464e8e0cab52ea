"""The built PWA is sent precompressed by the Flask app (what `make run` serves): frontend/scripts/compress.mjs
writes NAME.br and NAME.gz at build time, and the app answers with one of them when the browser accepts it."""

import gzip
import subprocess

import pytest

from shared.config import REPO_ROOT, get_settings
from tests.api.test_redis_down import extensions_restored

FRONTEND = REPO_ROOT / "frontend"
SCRIPT = "const x = 'FiberNode';\n" * 400  # a hashed asset large enough to be worth compressing
SHELL = "<!doctype html><title>FiberNode</title>" + "<!-- padding -->" * 200
ASSET = "/assets/index-3f9a1c2b.js"


def unbrotli(data: bytes) -> bytes:
    """Brotli decoded by node's zlib (no Python brotli package in the project; node builds the PWA anyway)."""
    decode = "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    return subprocess.run(["node", "-e", decode], input=data, capture_output=True, check=True).stdout


@pytest.fixture
def built(tmp_path):
    """A made-up build, precompressed by the real build step (node scripts/compress.mjs)."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(SHELL)
    (tmp_path / "sw.js").write_text("self.addEventListener('install', () => {});\n" * 60)
    (tmp_path / "assets" / "index-3f9a1c2b.js").write_text(SCRIPT)
    (tmp_path / "assets" / "tiny-0a1b2c3d.js").write_text("console.log(1)")  # under 1 KB: left alone
    (tmp_path / "pwa-192x192.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2048))  # not text: left alone
    subprocess.run(["node", str(FRONTEND / "scripts" / "compress.mjs"), str(tmp_path)], check=True,
                   capture_output=True)
    return tmp_path


@pytest.fixture
def client(built, session_factory):
    from api.app import create_app

    with extensions_restored():
        yield create_app(get_settings().model_copy(update={"frontend_dist": built}),
                         session_factory=session_factory).test_client()


def test_the_build_step_writes_gzip_and_brotli_copies_of_text_files_only(built):
    asset = built / "assets" / "index-3f9a1c2b.js"
    assert gzip.decompress((built / "assets" / "index-3f9a1c2b.js.gz").read_bytes()) == asset.read_bytes()
    assert unbrotli((built / "assets" / "index-3f9a1c2b.js.br").read_bytes()) == asset.read_bytes()
    assert (built / "index.html.br").is_file() and (built / "sw.js.gz").is_file()
    assert not (built / "assets" / "tiny-0a1b2c3d.js.gz").exists()
    assert not (built / "pwa-192x192.png.gz").exists()


def test_brotli_when_accepted_decompresses_to_the_original(client):
    res = client.get(ASSET, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert res.status_code == 200
    assert res.headers["Content-Encoding"] == "br"
    assert res.mimetype == "text/javascript"
    assert "Accept-Encoding" in res.headers["Vary"]
    assert res.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert int(res.headers["Content-Length"]) == len(res.data) < len(SCRIPT) / 10
    assert unbrotli(res.data).decode() == SCRIPT


def test_gzip_when_brotli_is_not_accepted(client):
    res = client.get(ASSET, headers={"Accept-Encoding": "gzip"})
    assert res.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(res.data).decode() == SCRIPT
    res = client.get(ASSET, headers={"Accept-Encoding": "br;q=0, gzip;q=0.5"})
    assert res.headers["Content-Encoding"] == "gzip"


def test_the_original_without_accept_encoding_still_varying(client):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br;q=0"}):
        res = client.get(ASSET, headers=headers)
        assert "Content-Encoding" not in res.headers, headers
        assert res.data.decode() == SCRIPT
        assert "Accept-Encoding" in res.headers["Vary"]  # a shared cache must not give this to a br client


def test_the_shell_and_the_service_worker_are_compressed_and_revalidated(client):
    for url in ("/", "/login", "/customers/abc"):  # client-side routes get the shell
        res = client.get(url, headers={"Accept-Encoding": "br"})
        assert res.headers["Content-Encoding"] == "br", url
        assert res.mimetype == "text/html"
        assert res.headers["Cache-Control"] == "no-cache"
        assert unbrotli(res.data).decode() == SHELL
    res = client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    assert res.headers["Content-Encoding"] == "gzip"
    assert res.headers["Cache-Control"] == "no-cache"
    assert res.mimetype == "text/javascript"


def test_a_file_without_copies_is_sent_as_it_is(client):
    res = client.get("/assets/tiny-0a1b2c3d.js", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in res.headers
    assert res.data == b"console.log(1)"
    assert "immutable" in res.headers["Cache-Control"]
    res = client.get("/pwa-192x192.png", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in res.headers and res.mimetype == "image/png"


def test_the_copies_are_not_a_way_out_of_the_build(client, built):
    (built.parent / "secret.txt.br").write_bytes(b"not yours")
    (built.parent / "secret.txt").write_bytes(b"not yours")
    res = client.get("/../secret.txt", headers={"Accept-Encoding": "br"})
    assert b"not yours" not in res.data


def test_a_conditional_request_for_the_compressed_copy_is_answered_304(client):
    first = client.get(ASSET, headers={"Accept-Encoding": "br"})
    again = client.get(ASSET, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get(ASSET)
    assert plain.headers["ETag"] != first.headers["ETag"]  # another representation, another tag
