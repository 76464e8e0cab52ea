/**
 * Dashboard money: this collection month's cards (with the month named), the 12-month revenue
 * line chart and the customer growth bar chart (lazy-loaded Recharts), for the superadmin on a
 * desktop and for mitra1 on a phone, where the charts scroll sideways. Setup goes through the API
 * and is idempotent (next month's invoices, generated twice, are the same invoices), so reruns pass.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MITRA, MOBILE, SUPERADMIN, apiAs, chartDrawn, launch, login, newContext, screenshot } from "./helpers";

/** Next month's invoices (due this collection month) exist, so the cards have money in them. */
async function ensureInvoices() {
  const admin = await apiAs(SUPERADMIN);
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", {});
  for (let i = 0; i < 60; i++) {
    const job = await admin<{ state: string; error: string | null }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") return;
    if (job.state === "failed") throw new Error(`generation failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("generation did not finish");
}

async function expectMoneyAndCharts(page: Page) {
  await page.locator("[data-testid=money-cards]").waitFor();
  const heading = page.locator("#money-heading");
  await heading.waitFor();
  // The month comes with the stats answer, which a loaded machine may still be waiting for.
  await expect.poll(() => heading.innerText(), { timeout: 15_000 }).toMatch(/Bulan tagih: \p{L}+ \d{4}/u);
  expect(await page.locator("[data-testid=collection-month-note]").innerText()).toContain("jatuh tempo bulan ini");
  for (const label of ["Total Tagihan Bulan Ini", "Sudah Terbayar", "Belum Terbayar", "Persentase Terkumpul"]) {
    await page.getByText(label, { exact: true }).waitFor();
  }
  expect(await page.locator("[data-testid=money-total]").innerText()).toMatch(/Rp\u00a0[\d.]+/);
  expect(await page.locator("[data-testid=money-rate]").innerText()).toMatch(/\d+(,\d)?%/);
  await page.locator("[data-testid=money-rate] [role=progressbar]").waitFor();
  // Recharts arrives in its own chunk; both drawings end up as SVG.
  await chartDrawn(page, "revenue-chart");
  await chartDrawn(page, "growth-chart");
  expect(await page.locator("[data-testid=revenue-chart] .recharts-line").count()).toBe(2);
  expect(await page.locator("[data-testid=growth-chart] .recharts-bar").count()).toBeGreaterThan(0);
  await page.locator("[data-testid=due-soon]").getByText("Jatuh tempo 7 hari").waitFor();
}

let browser: Browser;
beforeAll(async () => {
  await ensureInvoices();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("dashboard money", () => {
  it("superadmin on a desktop: money cards, both charts full width, mitra filter", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await expectMoneyAndCharts(page);
      // Full width on a desktop: nothing to scroll.
      const scroll = await page.$eval("[data-testid=revenue-chart]", (el) => el.scrollWidth - el.clientWidth);
      expect(scroll).toBeLessThanOrEqual(1);

      // One mitra's figures: the stats are asked for that owner and the mitra count goes away.
      await page.click("[data-testid=owner-filter]");
      const filtered = page.waitForResponse((r) => r.url().includes("/api/dashboard/stats?ownerId=") && r.ok());
      await page.getByRole("option", { name: "WiFi Sukamaju" }).click();
      await filtered;
      await page.locator("[data-testid=dashboard-stats]").getByText("Mitra", { exact: true }).waitFor({ state: "detached" });
      await page.locator("[data-testid=revenue-chart] .recharts-wrapper > svg.recharts-surface").waitFor();
    } finally {
      await context.close();
    }
  });

  it("mitra1 on a phone: money cards and charts that scroll sideways", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, MITRA);
      await expectMoneyAndCharts(page);
      expect(await page.locator("[data-testid=owner-filter]").count()).toBe(0);
      for (const chart of ["revenue-chart", "growth-chart"]) {
        const { scrollWidth, clientWidth } = await page.$eval(`[data-testid=${chart}]`, (el) => ({
          scrollWidth: el.scrollWidth,
          clientWidth: el.clientWidth,
        }));
        expect(scrollWidth).toBeGreaterThanOrEqual(640);
        expect(scrollWidth).toBeGreaterThan(clientWidth);
      }
      // The page itself does not scroll sideways, only the charts do.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      // It opens on the latest months (scrolled to the right end) and scrolls back to older ones.
      const chart = page.locator("[data-testid=revenue-chart]");
      expect(await chart.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      await chart.evaluate((el) => el.scrollTo({ left: 0 }));
      expect(await chart.evaluate((el) => el.scrollLeft)).toBe(0);
    } finally {
      await context.close();
    }
  });

  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]] as const) {
      it(`screenshot ${theme} ${device}`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        try {
          await login(page, SUPERADMIN);
          await chartDrawn(page, "revenue-chart");
          await chartDrawn(page, "growth-chart");
          await page.waitForTimeout(700); // chart animation
          await screenshot(page, `dashboard-money-${theme}-${device}`);
        } finally {
          await context.close();
        }
      });
    }
  }
});
