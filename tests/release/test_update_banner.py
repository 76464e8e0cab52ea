"""A deploy of a new build reaches a PWA left open: the banner appears within the check interval, "Perbarui" loads it.

Two real builds of the frontend (VITE_APP_VERSION 1.0.0 and 1.1.0, checking every second instead of every 5 min)
are served by the real API (werkzeug, one origin, the test database). Headless Chromium opens build A as a returning
user would (controlled by its service worker); the test then deploys: the start-up step stores app_version 1.1.0
and the origin serves the API and build of 1.1.0. The driver (frontend/scripts/update-banner-e2e.mjs) waits for the
banner and the new waiting service worker, screenshots it, clicks "Perbarui" and checks the page runs 1.1.0.
Before: no app_version write, no registration.update() and a fixed 5-minute poll, so no banner came.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api.app import create_app
from shared.config import REPO_ROOT, get_settings
from shared.services.settings import record_app_version

FRONTEND = REPO_ROOT / "frontend"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
DRIVER = FRONTEND / "scripts" / "update-banner-e2e.mjs"
SCREENSHOT = REPO_ROOT / "test-artifacts" / "screenshots" / "update-banner.png"
OLD, NEW = "1.0.0", "1.1.0"


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, FRONTEND / "node_modules" / "playwright-core") if not p.exists()]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: missing {missing}")
    if missing:
        pytest.skip(f"missing {missing} (make setup; apt-get install chromium or set CHROMIUM_PATH)")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Both releases' dist/, built side by side (vite only: the typecheck is `make lint`'s)."""
    _require_browser()
    root = tmp_path_factory.mktemp("builds")
    procs = {}
    for version in (OLD, NEW):
        env = {**os.environ, "VITE_APP_VERSION": version, "VITE_UPDATE_CHECK_MS": "1000"}
        procs[version] = subprocess.Popen(
            ["npx", "vite", "build", "--outDir", str(root / version), "--emptyOutDir", "--logLevel", "error"],
            cwd=FRONTEND, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for version, proc in procs.items():
        out, _ = proc.communicate(timeout=240)
        assert proc.returncode == 0, f"vite build {version} failed:\n{out}"
    # Built in the same second, same-sized files would share an ETag (mtime-size, as nginx's) and the new sw.js
    # would be answered 304; a real release is built later than the one it replaces.
    later = time.time() + 3600
    for path in (root / NEW).rglob("*"):
        os.utime(path, (later, later))
    return {version: root / version for version in procs}


class Origin:
    """The one origin a phone talks to: whichever release's API (and the PWA it serves) is deployed now."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def test_a_deploy_shows_the_banner_and_perbarui_loads_the_new_build(builds, session_factory):
    def release(version: str):
        with session_factory() as session:  # the api's start-up step (shared.seed) in the new container
            record_app_version(session, version)
            session.commit()
        settings = get_settings().model_copy(update={"app_version": version, "frontend_dist": builds[version],
                                                     "rate_limit_enabled": False})
        return create_app(settings, session_factory=session_factory)

    origin = Origin(release(OLD))
    server = make_server("127.0.0.1", 0, origin, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    env = {**os.environ, "BASE_URL": f"http://127.0.0.1:{server.server_port}", "OLD_VERSION": OLD,
           "NEW_VERSION": NEW, "SCREENSHOT": str(SCREENSHOT), "CHROMIUM_PATH": str(CHROMIUM)}
    driver = subprocess.Popen([shutil.which("node") or "node", str(DRIVER)], cwd=FRONTEND, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = driver.stdout.readline().strip()
        assert first == f"running {OLD}", f"{first!r}\n{driver.stderr.read() if driver.poll() is not None else ''}"
        origin.app = release(NEW)  # the deploy
        driver.stdin.write("deployed\n")
        driver.stdin.flush()
        out, err = driver.communicate(timeout=90)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
        server.shutdown()
        server.server_close()
    assert driver.returncode == 0, f"stdout:\n{out}\nstderr:\n{err}"
    assert out.strip().splitlines()[-1] == f"updated {NEW}"
    assert SCREENSHOT.stat().st_size > 0
