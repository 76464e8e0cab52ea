"""The PWA shell under the app's own CSP (`script-src 'self'`, no 'unsafe-inline'): no inline script, the pre-paint
theme script is an external classic script in <head>, and Flask serves it revalidated (its name has no hash)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shared.config import REPO_ROOT, get_settings
from tests.api.test_redis_down import extensions_restored

FRONTEND = REPO_ROOT / "frontend"
THEME_SCRIPT = "/theme-init.js"


class _Head(HTMLParser):
    """The <script> and stylesheet tags in document order, with whether each sits in <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.tags: list[tuple[str, dict[str, str | None], bool]] = []
        self.inline: list[str] = []
        self._script_open = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "script":
            self.tags.append(("script", attributes, self.in_head))
            self._script_open = "src" not in attributes
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.tags.append(("stylesheet", attributes, self.in_head))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "script":
            self._script_open = False

    def handle_data(self, data):
        if self._script_open and data.strip():
            self.inline.append(data.strip())


def parse(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


def shells() -> list[Path]:
    """The source shell always; the built one too when `make setup` has built the PWA (it always has in `make test`)."""
    built = FRONTEND / "dist" / "index.html"
    return [FRONTEND / "index.html", *([built] if built.is_file() else [])]


@pytest.mark.parametrize("shell", shells(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_shell_has_no_inline_script_for_the_csp_to_block(shell):
    head = parse(shell.read_text())
    assert head.inline == []  # each would be a CSP error in the console and, for the theme, a white flash
    assert [attrs for kind, attrs, _ in head.tags if kind == "script" and not attrs.get("src")] == []
    # No inline event handlers either (onload=...): 'unsafe-inline' would be needed for those too.
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", shell.read_text(), flags=re.IGNORECASE)


@pytest.mark.parametrize("shell", shells(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_theme_script_runs_before_first_paint(shell):
    head = parse(shell.read_text())
    scripts = [(attrs, in_head) for kind, attrs, in_head in head.tags if kind == "script"]
    theme = [(attrs, in_head) for attrs, in_head in scripts if attrs.get("src") == THEME_SCRIPT]
    assert len(theme) == 1, scripts
    attrs, in_head = theme[0]
    # Classic and synchronous: a module, defer or async script runs after the first paint.
    assert in_head and "type" not in attrs and "defer" not in attrs and "async" not in attrs
    # Before every stylesheet and the app bundle, so the page is never painted in the wrong theme.
    first = next(i for i, (_, a, _) in enumerate(head.tags) if a.get("src") == THEME_SCRIPT)
    assert all(a.get("src") == THEME_SCRIPT for _, a, _ in head.tags[:first + 1])


def test_the_theme_script_is_a_public_file_the_service_worker_precaches():
    source = FRONTEND / "public" / "theme-init.js"
    assert "fibernode:theme" in source.read_text()  # the key src/lib/theme.tsx stores
    assert "fibernode:theme" in (FRONTEND / "src" / "lib" / "theme.tsx").read_text()
    sw = FRONTEND / "dist" / "sw.js"
    if sw.is_file():  # built: vite copied it and workbox precaches it (offline start is dark too)
        assert (FRONTEND / "dist" / "theme-init.js").read_text() == source.read_text()
        assert '"theme-init.js"' in sw.read_text() or "'theme-init.js'" in sw.read_text()


@pytest.fixture
def shell_client(tmp_path, session_factory):
    """An app serving a made-up build, so the cache headers are tested whether or not the PWA is built."""
    from api.app import create_app

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><script src="/theme-init.js"></script>')
    (tmp_path / "theme-init.js").write_text("document.documentElement.classList.add('dark');")
    (tmp_path / "assets" / "index-3f9a1c2b.js").write_text("console.log(1)")
    with extensions_restored():
        yield create_app(get_settings().model_copy(update={"frontend_dist": tmp_path}),
                         session_factory=session_factory).test_client()


def test_flask_serves_the_theme_script_revalidated_not_immutable(shell_client):
    res = shell_client.get(THEME_SCRIPT)
    assert res.status_code == 200
    assert res.mimetype in ("text/javascript", "application/javascript")
    assert res.headers["Cache-Control"] == "no-cache"  # same name every release: never immutable
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]


def test_flask_serves_hashed_assets_immutable_and_the_shell_revalidated(shell_client):
    assert "immutable" in shell_client.get("/assets/index-3f9a1c2b.js").headers["Cache-Control"]
    assert shell_client.get("/login").headers["Cache-Control"] == "no-cache"
