/**
 * The service worker's API cache on a phone two people share: entries are per user (the key carries the bearer
 * token's user), logout empties it, the next user's login starts from an empty cache, and offline the next user
 * sees their own last data — never the previous user's.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, MITRA, MOBILE, SUPERADMIN, launch, login, openApp, waitForApp } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The users whose entries the API cache holds (`__user` of every key). */
async function cachedUsers(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    if (!(await caches.has("api-get"))) return [];
    const keys = await (await caches.open("api-get")).keys();
    return [...new Set(keys.map((r) => new URL(r.url).searchParams.get("__user") ?? "none"))];
  });
}

async function openCustomers(page: Page): Promise<string> {
  await openApp(page, "/customers");
  const first = page.locator("[data-testid=customer-card]").first();
  await first.waitFor({ timeout: 15_000 });
  return first.innerText();
}

describe("PWA API cache per user", () => {
  it("keeps users apart, empties on logout, and still serves the current user's data offline", async () => {
    const context = await browser.newContext({
      baseURL: BASE_URL,
      viewport: MOBILE,
      isMobile: true,
      hasTouch: true,
      locale: "id-ID",
      timezoneId: "Asia/Jakarta",
    });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active, null, { timeout: 20_000 });
      await page.reload();
      await waitForApp(page);
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      const adminFirst = await openCustomers(page);
      await expect.poll(() => cachedUsers(page), { timeout: 10_000 }).toHaveLength(1);
      const [admin] = await cachedUsers(page);
      expect(admin).not.toBe("anon");

      // Logout empties the cache.
      await page.locator("[data-testid=user-menu]").last().click(); // the phone header's
      await page.getByRole("menuitem", { name: "Keluar" }).click();
      await page.waitForURL((u) => u.pathname === "/login");
      await expect.poll(() => cachedUsers(page), { timeout: 5_000 }).toEqual([]);

      // The next user: only their own entries, and offline their own last data.
      await login(page, MITRA);
      const mitraFirst = await openCustomers(page);
      expect(mitraFirst).not.toBe(adminFirst);
      await expect.poll(() => cachedUsers(page), { timeout: 10_000 }).toHaveLength(1);
      const [mitra] = await cachedUsers(page);
      expect(mitra).not.toBe(admin);
      expect(mitra).not.toBe("anon");

      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      await page.getByText("Anda sedang offline").waitFor();
      await page.locator("[data-testid=customer-card]").first().waitFor({ timeout: 15_000 });
      expect(await page.locator("[data-testid=customer-card]").first().innerText()).toBe(mitraFirst);
    } finally {
      await context.close();
    }
  });
});
