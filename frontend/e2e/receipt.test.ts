/**
 * The public receipt page: paid (LUNAS) and unpaid (BELUM DIBAYAR) receipts without login or
 * splash, an unknown token's friendly page, printing, dark mode. Data is made through the API for
 * a fresh mitra each run.
 */
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";

type Invoice = { id: string; version: number; receiptUrl: string; customer: { name: string } };

let browser: Browser;
const paidName = unique("Sinta Nota ");
const unpaidName = unique("Tono Nota ");
const receipts: { paid: string; unpaid: string } = { paid: "", unpaid: "" };

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", {
    username: unique("mitra_nota_"),
    password: "Rahasia123!",
    name: unique("Pemilik Nota "),
    businessName: unique("Net Nota "),
  });
  const packages = await admin<{ items: { id: string; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const packageId = packages.items.find((p) => p.isActive)!.id;
  const phone = String(Date.now()).slice(-8);
  for (const [i, name] of [paidName, unpaidName].entries()) {
    await admin("POST", "/api/customers", { ownerId: owner.id, packageId, name, phone: `6288${phone}${i}`, billingDate: 15, discount: 15_000 });
  }
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id });
  for (let i = 0; i < 60; i++) {
    const job = await admin<{ state: string; error?: string }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") break;
    if (job.state === "failed") throw new Error(job.error);
    await new Promise((r) => setTimeout(r, 500));
  }
  const list = await admin<{ items: Invoice[] }>("GET", `/api/invoices?ownerId=${owner.id}&perPage=10`);
  const paid = list.items.find((i) => i.customer.name === paidName)!;
  const unpaid = list.items.find((i) => i.customer.name === unpaidName)!;
  await admin("PATCH", `/api/invoices/${paid.id}/pay`, { version: paid.version, paymentMethod: "qris", paymentNote: "lunas" });
  receipts.paid = paid.receiptUrl;
  receipts.unpaid = unpaid.receiptUrl;
});

afterAll(async () => {
  await browser?.close();
});

describe("public receipt", () => {
  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [
      ["mobile", MOBILE],
      ["desktop", DESKTOP],
    ] as const) {
      it(`a paid receipt opens at once without login (${theme}, ${device})`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        try {
          const started = Date.now();
          await page.goto(receipts.paid);
          const receipt = page.locator("[data-testid=receipt]");
          await receipt.waitFor({ timeout: 5_000 });
          // No 3 s splash in front of a customer's receipt.
          expect(Date.now() - started).toBeLessThan(3_000);
          expect(await page.locator("[data-testid=splash]").count()).toBe(0);
          const text = await receipt.innerText();
          expect(text).toContain(paidName);
          expect(text).toContain("NOTA PEMBAYARAN");
          expect(text).toMatch(/INV-\d{6}-/);
          expect(text).toContain("QRIS");
          expect(await page.locator("[data-testid=receipt-stamp]").innerText()).toMatch(/^LUNAS$/i);
          expect(await page.locator("[data-testid=receipt-total]").innerText()).toMatch(/^Rp\u00a0[\d.]+$/);
          // The paper stays white in dark mode.
          expect(await receipt.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 255, 255)");
          await page.waitForTimeout(300);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `receipt-paid-${theme}-${device}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      });
    }
  }

  it("an unpaid invoice's receipt says BELUM DIBAYAR", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await page.goto(receipts.unpaid);
      await page.locator("[data-testid=receipt]").waitFor({ timeout: 5_000 });
      expect(await page.locator("[data-testid=receipt-stamp]").innerText()).toMatch(/^BELUM\s+DIBAYAR$/i);
      expect(await page.locator("[data-testid=receipt-unpaid-note]").innerText()).toContain("Belum dibayar");
      const text = await page.locator("[data-testid=receipt]").innerText();
      // A bill, not a receipt: no payment details and nothing personal for whoever holds the link.
      expect(await page.locator("[data-testid=receipt-kind]").innerText()).toBe("TAGIHAN");
      expect(await page.locator("[data-testid=receipt-bill-note]").innerText()).toContain("bukan bukti pembayaran");
      for (const absent of ["Tanggal bayar", "Metode", "Dicatat oleh", "No. HP", "NIK"]) expect(text).not.toContain(absent);
      expect(text).toContain(unpaidName);
      expect(await page.locator("[data-testid=receipt-total]").innerText()).toMatch(/^Rp\u00a0[\d.]+$/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-unpaid-light-mobile.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it("the app's own CSP lets the page (and its pre-paint theme script) run without a console error", async () => {
    const context = await newContext(browser, { viewport: MOBILE, theme: "dark" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    try {
      await page.goto(receipts.unpaid);
      await page.locator("[data-testid=receipt]").waitFor({ timeout: 5_000 });
      await page.goto("/login");
      await page.locator("#username").waitFor({ timeout: 10_000 });
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("prints only the receipt, black on white", async () => {
    const context = await newContext(browser, { viewport: DESKTOP, theme: "dark" });
    const page = await context.newPage();
    try {
      await page.goto(receipts.paid);
      await page.locator("[data-testid=receipt]").waitFor({ timeout: 5_000 });
      await page.getByRole("button", { name: "Cetak" }).waitFor();
      await page.emulateMedia({ media: "print" });
      expect(await page.getByRole("button", { name: "Cetak" }).isVisible()).toBe(false);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
      const stamp = page.locator("[data-testid=receipt-stamp]");
      expect(await stamp.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(0, 0, 0)");
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-print-preview-desktop.png"), fullPage: true });
      const pdf = await page.pdf({ format: "A5", printBackground: true });
      expect(pdf.byteLength).toBeGreaterThan(1_000);
    } finally {
      await context.close();
    }
  });

  it("a receipt field switched off in Pengaturan vanishes from the customer's receipt", async () => {
    const admin = await apiAs(SUPERADMIN);
    const before = await admin<Record<string, string>>("GET", "/api/settings");
    const switchOn = (page: import("playwright-core").Page) =>
      page.getByRole("switch", { name: "Tampilkan metode bayar" });
    const adminContext = await newContext(browser, { viewport: DESKTOP });
    const customerContext = await newContext(browser, { viewport: MOBILE });
    try {
      await admin("PATCH", "/api/settings", { receipt_show_payment_method: "true" });
      const customer = await customerContext.newPage();
      await customer.goto(receipts.paid);
      await customer.locator("[data-testid=receipt]").waitFor({ timeout: 5_000 });
      expect(await customer.locator("[data-testid=receipt]").innerText()).toContain("QRIS");

      const page = await adminContext.newPage();
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      await page.locator("[data-testid=receipt-preview]").waitFor();
      expect(await switchOn(page).getAttribute("aria-checked")).toBe("true");
      await switchOn(page).click();
      const saved = page.waitForResponse((r) => r.url().endsWith("/api/settings") && r.request().method() === "PATCH");
      await page.click("[data-testid=settings-save]");
      expect((await saved).status()).toBe(200);

      await customer.reload();
      await customer.locator("[data-testid=receipt]").waitFor({ timeout: 5_000 });
      const text = await customer.locator("[data-testid=receipt]").innerText();
      expect(text).toContain(paidName);
      expect(text).not.toContain("QRIS");
      await customer.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-method-hidden-light-mobile.png"), fullPage: true });
    } finally {
      await admin("PATCH", "/api/settings", { receipt_show_payment_method: before.receipt_show_payment_method ?? "true" });
      await adminContext.close();
      await customerContext.close();
    }
  });

  it("an unknown token shows a friendly not-found page", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await page.goto("/receipt/tidak-ada-nota-seperti-ini");
      const missing = page.locator("[data-testid=receipt-missing]");
      await missing.waitFor({ timeout: 5_000 });
      expect(await missing.innerText()).toContain("Nota tidak ditemukan");
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-not-found-light-mobile.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
