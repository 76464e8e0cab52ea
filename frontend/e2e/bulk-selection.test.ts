/**
 * Bulk selection on the lists (issue 11): a mitra with a connected (simulated) number ticks invoices and sends
 * reminders, ticks customers and sends a WhatsApp message, both confirmed and answered with what was queued and
 * what was skipped and why. Also: the due-today preset, the finance month drill-down, the desktop side panel
 * and the phone's edge swipe back.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SUPERADMIN, apiAs, launch, login, newContext, openApp, screenshot, unique } from "./helpers";

let browser: Browser;
const mitraUser = { username: unique("mitra_bulk_"), password: "Rahasia123!", name: unique("Pemilik Bulk "), businessName: unique("Net Bulk ") };
const mitra = { username: mitraUser.username, password: mitraUser.password };
const names = ["Ani", "Budi", "Cici"].map((n) => unique(`${n} Bulk `));
const customerIds: string[] = [];

type Invoice = { id: string; version: number; customer: { name: string }; status: string; dueDate: string };

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 80; i++) {
    const v = await get();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitraUser);
  const packages = await admin<{ items: { id: string; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const packageId = packages.items.find((p) => p.isActive)!.id;
  const digits = String(Date.now()).slice(-8);
  for (const [i, name] of names.entries()) {
    const c = await admin<{ id: string }>("POST", "/api/customers", { ownerId: owner.id, packageId, name, phone: `6285${digits}${i + 1}`, billingDate: 12 });
    customerIds.push(c.id);
  }
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId: owner.id });
  await waitFor("invoices", () => admin<{ state: string }>("GET", `/api/jobs/${jobId}`), (j) => j.state === "done");

  // The mitra's number, linked by the simulator's scan.
  const asMitra = await apiAs(mitra);
  await asMitra("POST", "/api/wa/connect");
  await waitFor("QR", () => asMitra<{ qr: string | null }>("GET", "/api/wa/qr"), (q) => !!q.qr);
  await asMitra("POST", "/api/wa/simulator/scan");
  await waitFor("connected", () => asMitra<{ status: string }>("GET", "/api/wa/status"), (s) => s.status === "connected");

  // One of the three invoices is paid already: a reminder for it must be skipped.
  const page = await asMitra<{ items: Invoice[] }>("GET", "/api/invoices?perPage=100");
  const paid = page.items.find((inv) => inv.customer.name === names[2])!;
  await asMitra("PATCH", `/api/invoices/${paid.id}/pay`, { version: paid.version, paymentMethod: "cash" });
});

afterAll(async () => {
  await browser?.close();
});

async function selectionCount(page: Page): Promise<string> {
  return page.locator("[data-testid=selection-count]").innerText();
}

describe("bulk selection", () => {
  it("ticks invoices and sends reminders, then ticks customers and sends a WhatsApp message", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      const invoices = await apiAs(mitra).then((api) => api<{ items: Invoice[] }>("GET", "/api/invoices?perPage=100"));
      const month = invoices.items[0]!.dueDate.slice(0, 7);
      await openApp(page, `/invoices?month=${month}`);
      await page.locator("[data-testid=invoice-row]").nth(2).waitFor();

      // One row, then the whole page.
      await page.locator("[data-testid=invoice-row]", { hasText: names[0] }).locator("[data-testid=row-select]").click();
      expect(await selectionCount(page)).toBe("1 dipilih");
      await page.locator("[data-testid=page-select]").click();
      expect(await selectionCount(page)).toBe("3 dipilih");
      await screenshot(page, "bulk-invoices-selected-light-desktop");

      await page.locator("[data-testid=selection-bar] [data-testid=bulk-remind]").click();
      const dialog = page.getByRole("alertdialog");
      await dialog.getByText("Kirim pengingat untuk 2 tagihan belum bayar?").waitFor();
      expect(await dialog.innerText()).toContain("1 tagihan yang sudah lunas dilewati");
      await dialog.getByRole("button", { name: "Kirim bertahap" }).click();
      await page.getByText("2 pengingat masuk antrian").waitFor({ timeout: 15_000 });
      await page.locator("[data-testid=selection-bar]").waitFor({ state: "detached" });

      // Again: both are planned (or, if the simulator was quick, sent today) already, and the answer says so.
      await page.locator("[data-testid=page-select]").click();
      await page.locator("[data-testid=selection-bar] [data-testid=bulk-remind]").click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Kirim bertahap" }).click();
      await page.getByText(/^0 pengingat masuk antrian · 2 dilewati: /).waitFor({ timeout: 15_000 });

      // Customers: all three into the bulk-send form, a free text, confirmed, the queued count shown.
      await openApp(page, "/customers");
      await page.locator("[data-testid=customer-row]").nth(2).waitFor();
      await page.locator("[data-testid=page-select]").click();
      expect(await selectionCount(page)).toBe("3 dipilih");
      await page.locator("[data-testid=selection-bar] [data-testid=bulk-whatsapp]").click();
      const form = page.locator("[data-testid=wa-bulk-form]");
      await form.waitFor();
      await form.getByRole("radio", { name: /Pelanggan terpilih/ }).getByText("3 dipilih").waitFor();
      await page.click("#wa-bulk-template");
      await page.getByRole("option", { name: "Pesan bebas" }).click();
      await page.fill("#wa-bulk-message", "Halo {nama}, jaringan dirawat malam ini.");
      await form.getByTestId("wa-bulk-send").click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Kirim bertahap" }).click();
      await form.getByTestId("wa-bulk-result").getByText("3 pesan masuk antrian").waitFor({ timeout: 15_000 });
      await screenshot(page, "bulk-customers-whatsapp-light-desktop");
    } finally {
      await context.close();
    }
  });

  it("opens a customer beside the list on a desktop, and the full page from a direct link", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/customers");
      await page.locator("[data-testid=customer-row]", { hasText: names[0] }).click();
      await page.waitForURL((u) => u.pathname === `/customers/${customerIds[0]}`);
      const panel = page.locator("[data-testid=customer-panel]");
      await panel.locator("[data-testid=customer-name]", { hasText: names[0] }).waitFor();
      expect(await page.locator("[data-testid=customer-table]").isVisible()).toBe(true);
      await screenshot(page, "customer-side-panel-light-desktop");

      // Another customer replaces it; back returns to the list alone.
      await page.locator("[data-testid=customer-row]", { hasText: names[1] }).click();
      await panel.locator("[data-testid=customer-name]", { hasText: names[1] }).waitFor();
      await page.goBack();
      await page.waitForURL((u) => u.pathname === "/customers");
      await panel.waitFor({ state: "detached" });

      await openApp(page, `/customers/${customerIds[1]}`);
      await page.locator("[data-testid=customer-name]", { hasText: names[1] }).waitFor();
      expect(await page.locator("[data-testid=customer-table]").count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("filters invoices due today and drills down from a finance month", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/invoices");
      await page.click("[data-testid=due-today]");
      const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
      await page.waitForURL((u) => u.searchParams.get("day") === String(Number(today.slice(8, 10))));
      expect(await page.locator("[data-testid=due-today]").getAttribute("aria-pressed")).toBe("true");

      const invoices = await apiAs(mitra).then((api) => api<{ items: Invoice[] }>("GET", "/api/invoices?perPage=100"));
      const month = invoices.items[0]!.dueDate.slice(0, 7);
      await openApp(page, `/finance?year=${month.slice(0, 4)}`);
      const label = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-15T00:00:00Z`));
      const row = page.locator("[data-testid=finance-month-table] [data-testid=period-row]", { hasText: label });
      await row.getByTestId("drill-unpaid").click();
      await page.waitForURL((u) => u.pathname === "/invoices" && u.searchParams.get("status") === "unpaid");
      await page.locator("[data-testid=invoice-row]").nth(1).waitFor();
      expect(await page.locator("[data-testid=invoice-row]").count()).toBe(2);
      await page.goBack();
      await row.click();
      await page.waitForURL((u) => u.pathname === "/invoices" && !u.searchParams.get("status"));
      await page.locator("[data-testid=invoice-row]").nth(2).waitFor();
    } finally {
      await context.close();
    }
  });

  it("goes back with an edge swipe on a phone, and ticks cards", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/customers");
      const card = page.locator("[data-testid=customer-card]", { hasText: names[0] });
      await card.locator("[data-testid=row-select]").click();
      expect(await selectionCount(page)).toBe("1 dipilih");
      // While picking, a tap on a card picks it instead of opening it.
      await page.locator("[data-testid=customer-card]", { hasText: names[1] }).getByText(names[1]).click();
      expect(await selectionCount(page)).toBe("2 dipilih");
      await screenshot(page, "bulk-customers-selected-light-mobile");
      await page.locator("[data-testid=selection-bar]").getByRole("button", { name: "Batal" }).click();

      await card.getByText(names[0]).click();
      await page.waitForURL((u) => u.pathname === `/customers/${customerIds[0]}`);
      await page.locator("[data-testid=customer-name]").waitFor();

      const cdp = await context.newCDPSession(page);
      const touch = (type: "touchStart" | "touchMove" | "touchEnd", x: number, y: number) =>
        cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
      // A vertical scroll from the edge is not a back.
      await touch("touchStart", 6, 300);
      for (const y of [340, 400, 480]) await touch("touchMove", 10, y);
      await touch("touchEnd", 10, 480);
      await page.waitForTimeout(300);
      expect(new URL(page.url()).pathname).toBe(`/customers/${customerIds[0]}`);
      // A swipe right from the edge is.
      await touch("touchStart", 6, 400);
      for (const x of [30, 80, 140, 200]) await touch("touchMove", x, 402);
      // The arrow at the edge follows the finger, fully shown once letting go goes back.
      await expect.poll(() => page.locator("[data-testid=swipe-back-cue]").evaluate((el) => getComputedStyle(el).opacity)).toBe("1");
      await touch("touchEnd", 200, 402);
      await page.waitForURL((u) => u.pathname === "/customers");
    } finally {
      await context.close();
    }
  });
});
