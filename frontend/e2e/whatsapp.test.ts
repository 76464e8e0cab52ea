/**
 * WhatsApp end to end on the simulator transport (WA_TRANSPORT=simulator with a WA worker): a fresh
 * mitra connects by "scanning" a QR pushed over Socket.IO, sends one manual message, pays an invoice
 * and finds the receipt (Nota) delivered in the log, on the invoice and in the customer's WhatsApp history; the
 * superadmin then messages that customer from the mitra's number. Every tab is captured on desktop and phone.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";

async function shot(page: Page, name: string) {
  await page.locator("[aria-busy=true]").first().waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

let browser: Browser;
const mitra = { username: unique("mitra_wa_"), password: "Rahasia123!", name: unique("Pemilik WA "), businessName: unique("Net WA ") };
const payer = unique("Rina Nota ");
const other = unique("Sari Pesan ");
const customerIds: Record<string, string> = {};

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitra);
  const packages = await admin<{ items: { id: string; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const packageId = packages.items.find((p) => p.isActive)!.id;
  const digits = String(Date.now()).slice(-8);
  for (const [i, name] of [payer, other].entries()) {
    const made = await admin<{ id: string }>("POST", "/api/customers", { ownerId: owner.id, packageId, name, phone: `6285${digits}${i + 1}`, billingDate: 12 });
    customerIds[name] = made.id;
  }
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id });
  for (let i = 0; i < 60; i++) {
    const job = await admin<{ state: string; error?: string }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") break;
    if (job.state === "failed") throw new Error(job.error);
    await new Promise((r) => setTimeout(r, 500));
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("whatsapp", () => {
  it("the mitra links the number by a simulated scan, sends a message, and a paid invoice's receipt is delivered", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/whatsapp");
      const card = page.locator("[data-testid=wa-connect]");
      await card.waitFor();
      await shot(page, "whatsapp-koneksi-disconnected-light-desktop");
      await card.click();

      // The QR arrives as a `wa:qr` push (not only by polling) and the simulator says so.
      await page.locator("[data-testid=wa-qr][data-source=socket] svg").waitFor({ timeout: 45_000 });
      await page.locator("[data-testid=wa-simulator-badge]").first().waitFor();
      expect(await page.locator("[data-testid=wa-status]").first().innerText()).toContain("Menghubungkan");
      await shot(page, "whatsapp-koneksi-qr-light-desktop");

      await page.click("[data-testid=wa-simulate-scan]");
      await page.locator("[data-testid=wa-status]", { hasText: "Terhubung" }).first().waitFor({ timeout: 30_000 });
      await page.locator("[data-testid=wa-qr]").waitFor({ state: "detached" });
      expect(await page.locator("[data-testid=wa-phone]").innerText()).not.toBe("-");
      await shot(page, "whatsapp-koneksi-light-desktop");

      // One manual reminder: the preview fills the editable text, the send is followed to its outcome.
      await page.click("[data-testid=wa-tab-kirim]");
      await page.fill("#wa-manual-customer", other);
      await page.getByRole("option", { name: new RegExp(other) }).click();
      const text = page.locator("[data-testid=wa-manual-message]");
      await expect.poll(() => text.inputValue(), { timeout: 15_000 }).toContain(other.split(" ")[0]);
      await text.fill(`${await text.inputValue()}\nTerima kasih.`);
      await shot(page, "whatsapp-kirim-light-desktop");
      await page.click("[data-testid=wa-manual-send]");
      await page.getByText(`Pesan ke ${other} terkirim`).waitFor({ timeout: 30_000 });

      // Paying an invoice in the UI sends its receipt from this number.
      await openApp(page, "/invoices");
      const row = page.locator("[data-testid=invoice-row]", { hasText: payer });
      await row.getByRole("button", { name: "Bayar" }).click();
      await page.locator("[data-testid=pay-dialog]").waitFor();
      await page.getByRole("radio", { name: "Tunai" }).click();
      await page.click("[data-testid=pay-confirm]");
      await page.getByText(`Pembayaran ${payer} dicatat`).waitFor();

      await openApp(page, "/whatsapp?tab=log");
      const receipt = page.locator("[data-testid=wa-log-row][data-type=receipt]", { hasText: payer });
      await receipt.waitFor({ timeout: 30_000 });
      await receipt.locator("text=Terkirim").waitFor({ timeout: 30_000 });
      expect(await receipt.innerText()).toContain("Nota");
      await receipt.getByRole("button").first().click();
      expect(await receipt.locator("[data-testid=wa-log-content]").innerText()).toContain(payer.split(" ")[0]);
      const manual = page.locator("[data-testid=wa-log-row][data-type=manual]", { hasText: other });
      expect(await manual.innerText()).toContain("Terkirim");
      await shot(page, "whatsapp-log-light-desktop");

      await page.click("[data-testid=wa-tab-antrian]");
      await page.locator("[data-testid=wa-queue-counts]").waitFor();
      await page.locator("[data-testid=wa-queue-row]").first().waitFor({ timeout: 15_000 });
      await shot(page, "whatsapp-antrian-light-desktop");
    } finally {
      await context.close();
    }
  });

  it("shows what was delivered on the invoice and the customer, and the superadmin sends from the owner's number", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      // The receipt delivered in the first test is stamped on its invoice row.
      await openApp(page, "/invoices");
      const row = page.locator("[data-testid=invoice-row]", { hasText: payer });
      await row.locator("[data-testid=invoice-sent-info]", { hasText: "Nota terkirim" }).waitFor({ timeout: 15_000 });
      await shot(page, "invoices-sent-info-light-desktop");
      // The customer's page lists the manual message instead of an empty "Status WhatsApp" card.
      await openApp(page, `/customers/${customerIds[other]}`);
      const history = page.locator("[data-testid=customer-wa-history]");
      await history.locator("[data-testid=customer-wa-log][data-type=manual]").waitFor({ timeout: 15_000 });
      expect(await history.innerText()).toContain("WIB");
      await shot(page, "customer-wa-history-light-desktop");
    } finally {
      await context.close();
    }

    const adminContext = await newContext(browser, { viewport: DESKTOP });
    const adminPage = await adminContext.newPage();
    try {
      await login(adminPage, SUPERADMIN);
      await openApp(adminPage, `/customers/${customerIds[other]}`);
      await adminPage.click("[data-testid=customer-send-wa]");
      const sender = adminPage.locator("[data-testid=wa-sender]");
      await sender.waitFor({ timeout: 15_000 });
      expect(await sender.innerText()).toContain(`Dikirim dari nomor ${mitra.username}`);
      expect(await sender.innerText()).toContain("— terhubung");
      const text = adminPage.locator("[data-testid=wa-manual-message]");
      await expect.poll(() => text.inputValue(), { timeout: 15_000 }).toContain(other.split(" ")[0]);
      await shot(adminPage, "customer-send-wa-superadmin-light-desktop");
      await adminPage.click("[data-testid=wa-manual-send]");
      await adminPage.getByText(`Pesan ke ${other} terkirim`).waitFor({ timeout: 30_000 });
    } finally {
      await adminContext.close();
    }
  });

  it("every tab fits a phone", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/whatsapp");
      await page.locator("[data-testid=wa-status]", { hasText: "Terhubung" }).first().waitFor({ timeout: 15_000 });
      await page.locator("[data-testid=wa-simulator-badge]").first().waitFor();
      await shot(page, "whatsapp-koneksi-light-mobile");
      for (const tab of ["kirim", "antrian", "log"] as const) {
        await page.click(`[data-testid=wa-tab-${tab}]`);
        await page.waitForURL((u) => u.searchParams.get("tab") === tab);
        await shot(page, `whatsapp-${tab}-light-mobile`);
      }
      // Nothing is wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(MOBILE.width);
    } finally {
      await context.close();
    }
  });
});
