#!/usr/bin/env node
/**
 * Lighthouse (npm, pinned in package-lock) against Debian's Chromium, mobile preset (Lighthouse's default: Moto G
 * Power screen, simulated slow 4G and 4x CPU slowdown), performance only, on the running product:
 *
 *   /login      a first visit: empty profile, no service worker, nothing cached
 *   /           the dashboard, logged in: puppeteer logs in through the login form ("Ingat saya", so the refresh
 *               token is in localStorage), the HTTP cache, service worker and its caches are cleared, and
 *               Lighthouse loads / with localStorage kept: a logged-in user's first load of this release
 *
 *   node scripts/lighthouse.mjs [--base http://127.0.0.1:8000] [--runs 3] [--json] [--out DIR]
 *
 * Each page is measured --runs times (default 3; the machine is shared, scores move) and the median run is kept.
 * It also checks what /login downloaded: no chunk of the pages behind login (the dashboard's among them).
 * Login: E2E_USER / E2E_PASSWORD, default the seed's superadmin. CHROMIUM_PATH overrides /usr/bin/chromium.
 * --out writes each median run's full report (HTML) there. bench/bench_frontend.py runs this and prints the budgets.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const { values: args } = parseArgs({
  options: {
    base: { type: "string", default: process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000" },
    runs: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const base = args.base.replace(/\/$/, "");
const runs = Math.max(1, Number(args.runs) || 1);
const user = { username: process.env.E2E_USER ?? "superadmin", password: process.env.E2E_PASSWORD ?? "Admin123!" };
const log = (msg) => process.stderr.write(`lighthouse: ${msg}\n`);

async function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** Logs in through the form, as a user does (frontend/e2e/helpers.ts `login`). */
async function logIn(page) {
  await page.goto(`${base}/login`, { waitUntil: "load" });
  await page.waitForSelector("#username", { visible: true, timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector("[data-testid=splash]"), { timeout: 20_000 });
  await page.type("#username", user.username);
  await page.type("#password", user.password);
  await page.click("#remember");
  await Promise.all([
    page.waitForFunction(() => location.pathname === "/", { timeout: 20_000 }),
    page.click("button[type=submit]"),
  ]);
}

const METRICS = {
  fcp: "first-contentful-paint",
  lcp: "largest-contentful-paint",
  tbt: "total-blocking-time",
  cls: "cumulative-layout-shift",
  si: "speed-index",
};

/** Lighthouse's own trace hiccups (NO_NAVSTART, NO_FCP ...) on a loaded machine: such a run is tried again. */
const RETRIES = 2;

async function measure(name, urlPath, { loggedIn }) {
  const results = [];
  for (let i = 0, failures = 0; i < runs; i += 1) {
    const run = await measureOnce(urlPath, { loggedIn }).catch((error) => {
      if (!String(error?.message).includes("LH_RUNTIME") || failures >= RETRIES) throw error;
      failures += 1;
      log(`${name} run ${i + 1}/${runs} failed (${error.message}); again`);
      return null;
    });
    if (!run) {
      i -= 1;
      continue;
    }
    log(`${name} run ${i + 1}/${runs}: performance ${run.score}`);
    results.push(run);
  }
  results.sort((a, b) => a.score - b.score);
  const median = results[Math.floor(results.length / 2)];
  return { name, path: urlPath, scores: results.map((r) => r.score), ...median };
}

async function measureOnce(urlPath, { loggedIn }) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    if (loggedIn) {
      await logIn(page);
      // Logged in, but otherwise a first visit: no HTTP cache, no service worker and no precache (the login
      // installed both); only localStorage (the refresh token) and the device cookie stay.
      const cdp = await page.createCDPSession();
      await cdp.send("Network.clearBrowserCache");
      await cdp.send("Storage.clearDataForOrigin", {
        origin: new URL(base).origin,
        storageTypes: "service_workers,cache_storage,indexeddb",
      });
      await page.goto("about:blank");
    }
    const flags = {
      logLevel: "error",
      output: "html",
      onlyCategories: ["performance"],
      // Logged in: keep localStorage (the refresh token); else a clean first visit.
      disableStorageReset: loggedIn,
    };
    const result = await lighthouse(`${base}${urlPath}`, flags, undefined, page);
    if (!result) throw new Error(`no result for ${urlPath}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`LH_RUNTIME ${urlPath}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
    if (finalPath !== urlPath) throw new Error(`${urlPath} ended on ${finalPath} (not logged in?)`);
    const requests = lhr.audits["network-requests"]?.details?.items ?? [];
    const scripts = requests.filter((r) => r.resourceType === "Script").map((r) => new URL(r.url).pathname);
    const run = {
      score: Math.round((lhr.categories.performance.score ?? 0) * 100),
      metrics: Object.fromEntries(Object.entries(METRICS).map(([k, id]) => [k, lhr.audits[id]?.numericValue ?? null])),
      lcpElement: lhr.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node?.snippet,
      scripts,
      transferKB: requests.reduce((t, r) => t + (r.transferSize ?? 0), 0) / 1024,
      report: result.report,
    };
    return run;
  } finally {
    await browser.close();
  }
}

const pages = [
  await measure("login", "/login", { loggedIn: false }),
  await measure("dashboard", "/", { loggedIn: true }),
];

// /login must not fetch the code of the pages behind login (route chunks are named after their route files).
const login = pages[0];
login.authChunks = login.scripts.filter((s) => /\/assets\/_auth[.-]/.test(s));

if (args.out) {
  mkdirSync(args.out, { recursive: true });
  for (const p of pages) writeFileSync(path.join(args.out, `lighthouse-${p.name}.html`), p.report);
}
const summary = pages.map(({ report: _report, ...rest }) => rest);
if (args.json) {
  console.log(JSON.stringify(summary));
} else {
  for (const p of summary) {
    const m = p.metrics;
    console.log(
      `${p.name.padEnd(10)} performance ${p.score} (runs ${p.scores.join(", ")}): FCP ${(m.fcp / 1000).toFixed(1)} s, ` +
        `LCP ${(m.lcp / 1000).toFixed(1)} s, TBT ${Math.round(m.tbt)} ms, CLS ${m.cls?.toFixed(3)}, ` +
        `SI ${(m.si / 1000).toFixed(1)} s; ${p.transferKB.toFixed(0)} KB transferred`,
    );
    if (p.lcpElement) console.log(`           LCP element: ${p.lcpElement}`);
  }
  console.log(`/login fetched ${login.authChunks.length ? login.authChunks.join(", ") : "no chunk of the logged-in pages"}`);
}
