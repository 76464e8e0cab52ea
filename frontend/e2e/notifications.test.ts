/**
 * The header bell on a real condition: a fresh mitra's finance export finishes, the unread badge
 * appears, the item is listed, clicking it downloads the file and opens the finance page, and the
 * badge clears (read marks are stored: still clear after a reload). "Tandai semua dibaca" clears
 * several at once. Then the phone (390×844): the dashboard opens on the collector's day above the
 * count cards, with the bell and search in the compact header; the full-screen search groups
 * results as "Pelanggan" / "Tagihan".
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SUPERADMIN, apiAs, chartDrawn, launch, login, newContext, screenshot, unique } from "./helpers";

let browser: Browser;
const mitra = { username: unique("mitra_bell_"), password: "Rahasia123!", name: unique("Pemilik Bel "), businessName: unique("Net Bel ") };
const customerName = unique("Wulan Tagih ");

type Api = Awaited<ReturnType<typeof apiAs>>;

async function waitForJob(api: Api, jobId: string) {
  for (let i = 0; i < 120; i++) {
    const job = await api<{ state: string; error?: string }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") return;
    if (job.state === "failed") throw new Error(job.error);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function exportFinance(api: Api) {
  const { jobId } = await api<{ jobId: string }>("GET", "/api/finance/export?format=csv");
  await waitForJob(api, jobId);
}

/** The bell of the header that is showing (desktop and phone each have one). */
const bell = (page: Page) => page.locator("[data-testid=notification-bell]:visible");
const badge = (page: Page) => page.locator("[data-testid=notification-bell]:visible [data-testid=notification-badge]");

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitra);
  const packages = await admin<{ items: { id: string; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const packageId = packages.items.find((p) => p.isActive)!.id;
  const digits = String(Date.now()).slice(-8);
  await admin("POST", "/api/customers", { ownerId: owner.id, packageId, name: customerName, phone: `6285${digits}7`, billingDate: 12 });
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id });
  await waitForJob(admin, jobId);
  // This month's period fell due last month: an overdue invoice for the collector's list.
  const thisMonth = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta", year: "numeric", month: "2-digit" }).format(new Date());
  const overdue = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id, period: thisMonth });
  await waitForJob(admin, overdue.jobId);
});

afterAll(async () => {
  await browser?.close();
});

describe("notification bell", () => {
  it("shows a finished export, opens it on click and clears the badge when read", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      // Nothing yet: no badge, and the panel says so.
      await bell(page).waitFor();
      expect(await badge(page).count()).toBe(0);
      await bell(page).click();
      await page.locator("[data-testid=notification-empty]", { hasText: "Tidak ada notifikasi" }).waitFor();
      await page.keyboard.press("Escape");

      // A real condition: the mitra's finance export finishes.
      await exportFinance(await apiAs({ username: mitra.username, password: mitra.password }));
      await page.reload();
      await badge(page).waitFor({ timeout: 15_000 });
      expect(await badge(page).innerText()).toBe("1");

      await bell(page).click();
      const item = page.locator("[data-testid=notification-item][data-kind=export_ready]");
      await item.waitFor();
      expect(await item.innerText()).toContain("Ekspor keuangan siap diunduh");
      expect(await item.getAttribute("data-read")).toBe("false");
      await screenshot(page, "notifications-panel-light-desktop");

      const download = page.waitForEvent("download");
      await item.click();
      expect((await download).suggestedFilename()).toMatch(/\.csv$/);
      await page.waitForURL((u) => u.pathname === "/finance");
      await badge(page).waitFor({ state: "detached" });

      // Stored, not only in the page: still read after a reload.
      await page.reload();
      await bell(page).waitFor();
      await page.waitForTimeout(1_000);
      expect(await badge(page).count()).toBe(0);

      // Two more exports: "Tandai semua dibaca" clears both.
      const api = await apiAs({ username: mitra.username, password: mitra.password });
      await exportFinance(api);
      await exportFinance(api);
      await page.reload();
      await badge(page).waitFor({ timeout: 15_000 });
      expect(await badge(page).innerText()).toBe("2");
      await bell(page).click();
      await page.click("[data-testid=notification-read-all]");
      await badge(page).waitFor({ state: "detached" });
      expect(await page.locator("[data-testid=notification-item][data-read=false]").count()).toBe(0);
      await page.reload();
      await bell(page).waitFor();
      await page.waitForTimeout(1_000);
      expect(await badge(page).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("on a phone the dashboard opens on today's collection, with bell and search in the header", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      const today = page.locator("[data-testid=today-section]");
      await today.waitFor();
      await page.locator("[data-testid=collected-today]", { hasText: "Rp" }).waitFor();
      const todayBox = (await today.boundingBox())!;
      const statsBox = (await page.locator("[data-testid=dashboard-stats]").boundingBox())!;
      expect(todayBox.y).toBeLessThan(statsBox.y); // the count cards come after the collector's day
      expect(todayBox.y).toBeLessThan(MOBILE.height); // and it is on the first screen
      expect(await bell(page).isVisible()).toBe(true);
      // Phone charts scroll sideways from the latest month, and keep their y axis in view.
      const chart = page.locator("[data-testid=revenue-chart]");
      await chartDrawn(page, "revenue-chart");
      expect(await chart.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      const sticky = page.locator("[data-testid=revenue-chart] + [data-testid=chart-sticky-y]");
      expect(await sticky.isVisible()).toBe(true);
      expect(await sticky.innerText()).toContain("100");
      // It is drawn on the chart's own scale: the top label sits where Recharts puts the same tick.
      await chart.evaluate((el) => el.scrollTo({ left: 0 }));
      const drawnTop = chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").last();
      const stickyTop = sticky.locator("span").last();
      expect(await drawnTop.textContent()).toBe(await stickyTop.textContent());
      const [a, b] = [(await drawnTop.boundingBox())!, (await stickyTop.boundingBox())!];
      expect(Math.abs(a.y + a.height / 2 - (b.y + b.height / 2))).toBeLessThan(3);
      await chart.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      await screenshot(page, "dashboard-today-light-mobile");

      // One tap on Bayar (the invoice list's PayDialog): the overdue invoice leaves the list and today's money grows.
      const overdue = page.locator("[data-testid=overdue] [data-testid=today-invoice]", { hasText: customerName });
      await overdue.waitFor();
      expect(await overdue.innerText()).toMatch(/terlambat \d+ hari/);
      // Ingatkan sends the existing reminder action; with WhatsApp not linked the toast says what to do.
      await overdue.locator("[data-testid=today-remind]").click();
      await page.locator("[data-sonner-toast]").first().waitFor({ timeout: 15_000 });
      await overdue.locator("[data-testid=today-pay]").click();
      await page.locator("[data-testid=pay-dialog]").waitFor();
      await page.click("[data-testid=pay-confirm]");
      await overdue.waitFor({ state: "detached", timeout: 15_000 });
      await page.locator("[data-testid=collected-today]", { hasText: "1 pembayaran" }).waitFor({ timeout: 15_000 });
      expect(await page.locator("[data-testid=collected-today]").innerText()).toMatch(/Rp\u00a0[1-9][\d.]*/);

      // Header search, full screen on the phone: grouped results, a tap opens the customer.
      await page.click("[data-testid=mobile-search-button]");
      await page.locator("[data-testid=mobile-search]").waitFor();
      await page.locator("[data-testid=mobile-search] [data-testid=header-search-input]").fill(customerName.slice(0, 12));
      const option = page.locator("[data-testid=mobile-search] [data-testid=header-search-option][data-kind=customer]", { hasText: customerName });
      await option.waitFor({ timeout: 10_000 });
      expect(await page.locator("[data-testid=mobile-search] [role=group][aria-label=Pelanggan]").count()).toBe(1);
      expect(await page.locator("[data-testid=mobile-search] [role=group][aria-label=Tagihan]").count()).toBe(1);
      await screenshot(page, "header-search-light-mobile");
      await option.click();
      await page.waitForURL((u) => u.pathname.startsWith("/customers/"));
    } finally {
      await context.close();
    }
  });

  it("desktop header search walks results with the keyboard", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      const input = page.locator("[data-testid=header-search] [data-testid=header-search-input]");
      await input.fill("W");
      await page.locator("[data-testid=header-search]", { hasText: "Ketik minimal 2 huruf" }).waitFor();
      await input.fill(customerName);
      await page.locator("[data-testid=header-search] [data-testid=header-search-option]").nth(1).waitFor({ timeout: 10_000 });
      await input.press("ArrowDown"); // the customer is first; the invoice second
      expect(await page.locator("[data-testid=header-search-option][aria-selected=true]").getAttribute("data-kind")).toBe("invoice");
      await input.press("Enter");
      await page.waitForURL((u) => u.pathname === "/invoices" && u.searchParams.get("q") === customerName);
    } finally {
      await context.close();
    }
  });
});
