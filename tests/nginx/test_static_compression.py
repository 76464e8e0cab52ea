"""nginx sends the build's precompressed copies (gzip_static) with Vary, and the cache headers of each kind of file.

The site root is a made-up build precompressed by the real build step (frontend/scripts/compress.mjs)."""

import gzip
import subprocess

import pytest

from shared.config import REPO_ROOT

CLIENT = "127.0.0.2"
SCRIPT = "export const greeting = 'FiberNode';\n" * 300
SHELL = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head>' + (
    "<!-- padding -->" * 200) + "<body><div id=\"root\"></div></body></html>\n"
SW = "self.addEventListener('fetch', () => {});\n" * 60


@pytest.fixture(scope="module")
def site_root(tmp_path_factory):
    """Overrides conftest's build for this module's nginx: files big enough to be precompressed."""
    root = tmp_path_factory.mktemp("dist-compressed")
    (root / "assets").mkdir()
    (root / "index.html").write_text(SHELL)
    (root / "assets" / "index-abc123.js").write_text(SCRIPT)
    (root / "sw.js").write_text(SW)
    subprocess.run(["node", str(REPO_ROOT / "frontend" / "scripts" / "compress.mjs"), str(root)], check=True,
                   capture_output=True)
    assert (root / "assets" / "index-abc123.js.gz").is_file()
    return root


@pytest.mark.parametrize(("path", "file", "original", "cache"), [
    ("/assets/index-abc123.js", "assets/index-abc123.js", SCRIPT, "public, max-age=31536000, immutable"),
    ("/sw.js", "sw.js", SW, "no-cache"),
    ("/index.html", "index.html", SHELL, "no-cache"),
    ("/pelanggan/123", "index.html", SHELL, "no-cache"),  # a client-side route: the shell
])
def test_nginx_sends_the_gzip_copy_with_its_cache_header(via_nginx, site_root, path, file, original, cache):
    res = via_nginx(CLIENT, "GET", path, headers={"Accept-Encoding": "gzip, br"})
    assert res.status == 200
    assert res.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in res.headers["Vary"]
    assert res.headers.get_all("Cache-Control") == [cache]
    assert gzip.decompress(res.body).decode() == original
    # The build's own copy, byte for byte: not compressed again on the fly (`gzip on` alone would also say gzip).
    assert res.body == (site_root / f"{file}.gz").read_bytes()


def test_nginx_sends_the_original_to_a_client_without_gzip(via_nginx):
    res = via_nginx(CLIENT, "GET", "/assets/index-abc123.js")
    assert res.status == 200
    assert "Content-Encoding" not in res.headers
    assert res.body.decode() == SCRIPT
    assert res.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
