/**
 * Invoices end to end: a superadmin generates next month's invoices for a fresh mitra through the
 * UI, that mitra pays one on a phone (swipe left → Bayar), the receipt opens without login, two
 * tabs paying the same invoice end with one conflict message, and a payment is cancelled.
 * Every run makes its own mitra and customers, so reruns on one database pass.
 */
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";


const WIB_MONTH = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "Asia/Jakarta" });
/** "Desember 2026" for next month on the WIB calendar (the default period of a generation). */
function nextMonthLabel(): string {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", timeZone: "Asia/Jakarta" })
    .format(new Date())
    .split("-")
    .map(Number);
  return WIB_MONTH.format(new Date(Date.UTC(y, m, 15)));
}

/** Let the splash go, skeletons resolve and animations finish. */
async function settle(page: Page) {
  await page.locator("[data-testid=splash]").waitFor({ state: "detached", timeout: 15_000 });
  await page.locator("[aria-busy=true]").first().waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
}

async function shot(page: Page, name: string, fullPage = true) {
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

async function swipeLeft(context: BrowserContext, page: Page, target: Locator) {
  const box = (await target.boundingBox())!;
  const cdp = await context.newCDPSession(page);
  const y = box.y + 24;
  const x = box.x + box.width * 0.7;
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i++) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x - i * 20, y }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

let browser: Browser;
const mitra = { username: unique("mitra_inv_"), password: "Rahasia123!", name: unique("Pemilik Tagihan "), businessName: unique("Net Tagih ") };
const customers = [unique("Budi Tagih "), unique("Citra Tagih "), unique("Dodi Tagih ")];
const nextPhone = (() => {
  const base = String(Date.now()).slice(-8);
  let n = 0;
  return () => `6287${base}${n++}`;
})();

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitra);
  const packages = await admin<{ items: { id: string; price: number; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const pkg = packages.items.find((p) => p.isActive)!;
  for (const [i, name] of customers.entries()) {
    await admin("POST", "/api/customers", {
      ownerId: owner.id,
      packageId: pkg.id,
      name,
      phone: nextPhone(),
      billingDate: 10 + i,
      discount: i === 0 ? 10_000 : 0,
    });
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("invoices", () => {
  it("superadmin generates next month's invoices for one mitra and sees the count", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/invoices");
      await page.locator("[data-testid=invoice-summary]").waitFor();

      await page.getByRole("button", { name: "Buat Tagihan" }).first().click();
      await page.locator("[data-testid=generate-form]").waitFor();
      // Default period: next month.
      expect(await page.locator("#generate-period").innerText()).toContain(nextMonthLabel());
      await page.click("#generate-owner");
      await page.getByRole("option", { name: mitra.businessName }).click();
      await shot(page, "invoices-generate-light-desktop", false);
      await page.click("[data-testid=generate-start]");
      const result = page.locator("[data-testid=generate-result]");
      await result.waitFor({ timeout: 30_000 });
      expect(await result.innerText()).toContain("3 tagihan dibuat, 0 sudah ada");
      await shot(page, "invoices-generate-result-light-desktop", false);
      await page.getByRole("button", { name: "Selesai" }).click();

      // Running it again creates nothing new.
      await page.getByRole("button", { name: "Buat Tagihan" }).first().click();
      await page.click("#generate-owner");
      await page.getByRole("option", { name: mitra.businessName }).click();
      await page.click("[data-testid=generate-start]");
      await result.waitFor({ timeout: 30_000 });
      expect(await result.innerText()).toContain("0 tagihan dibuat, 3 sudah ada");
      await page.getByRole("button", { name: "Selesai" }).click();

      // The list (due this month, next month's period) has them, with the area column.
      await page.fill("input[type=search]", "Tagih ");
      const row = page.locator("[data-testid=invoice-row]", { hasText: customers[0] });
      await row.waitFor();
      const text = await row.innerText();
      expect(text).toContain(mitra.businessName);
      expect(text).toContain(nextMonthLabel());
      expect(text).toContain("pra-bayar");
      expect(text).toContain("Belum Bayar");
      await page.fill("input[type=search]", "");
      await page.locator("[data-testid=invoice-row]").first().waitFor();
    } finally {
      await context.close();
    }
  });

  it("the mitra pays an invoice on a phone by swiping, and its receipt opens without login", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
    await context.addInitScript(() => {
      const w = window as unknown as { __vibrations: unknown[] };
      w.__vibrations = [];
      navigator.vibrate = (pattern: VibratePattern) => {
        w.__vibrations.push(pattern);
        return true;
      };
    });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await page.locator("[data-testid=bottom-nav]").getByRole("link", { name: "Tagihan" }).click();
      await page.waitForURL("**/invoices");
      const cards = page.locator("[data-testid=invoice-card]");
      await cards.nth(2).waitFor();
      expect(await cards.count()).toBe(3);
      expect(await page.locator("[data-testid=summary-unpaid] [data-testid=summary-count]").innerText()).toBe("3");
      await shot(page, "invoices-mitra-light-mobile");

      const card = cards.filter({ hasText: customers[0] });
      await swipeLeft(context, page, card);
      await card.locator("[data-swipe-open]").waitFor();
      await page.waitForTimeout(300);
      await shot(page, "invoices-swipe-pay-light-mobile", false);
      await card.getByRole("button", { name: "Bayar" }).first().click();

      const dialog = page.locator("[data-testid=pay-dialog]");
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(customers[0]);
      expect(await page.locator("[data-testid=pay-total]").innerText()).toMatch(/^Rp\u00a0[\d.]+$/);
      await page.getByRole("radio", { name: "Transfer" }).click();
      await page.fill("#pay-note", "Transfer BCA");
      await shot(page, "invoices-pay-dialog-light-mobile", false);
      await page.click("[data-testid=pay-confirm]");
      await page.getByText(`Pembayaran ${customers[0]} dicatat`).waitFor();
      await card.locator("[data-status=paid]").waitFor();
      expect(await card.innerText()).toContain("Lunas");
      expect(await card.innerText()).toContain("Transfer");
      expect(await page.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations)).toContain(40);
      await dialog.waitFor({ state: "detached" });

      // "Salin Link Nota" from the long-press menu puts the absolute receipt URL on the clipboard.
      const box = (await card.boundingBox())!;
      const cdp = await context.newCDPSession(page);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: box.x + 60, y: box.y + box.height / 2 }] });
      await page.waitForTimeout(700);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      await page.getByRole("menuitem", { name: "Salin Link Nota" }).click();
      await page.getByText("Link nota disalin").waitFor();
      const link = await page.evaluate(() => navigator.clipboard.readText());
      expect(link).toMatch(new RegExp(`^${BASE_URL}/receipt/[0-9a-f]{32,}$`));

      // A customer opens the link: no login, no splash, the receipt says LUNAS.
      const guest = await newContext(browser, { viewport: MOBILE });
      try {
        const receiptPage = await guest.newPage();
        await receiptPage.goto(link);
        const receipt = receiptPage.locator("[data-testid=receipt]");
        await receipt.waitFor({ timeout: 5_000 });
        expect(await receiptPage.locator("[data-testid=splash]").count()).toBe(0);
        expect(await receipt.innerText()).toContain(customers[0]);
        expect(await receiptPage.locator("[data-testid=receipt-stamp]").innerText()).toMatch(/LUNAS/i);
        expect(await receipt.innerText()).toContain("Transfer");
        expect(new URL(receiptPage.url()).pathname).toMatch(/^\/receipt\//);
      } finally {
        await guest.close();
      }
    } finally {
      await context.close();
    }
  });

  it("two tabs pay the same invoice: one succeeds, the other gets the conflict message", async () => {
    const context1 = await newContext(browser, { viewport: DESKTOP });
    const context2 = await newContext(browser, { viewport: DESKTOP });
    try {
      const [tab1, tab2] = [await context1.newPage(), await context2.newPage()];
      for (const tab of [tab1, tab2]) {
        await login(tab, mitra);
        await openApp(tab, "/invoices");
        const row = tab.locator("[data-testid=invoice-row]", { hasText: customers[1] });
        await row.getByRole("button", { name: "Bayar" }).click();
        await tab.locator("[data-testid=pay-dialog]").waitFor();
      }
      await tab1.click("[data-testid=pay-confirm]");
      await tab1.getByText(`Pembayaran ${customers[1]} dicatat`).waitFor();
      await tab2.getByRole("radio", { name: "QRIS" }).click();
      await tab2.click("[data-testid=pay-confirm]");
      const conflict = tab2.locator("[data-testid=pay-conflict]");
      await conflict.waitFor();
      expect(await conflict.innerText()).toContain("Data sudah diubah oleh user lain, silakan refresh.");
      await shot(tab2, "invoices-pay-conflict-light-desktop", false);
      // "Muat ulang" shows the invoice as it now is: paid by the other tab.
      await conflict.getByRole("button", { name: "Muat ulang" }).click();
      await tab2.locator("[data-testid=pay-already-paid]").waitFor();
      expect(await tab2.locator("[data-testid=pay-already-paid]").innerText()).toContain("Tunai");
      await tab2.locator("[data-slot=dialog-footer]").getByRole("button", { name: "Tutup" }).click();
      const row2 = tab2.locator("[data-testid=invoice-row]", { hasText: customers[1] });
      await row2.locator("[data-status=paid]").waitFor();

      // Cancel that payment, with confirmation.
      await row2.getByRole("button", { name: `Aksi untuk ${customers[1]}` }).click();
      await tab2.getByRole("menuitem", { name: "Batalkan Pembayaran" }).click();
      const confirm = tab2.getByRole("alertdialog");
      await confirm.getByText("Batalkan pembayaran?").waitFor();
      await shot(tab2, "invoices-unpay-confirm-light-desktop", false);
      await confirm.getByRole("button", { name: "Batalkan Pembayaran" }).click();
      await tab2.getByText(`Pembayaran ${customers[1]} dibatalkan`).waitFor();
      await row2.locator("[data-status=unpaid]").waitFor();
    } finally {
      await context1.close();
      await context2.close();
    }
  });

  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [
      ["desktop", DESKTOP],
      ["mobile", MOBILE],
    ] as const) {
      it(`superadmin list and pay dialog (${theme}, ${device})`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        try {
          await login(page, SUPERADMIN);
          await openApp(page, "/invoices");
          const item = page.locator(device === "desktop" ? "[data-testid=invoice-row]" : "[data-testid=invoice-card]");
          await item.first().waitFor();
          await shot(page, `invoices-${theme}-${device}`);
          const unpaid = item.filter({ has: page.locator("[data-status=unpaid]") }).first();
          await unpaid.getByRole("button", { name: "Bayar" }).first().click();
          await page.locator("[data-testid=pay-dialog]").waitFor();
          await shot(page, `invoices-pay-dialog-${theme}-${device}`, false);
          await page.keyboard.press("Escape");
          // A month nobody has billed yet: the empty state offers generation to the superadmin.
          const later = new Date();
          later.setMonth(later.getMonth() + 4, 1);
          const month = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, "0")}`;
          await openApp(page, `/invoices?month=${month}`);
          await page.getByText(/Belum ada tagihan untuk/).waitFor();
          expect(await page.getByRole("button", { name: "Buat Tagihan" }).count()).toBeGreaterThan(0);
          await shot(page, `invoices-empty-${theme}-${device}`);
          if (device === "mobile") {
            await page.getByRole("button", { name: "Filter dan urutkan" }).click();
            await page.getByText("Tanggal jatuh tempo").waitFor();
            await shot(page, `invoices-filters-${theme}-${device}`, false);
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});
