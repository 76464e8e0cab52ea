/**
 * Partial payment end to end: a mitra pays part of an invoice (the dialog shows "Sisa" live), the row
 * shows "Sebagian" with "Dibayar Rp X dari Rp Y", the customer's link shows what was paid and what
 * remains (no "bukti pembayaran yang sah" footer), the rest is paid (Lunas), and one payment is
 * undone behind a confirmation, back to partial. Fresh mitra and customer each run.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";

type Invoice = { id: string; version: number; totalAmount: number; receiptUrl: string; customer: { name: string } };

let browser: Browser;
const mitra = { username: unique("mitra_cicil_"), password: "Rahasia123!", name: unique("Pemilik Cicil "), businessName: unique("Net Cicil ") };
const customerName = unique("Rina Cicil ");
let invoice: Invoice;

const rupiah = (n: number) => `Rp\u00a0${n.toLocaleString("id-ID")}`;

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitra);
  const packages = await admin<{ items: { id: string; price: number; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const pkg = packages.items.find((p) => p.isActive && p.price >= 100_000)!;
  await admin("POST", "/api/customers", {
    ownerId: owner.id,
    packageId: pkg.id,
    name: customerName,
    phone: `6289${String(Date.now()).slice(-8)}`,
    billingDate: 12,
    discount: 0,
  });
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id });
  for (let i = 0; i < 60; i++) {
    const job = await admin<{ state: string; error?: string }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") break;
    if (job.state === "failed") throw new Error(job.error);
    await new Promise((r) => setTimeout(r, 500));
  }
  const list = await admin<{ items: Invoice[] }>("GET", `/api/invoices?ownerId=${owner.id}&perPage=10`);
  invoice = list.items.find((i) => i.customer.name === customerName)!;
});

afterAll(async () => {
  await browser?.close();
});

describe("partial payment", () => {
  it("pay part, see what remains, pay the rest, undo one payment", async () => {
    const total = invoice.totalAmount;
    const part = 40_000;
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/invoices");
      const row = page.locator("[data-testid=invoice-row]", { hasText: customerName });
      await row.waitFor();

      // Pay part: the amount starts at the whole remainder; typing less says what will be left.
      await row.getByRole("button", { name: "Bayar" }).click();
      await page.locator("[data-testid=pay-dialog]").waitFor();
      const amount = page.locator("[data-testid=pay-amount]");
      expect(await amount.inputValue()).toBe(total.toLocaleString("id-ID"));
      expect(await page.locator("[data-testid=pay-remaining]").innerText()).toBe("Lunas · Sisa: Rp\u00a00");
      await amount.fill(String(total + 1));
      expect(await page.locator("[data-testid=pay-remaining]").innerText()).toBe(`Jumlah bayar melebihi sisa tagihan (${rupiah(total)}).`);
      expect(await page.locator("[data-testid=pay-confirm]").isDisabled()).toBe(true);
      await amount.fill(String(part));
      expect(await page.locator("[data-testid=pay-remaining]").innerText()).toBe(`Bayar sebagian · Sisa: ${rupiah(total - part)}`);
      expect(await page.locator("[data-testid=pay-confirm]").innerText()).toContain("Catat Bayar Sebagian");
      await shot(page, "payments-partial-dialog-light-desktop");
      await page.click("[data-testid=pay-confirm]");
      await page.getByText(`Pembayaran sebagian ${customerName} dicatat`).waitFor();
      await page.locator("[data-testid=pay-dialog]").waitFor({ state: "detached" });

      // The row: Sebagian, "Dibayar Rp 40.000 dari Rp …".
      await row.locator("[data-status=partial]").waitFor();
      expect(await row.locator("[data-testid=paid-progress]").innerText()).toContain(`Dibayar ${rupiah(part)} dari ${rupiah(total)}`);
      await shot(page, "payments-partial-row-light-desktop");

      // The customer's link: paid so far, Sisa tagihan, no "proof of payment" footer.
      const guest = await newContext(browser, { viewport: DESKTOP });
      try {
        const receiptPage = await guest.newPage();
        await receiptPage.goto(new URL(invoice.receiptUrl, page.url()).href);
        const receipt = receiptPage.locator("[data-testid=receipt]");
        await receipt.waitFor({ timeout: 5_000 });
        expect(await receiptPage.locator("[data-testid=receipt-remaining]").innerText()).toContain(rupiah(total - part));
        expect(await receiptPage.locator("[data-testid=receipt-paid-so-far]").innerText()).toContain(rupiah(part));
        expect(await receiptPage.locator("[data-testid=receipt-payment]").count()).toBe(1);
        expect(await receipt.innerText()).not.toContain("bukti pembayaran yang sah");
        await receiptPage.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-partial-light-desktop.png"), fullPage: true });
      } finally {
        await guest.close();
      }

      // Pay the rest: the dialog shows what was paid and defaults to the remainder.
      await row.getByRole("button", { name: "Bayar" }).click();
      await page.locator("[data-testid=pay-dialog]").waitFor();
      expect(await page.locator("[data-testid=pay-paid-so-far]").innerText()).toContain(`Sisa tagihan ${rupiah(total - part)}`);
      expect(await amount.inputValue()).toBe((total - part).toLocaleString("id-ID"));
      expect(await page.locator("[data-testid=payment-row]").count()).toBe(1);
      await page.click("[data-testid=pay-confirm]");
      await page.getByText(`Pembayaran ${customerName} dicatat`).waitFor();
      await row.locator("[data-status=paid]").waitFor();
      expect(await row.locator("[data-testid=paid-progress]").count()).toBe(0);

      // Undo the second payment: behind a confirmation, back to partial.
      await row.getByRole("button", { name: `Aksi untuk ${customerName}` }).click();
      await page.getByRole("menuitem", { name: "Riwayat Pembayaran" }).click();
      const payments = page.locator("[data-testid=payment-row]");
      await payments.nth(1).waitFor();
      expect(await payments.count()).toBe(2);
      await shot(page, "payments-history-light-desktop");
      await payments.nth(1).getByRole("button", { name: /Batalkan/ }).click();
      await page.getByRole("alertdialog").getByText("Batalkan pembayaran ini?").waitFor();
      await page.getByRole("button", { name: "Ya, batalkan" }).click();
      await page.getByText(`Pembayaran ${rupiah(total - part)} dibatalkan`).waitFor();
      await page.locator("[data-testid=pay-paid-so-far]").waitFor();
      expect(await payments.count()).toBe(1);
      expect(await amount.inputValue()).toBe((total - part).toLocaleString("id-ID"));
      await page.keyboard.press("Escape");
      await row.locator("[data-status=partial]").waitFor();
      expect(await row.locator("[data-testid=paid-progress]").innerText()).toContain(`Dibayar ${rupiah(part)} dari ${rupiah(total)}`);
    } finally {
      await context.close();
    }

    // On a phone the card says the same.
    const phone = await newContext(browser, { viewport: MOBILE });
    try {
      const mobile = await phone.newPage();
      await login(mobile, mitra);
      await openApp(mobile, "/invoices");
      const card = mobile.locator("[data-testid=invoice-card]", { hasText: customerName });
      await card.locator("[data-status=partial]").waitFor();
      expect(await card.locator("[data-testid=paid-progress]").innerText()).toContain(`Dibayar ${rupiah(part)} dari ${rupiah(total)}`);
      await shot(mobile, "payments-partial-card-light-mobile");
    } finally {
      await phone.close();
    }
  });
});
