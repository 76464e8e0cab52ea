"""The PWA's first load: initial JavaScript gzipped, and Lighthouse's mobile performance score of /login and of the
logged-in dashboard, on the product as `make run` serves it (the Flask app, precompressed assets).

    python -m scripts.devenv exec -- .venv/bin/python -m bench bench_frontend
    python -m scripts.devenv exec -- .venv/bin/python -m bench.bench_frontend [--runs 3] [--no-build] [--no-lighthouse]

1. `npm run build` in frontend/ (vite, then scripts/compress.mjs writes the .br/.gz copies), unless --no-build.
2. frontend/scripts/size.mjs: the entry script of dist/index.html and every chunk it modulepreloads, gzip -9.
3. A scratch database `<name>_lighthouse` (migrated and seeded: the seed's superadmin and mitra), `python -m api`
   on a free loopback port serving that build, and frontend/scripts/lighthouse.mjs against it: Lighthouse from npm
   in Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH), mobile preset, the median of --runs runs per page.
   It fails when /login downloaded any chunk of the pages behind login.

Budgets: initial JS < 150 KB gzip; performance >= 90 on both pages. Lighthouse's figures move with the machine's
load (it slows the CPU 4x on top of whatever else runs): measure on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from bench._budget import budget

REPO = Path(__file__).resolve().parent.parent
FRONTEND = REPO / "frontend"
INITIAL_JS_KB = 150
PERFORMANCE = 90
DB_SUFFIX = "_lighthouse"


def build() -> None:
    print("frontend: npm run build", flush=True)
    subprocess.run(["npm", "run", "--silent", "build"], cwd=FRONTEND, check=True, stdout=subprocess.DEVNULL)


def initial_js() -> float:
    """KB (1024 bytes) of gzipped JavaScript before the app runs; prints size.mjs's table too."""
    subprocess.run(["node", "scripts/size.mjs"], cwd=FRONTEND, check=True)
    out = subprocess.run(["node", "scripts/size.mjs", "--json"], cwd=FRONTEND, check=True, capture_output=True,
                         text=True).stdout
    report = json.loads(out)
    for name in ("gzip", "brotli"):
        print(f"frontend.initial_js_{name}: {report[name] / 1024:.1f} KB in {len(report['files'])} files")
    return report["gzip"] / 1024


def serve_product():
    """(base URL, process) of `python -m api` on a scratch seeded database, serving frontend/dist."""
    from scripts.devenv import services as svc
    from scripts.devenv.e2e import free_tcp_port, wait_healthy
    from scripts.devenv.processes import child_env, migrate, seed

    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        raise SystemExit("DATABASE_URL/REDIS_URL unset: run under `python -m scripts.devenv exec --`")
    name = database_url.rsplit("/", 1)[-1].split("?", 1)[0] + DB_SUFFIX
    url = svc.with_database(database_url, name)
    svc.ensure_database(url, recreate=True)
    port = free_tcp_port()
    env = child_env({"DATABASE_URL": url, "REDIS_URL": redis_url}, PORT=str(port), HOST="127.0.0.1",
                    WA_TRANSPORT="simulator")
    migrate(env)
    seed(env)
    log = open(REPO / "test-artifacts" / "bench-frontend-api.log", "wb")  # noqa: SIM115 (closed by the caller)
    proc = subprocess.Popen([sys.executable, "-m", "api"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(f"{base}/api/health", {"api": proc}, timeout=90)
    return base, proc, log


def lighthouse(base: str, runs: int) -> list[dict]:
    out = subprocess.run(["node", "scripts/lighthouse.mjs", "--base", base, "--runs", str(runs), "--json",
                          "--out", str(REPO / "test-artifacts" / "lighthouse")],
                         cwd=FRONTEND, check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is kept")
    parser.add_argument("--no-build", action="store_true", help="measure frontend/dist as it is")
    parser.add_argument("--no-lighthouse", action="store_true", help="only the size")
    args = parser.parse_args(argv)

    if not args.no_build:
        build()
    kb = initial_js()
    budget("frontend.initial_js_gzip", kb, INITIAL_JS_KB, unit="KB")
    if args.no_lighthouse:
        return 0

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(chromium):
        print(f"no Chromium at {chromium}: apt-get install chromium (or set CHROMIUM_PATH)", file=sys.stderr)
        return 1
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    base, proc, log = serve_product()
    try:
        pages = lighthouse(base, args.runs)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
        log.close()
    failed = False
    for page in pages:
        m = page["metrics"]
        print(f"lighthouse {page['name']} ({page['path']}): performance {page['score']} (runs {page['scores']}); "
              f"FCP {m['fcp'] / 1000:.1f} s, LCP {m['lcp'] / 1000:.1f} s, TBT {m['tbt']:.0f} ms, CLS {m['cls']:.3f}, "
              f"SI {m['si'] / 1000:.1f} s; {page['transferKB']:.0f} KB transferred")
        budget(f"frontend.lighthouse.{page['name']}.performance", page["score"], PERFORMANCE, higher=True)
    login = next(p for p in pages if p["name"] == "login")
    if login["authChunks"]:
        print(f"/login downloaded the logged-in pages' code: {', '.join(login['authChunks'])}", file=sys.stderr)
        failed = True
    print(f"reports: {REPO / 'test-artifacts' / 'lighthouse'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
