import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, MOBILE, SUPERADMIN, chartDrawn, launch, login, screenshot, waitForApp } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("PWA offline", () => {
  it("opens from the service worker cache with the last data and an offline banner", async () => {
    // This test needs the service worker, unlike the others.
    const context = await browser.newContext({
      baseURL: BASE_URL,
      viewport: MOBILE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: "id-ID",
      timezoneId: "Asia/Jakarta",
    });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await page.getByText("Total Pelanggan").waitFor();
      await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active, null, {
        timeout: 20_000,
      });
      // Second open is controlled by the worker, which stores the API answers it passes through.
      await page.reload();
      await waitForApp(page);
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      await page.getByText("Total Pelanggan").waitFor();
      const online = await page.locator("[data-testid=dashboard-stats]").innerText();
      await page.waitForTimeout(500);

      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      await page.getByText("Anda sedang offline").waitFor();
      await page.getByText("Total Pelanggan").waitFor();
      // The counters from the cached answers (the charts below the fold wait, as their placeholders, until
      // scrolled near: they are not loading, so only the counters' skeletons must be gone).
      await page.waitForFunction(() => !document.querySelector("[data-testid=dashboard-stats] [data-slot=skeleton]"));
      expect(await page.locator("[data-testid=dashboard-stats]").innerText()).toBe(online);
      await screenshot(page, "offline-dashboard-light-mobile");
      // Scrolled to, the charts draw offline too: their code and data come from the worker's caches.
      await chartDrawn(page, "revenue-chart");
      await chartDrawn(page, "growth-chart");
    } finally {
      await context.close();
    }
  });
});
