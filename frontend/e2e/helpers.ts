import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const BASE_URL = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../test-artifacts/screenshots");
mkdirSync(SCREENSHOT_DIR, { recursive: true });

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

export const SUPERADMIN = { username: "superadmin", password: "Admin123!" };
export const MITRA = { username: "mitra1", password: "Mitra123!" };

/** Debian's chromium; playwright never downloads a browser here. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newContext(
  browser: Browser,
  opts: { viewport: { width: number; height: number }; theme?: "light" | "dark" },
): Promise<BrowserContext> {
  const mobile = opts.viewport.width < 768;
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: opts.viewport,
    deviceScaleFactor: mobile ? 2 : 1,
    isMobile: mobile,
    hasTouch: mobile,
    locale: "id-ID",
    timezoneId: "Asia/Jakarta",
    // Service workers would cache between runs; tests want the network.
    serviceWorkers: "block",
  });
  const theme = opts.theme ?? "light";
  // Only the first open: a theme the user toggles during the test must survive reloads.
  await context.addInitScript((t) => {
    if (!localStorage.getItem("fibernode:theme")) localStorage.setItem("fibernode:theme", t);
  }, theme);
  return context;
}

/** Every app open shows the 3 s splash; wait until it has gone. */
export async function waitForApp(page: Page): Promise<void> {
  // The splash mounts in the app's first commit, so "root has content and no splash" means it
  // has come and gone (checking only for its absence would pass before React has rendered).
  await page.waitForFunction(
    () => !!document.getElementById("root")?.childElementCount && !document.querySelector("[data-testid=splash]"),
    null,
    { timeout: 15_000 },
  );
}

export async function openApp(page: Page, urlPath: string): Promise<void> {
  await page.goto(urlPath);
  await waitForApp(page);
}

export async function login(page: Page, creds: { username: string; password: string }, remember = true) {
  await openApp(page, "/login");
  await page.fill("#username", creds.username);
  await page.fill("#password", creds.password);
  if (remember) await page.click("#remember");
  await page.click("button[type=submit]");
  await page.waitForURL((u) => u.pathname === "/", { timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  // Let skeletons resolve and animations finish before capturing. (Not "networkidle": the app
  // keeps polling, so the network is never idle.)
  await page
    .waitForFunction(() => !document.querySelector("[data-slot=skeleton], [aria-busy=true]"), null, { timeout: 8_000 })
    .catch(() => {});
  await page.waitForTimeout(400);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

/** A JSON client logged in as `creds`, for the setup a browser test is not about (users, customers, payments). */
export async function apiAs(creds: { username: string; password: string }) {
  const res = await fetch(`${BASE_URL}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(creds),
  });
  if (!res.ok) throw new Error(`login ${creds.username}: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return async <T,>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${BASE_URL}${url}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? undefined : await r.json()) as T;
  };
}

/** A chart frame's Recharts drawing. Charts are drawn as they come near the viewport (Charts.tsx), so scroll there. */
export async function chartDrawn(page: Page, testId: string, timeout = 15_000): Promise<void> {
  const frame = page.locator(`[data-testid=${testId}]`);
  await frame.scrollIntoViewIfNeeded({ timeout });
  await frame.locator(".recharts-wrapper > svg.recharts-surface").waitFor({ timeout });
}
