/**
 * The customer flow end to end: a superadmin creates a mitra, a package and a customer, imports a
 * CSV with good and bad rows, then that mitra (on a phone) sees only their own customers and may
 * change only phone and discount. Names are unique per run, so reruns on one database pass.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";

const TEMPLATE = readFileSync(path.join(import.meta.dirname, "fixtures/import-pelanggan.csv"), "utf8");

/** A phone number (62…) unique to this run, so the duplicate checks never trip over older runs. */
function phoneFactory() {
  const base = String(Date.now()).slice(-8);
  let n = 0;
  return () => `6285${base}${n++}`;
}

function importCsv(area: string, run: string, nextPhone: () => string): Buffer {
  const phones = Array.from({ length: 5 }, nextPhone);
  let text = TEMPLATE.replaceAll("{{AREA}}", area).replaceAll("{{RUN}}", run);
  phones.forEach((p, i) => (text = text.replaceAll(`{{PHONE${i + 1}}}`, p)));
  return Buffer.from(text, "utf8");
}

async function selectOption(page: Page, trigger: string, option: string | RegExp) {
  await page.click(trigger);
  await page.getByRole("option", { name: option }).click();
}

async function uploadCsv(page: Page, csv: Buffer) {
  await page.locator("[data-testid=import-file]").setInputFiles({ name: "pelanggan.csv", mimeType: "text/csv", buffer: csv });
  await page.locator("[data-testid=import-preview]").waitFor({ timeout: 30_000 });
}

/** The splash may appear only after `goto` resolves, so wait for it to have come and gone. */
async function settle(page: Page) {
  await page.locator("[data-testid=splash]").waitFor({ state: "detached", timeout: 15_000 });
}

/**
 * Full-page capture once skeletons are gone. (Not the shared helper: its wait for "networkidle"
 * never settles while the realtime socket polls, which costs 30 s a shot.)
 */
async function screenshot(page: Page, name: string) {
  await settle(page);
  await page.locator("[aria-busy=true]").first().waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Viewport-only capture, for open dialogs and sheets (a full-page shot would stretch the overlay). */
async function overlayShot(page: Page, name: string) {
  await settle(page);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const run = unique("r");
const nextPhone = phoneFactory();
const mitra = {
  username: unique("mitra_cust_"),
  password: "Rahasia123!",
  name: unique("Pemilik "),
  businessName: unique("Net Uji "),
};
const pkg = { name: unique("Paket Flow "), price: 180_000 };
const customer = { name: unique("Pelanggan Flow "), phone: "0812-7777-0001", discount: 25_000 };

describe("customer flow", () => {
  it("superadmin creates a mitra, a package and a customer, then imports a CSV", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);

      // Mitra with a unique business name (= area).
      await openApp(page, "/admin/mitra");
      await page.getByRole("button", { name: "Tambah Mitra" }).first().click();
      await page.fill("#mitra-username", mitra.username);
      await page.fill("#mitra-password", mitra.password);
      await page.fill("#mitra-name", mitra.name);
      await page.fill("#mitra-businessName", mitra.businessName);
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.getByText(`Mitra ${mitra.name} berhasil ditambahkan`).waitFor();

      // Package.
      await openApp(page, "/admin/packages");
      await page.getByRole("button", { name: "Tambah Paket" }).first().click();
      await page.fill("#package-name", pkg.name);
      await page.fill("#package-speed", "15 Mbps");
      await page.locator("#package-price").pressSequentially(String(pkg.price));
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.locator("[data-testid=package-table] tr", { hasText: pkg.name }).waitFor();

      // Customer for the new mitra, with a live total preview.
      await openApp(page, "/customers");
      await page.locator("[data-testid=customer-table]").waitFor();
      await page.getByRole("button", { name: "Tambah Pelanggan" }).first().click();
      await selectOption(page, "#customer-ownerId", new RegExp(mitra.businessName));
      await selectOption(page, "#customer-packageId", new RegExp(pkg.name));
      await page.fill("#customer-name", customer.name);
      await page.fill("#customer-billingDate", "5");
      // The server's field error lands under the phone input.
      await page.fill("#customer-phone", "12345");
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.locator("#customer-phone-error", { hasText: "Nomor telepon tidak valid" }).waitFor();
      expect(await page.getAttribute("#customer-phone", "aria-invalid")).toBe("true");
      await page.fill("#customer-phone", customer.phone);
      expect(await page.locator("#customer-phone-error").count()).toBe(0);
      await page.fill("#customer-discount", "");
      await page.locator("#customer-discount").pressSequentially(String(customer.discount));
      expect(await page.inputValue("#customer-discount")).toBe("25.000");
      expect(await page.locator("[data-testid=total-preview]").innerText()).toContain("Rp\u00a0155.000");
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.getByText(`Pelanggan ${customer.name} berhasil ditambahkan`).waitFor();
      await page.fill("input[type=search]", customer.name);
      const row = page.locator("[data-testid=customer-row]", { hasText: customer.name });
      await row.waitFor();
      const rowText = await row.innerText();
      expect(rowText).toContain("0812-7777-0001"); // stored as 6281277770001, shown the local way
      expect(rowText).toContain(mitra.businessName);
      expect(rowText).toContain("Tgl 5");
      expect(rowText).toContain("Rp\u00a0155.000");
      expect(rowText).toContain("Aktif");

      // CSV import: 3 valid rows for the new mitra, 4 rows with errors.
      await page.getByRole("button", { name: "Impor CSV" }).click();
      await page.locator("[data-testid=import-dropzone]").waitFor();
      // A file without the required columns: the job fails and says which columns are missing.
      await page.locator("[data-testid=import-file]").setInputFiles({
        name: "salah.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("nama,telepon\nBudi,6281234567890\n"),
      });
      const importError = page.locator("[data-testid=import-error]");
      await importError.waitFor({ timeout: 30_000 });
      expect(await importError.innerText()).toMatch(/Kolom wajib tidak ditemukan: diskon, tanggal, area/);
      await page.getByRole("button", { name: "Pilih file lain" }).waitFor();
      await overlayShot(page, "customers-import-error-light-desktop");
      await uploadCsv(page, importCsv(mitra.businessName, run, nextPhone));
      expect(await page.locator("[data-testid=import-valid-count]").innerText()).toBe("3");
      expect(await page.locator("[data-testid=import-invalid-count]").innerText()).toBe("4");
      const errors = await page.locator("[data-testid=import-error-rows]").innerText();
      expect(errors).toContain(`Area Tidak Ada ${run}`); // unknown area
      expect(errors).toMatch(/tidak sama dengan harga Paket 10 Mbps/); // tarif mismatch
      expect(errors).toMatch(/Nomor telepon tidak valid/); // bad phone
      expect(errors).toMatch(/sama dengan baris 2/); // duplicate inside the file
      for (const line of ["5", "6", "7", "8"]) {
        await page.locator("[data-testid=import-error-rows] tr", { has: page.locator(`td:text-is("${line}")`) }).first().waitFor();
      }
      await overlayShot(page, "customers-import-preview-errors-light-desktop");
      await page.getByRole("tab", { name: /Valid/ }).click();
      expect(await page.locator("[data-testid=import-valid-rows]").innerText()).toContain("Rina Impor");
      await page.getByRole("button", { name: "Impor 3 pelanggan" }).click();
      const result = page.locator("[data-testid=import-result]");
      await result.waitFor({ timeout: 30_000 });
      expect(await result.innerText()).toContain("3 berhasil diimpor, 0 dilewati");
      await page.getByRole("button", { name: "Selesai" }).click();

      // The list was refreshed: the imported customers are there.
      await page.fill("input[type=search]", "Sari Impor");
      const imported = page.locator("[data-testid=customer-row]", { hasText: mitra.businessName });
      await imported.waitFor();

      // Isolate and re-activate from the detail page, then delete (no paid invoices, so allowed).
      await imported.getByRole("link", { name: "Sari Impor" }).click();
      await page.locator("[data-testid=customer-detail]").waitFor();
      await page.click("[data-testid=customer-isolate]");
      await page.getByRole("alertdialog").getByText("Isolir pelanggan ini?").waitFor();
      await page.getByRole("alertdialog").getByRole("button", { name: "Isolir" }).click();
      await page.getByText("Sari Impor diisolir").waitFor();
      await page.getByRole("alertdialog").waitFor({ state: "detached" });
      await page.locator("[data-testid=customer-detail] [data-status=isolated]").waitFor();
      await page.click("[data-testid=customer-isolate]");
      await page.getByRole("alertdialog").getByText("Aktifkan kembali?").waitFor();
      await page.getByRole("alertdialog").getByRole("button", { name: "Aktifkan" }).click();
      await page.getByText("Sari Impor diaktifkan kembali").waitFor();
      await page.getByRole("alertdialog").waitFor({ state: "detached" });
      await page.locator("[data-testid=customer-detail] [data-status=active]").waitFor();
      await page.getByTestId("customer-detail").getByRole("button", { name: "Hapus", exact: true }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Hapus" }).click();
      await page.getByText("Sari Impor dihapus").waitFor();
      await page.waitForURL((u) => u.pathname === "/customers");
    } finally {
      await context.close();
    }
  });

  it("the new mitra on a phone sees only own customers and edits only phone and discount", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    // Record PATCH bodies as the app sends them (the API client sends Request objects, whose
    // streamed bodies the browser does not report to the test).
    await context.addInitScript(() => {
      const w = window as unknown as { __patches: unknown[] };
      w.__patches = [];
      const original = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        if (input instanceof Request && input.method === "PATCH") w.__patches.push(await input.clone().json().catch(() => null));
        return original(input, init);
      };
    });
    const page = await context.newPage();
    try {
      await login(page, { username: mitra.username, password: mitra.password });
      await page.locator("[data-testid=bottom-nav]").getByRole("link", { name: "Pelanggan" }).click();
      await page.waitForURL("**/customers");
      const cards = page.locator("[data-testid=customer-card]");
      await cards.first().waitFor();
      const names = (await cards.allInnerTexts()).join("\n");
      expect(await cards.count()).toBe(3);
      for (const n of [customer.name, "Rina Impor", "Joko Impor"]) expect(names).toContain(n);
      expect(names).not.toContain("Sari Impor"); // deleted by the superadmin
      expect(names).not.toContain("Ahmad Fauzi");
      // Not even by searching for mitra1's customer.
      await page.fill("input[type=search]", "Ahmad Fauzi");
      await page.getByText("Pelanggan tidak ditemukan").waitFor();
      await page.fill("input[type=search]", "");
      await cards.nth(2).waitFor();
      await screenshot(page, "customers-list-mitra-light-mobile");

      // Swipe the card left: quick actions appear; "Detail" opens the customer's page.
      const card = cards.filter({ hasText: customer.name });
      const box = (await card.boundingBox())!;
      const cdp = await context.newCDPSession(page);
      const y = box.y + box.height / 2;

      // Long press opens the action menu and does not open the customer.
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: box.x + 60, y }] });
      await page.waitForTimeout(700);
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      const menu = page.getByRole("menu");
      await menu.waitFor();
      expect(await menu.innerText()).toMatch(/Detail[\s\S]*Edit/);
      expect(await menu.innerText()).not.toContain("Hapus");
      await page.keyboard.press("Escape");
      await menu.waitFor({ state: "detached" });
      expect(new URL(page.url()).pathname).toBe("/customers");
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: box.x + box.width - 20, y }] });
      for (let i = 1; i <= 10; i++) {
        await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: box.x + box.width - 20 - i * 20, y }] });
      }
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      await card.locator("[data-swipe-open]").waitFor();
      await page.waitForTimeout(300);
      await screenshot(page, "customers-swipe-actions-mitra-light-mobile");
      expect(await card.getByRole("button", { name: "Isolir" }).count()).toBe(0); // superadmin only
      await card.getByRole("button", { name: "Detail" }).click();

      // Detail page, then the edit sheet: only phone and discount are editable.
      await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
      await page.locator("[data-testid=customer-detail]").waitFor();
      expect(await page.locator("[data-testid=customer-total]").innerText()).toBe("Rp\u00a0155.000");
      await page.getByText("Belum ada tagihan").waitFor();
      await page.locator("[data-testid=customer-send-wa]").waitFor();
      expect(await page.getByRole("button", { name: /Isolir|Hapus/ }).count()).toBe(0);
      await screenshot(page, "customer-detail-mitra-light-mobile");

      await page.click("[data-testid=customer-edit]");
      await page.locator("[data-testid=mitra-edit-note]").waitFor();
      expect(await page.locator("[data-testid=mitra-edit-note]").innerText()).toContain(
        "Hanya nomor telepon dan diskon yang dapat diubah oleh mitra",
      );
      for (const id of ["customer-name", "customer-nik", "customer-packageId", "customer-billingDate", "customer-address", "customer-registerDate", "customer-notes", "customer-area"]) {
        expect(await page.locator(`#${id}`).isDisabled(), id).toBe(true);
      }
      expect(await page.locator("#customer-ownerId").count()).toBe(0);
      expect(await page.locator("#customer-status").count()).toBe(0);
      expect(await page.locator("#customer-phone").isEditable()).toBe(true);
      expect(await page.locator("#customer-discount").isEditable()).toBe(true);
      await overlayShot(page, "customer-edit-mitra-light-mobile");

      await page.fill("#customer-discount", "");
      await page.locator("#customer-discount").pressSequentially("50000");
      expect(await page.locator("[data-testid=total-preview]").innerText()).toContain("Rp\u00a0130.000");
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.getByText("Perubahan pelanggan disimpan").waitFor();
      // Only the changed discount went to the server, nothing a mitra may not touch.
      expect(await page.evaluate(() => (window as unknown as { __patches: unknown[] }).__patches)).toEqual([{ discount: 50_000 }]);
      await page.locator("[data-testid=customer-total]", { hasText: "Rp 130.000" }).waitFor();
      expect(await page.locator("[data-testid=customer-discount]").innerText()).toContain("Rp\u00a050.000");

      // A mitra adds a customer of their own with the FAB (no owner choice, no status).
      const added = unique("Baru Mitra ");
      await page.getByRole("button", { name: "Pelanggan" }).first().click(); // back link
      await page.waitForURL("**/customers");
      await page.getByRole("button", { name: "Tambah Pelanggan" }).click();
      await page.locator("[data-testid=customer-form]").waitFor();
      expect(await page.locator("#customer-ownerId").count()).toBe(0);
      await page.fill("#customer-name", added);
      await page.fill("#customer-phone", "+62 813 1111 2222");
      await selectOption(page, "#customer-packageId", /Paket 20 Mbps/);
      await page.fill("#customer-billingDate", "12");
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.getByText(`Pelanggan ${added} berhasil ditambahkan`).waitFor();
      const newCard = cards.filter({ hasText: added });
      await newCard.waitFor();
      expect(await newCard.innerText()).toContain("0813-1111-2222");
      expect(await cards.count()).toBe(4);
    } finally {
      await context.close();
    }
  });
});

describe("customer with a paid invoice", () => {
  it("shows the invoice history and refuses deletion with the server's hint", async () => {
    const call = await apiAs(SUPERADMIN);
    const owners = await call<{ items: { id: string; username: string }[] }>("GET", `/api/users?q=${mitra.username}&role=mitra`);
    const ownerId = owners.items.find((u) => u.username === mitra.username)!.id;
    const { jobId } = await call<{ jobId: string }>("POST", "/api/invoices/generate", { ownerId });
    for (let i = 0; i < 60; i++) {
      const job = await call<{ state: string; error?: string }>("GET", `/api/jobs/${jobId}`);
      if (job.state === "done") break;
      if (job.state === "failed") throw new Error(job.error);
      await new Promise((r) => setTimeout(r, 500));
    }
    const found = await call<{ items: { id: string; name: string }[] }>("GET", `/api/customers?q=${encodeURIComponent(customer.name)}`);
    const customerId = found.items.find((c) => c.name === customer.name)!.id;
    const invoices = await call<{ items: { id: string; version: number; period: string }[] }>("GET", `/api/invoices?customerId=${customerId}`);
    expect(invoices.items.length).toBeGreaterThan(0);
    const invoice = invoices.items[0];
    await call("PATCH", `/api/invoices/${invoice.id}/pay`, { version: invoice.version, paymentMethod: "cash" });

    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, `/customers/${customerId}`);
      const history = page.locator("[data-testid=invoice-history]");
      await history.waitFor();
      const text = await history.innerText();
      const month = new Intl.DateTimeFormat("id-ID", { month: "long", year: "numeric", timeZone: "Asia/Jakarta" });
      expect(text).toContain(`Periode ${month.format(new Date(`${invoice.period}-15T12:00:00+07:00`))}`); // e.g. "Desember 2026"
      expect(text).toContain("Lunas");
      expect(text).toContain("Rp\u00a0130.000");
      await screenshot(page, "customer-detail-invoices-light-desktop");

      await page.getByRole("button", { name: "Hapus" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Hapus" }).click();
      const error = page.locator("[data-testid=confirm-error]");
      await error.waitFor();
      expect(await error.innerText()).toMatch(/tidak dapat dihapus.*nonaktif/s);
      await overlayShot(page, "customer-delete-refused-light-desktop");
      await page.getByRole("alertdialog").getByRole("button", { name: "Batal" }).click();
      // Still there.
      await page.locator("[data-testid=customer-detail]").waitFor();
    } finally {
      await context.close();
    }
  });
});

describe("customer screens", () => {
  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [
      ["desktop", DESKTOP],
      ["mobile", MOBILE],
    ] as const) {
      it(`superadmin: list, detail, edit and import preview (${theme}, ${device})`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        const suffix = `${theme}-${device}`;
        try {
          await login(page, SUPERADMIN);
          await openApp(page, "/customers");
          const item = page.locator(device === "desktop" ? "[data-testid=customer-row]" : "[data-testid=customer-card]");
          await item.first().waitFor();
          await screenshot(page, `customers-list-${suffix}`);

          if (device === "mobile") {
            await page.getByRole("button", { name: "Filter dan urutkan" }).click();
            await page.getByText("Filter & urutkan").waitFor();
            await page.waitForTimeout(400);
            await overlayShot(page, `customers-filter-sheet-${suffix}`);
            await page.keyboard.press("Escape");
          }

          await openApp(page, `/customers?q=${encodeURIComponent(customer.name)}`);
          await item.first().waitFor();
          await item.first().click();
          await page.locator("[data-testid=customer-detail]").waitFor();
          await screenshot(page, `customer-detail-${suffix}`);

          await page.click("[data-testid=customer-edit]");
          await page.locator("[data-testid=customer-form]").waitFor();
          await page.waitForTimeout(300);
          await overlayShot(page, `customer-edit-${suffix}`);
          await page.keyboard.press("Escape");

          await openApp(page, "/customers");
          await item.first().waitFor();
          await page.getByRole("button", { name: "Impor CSV" }).click();
          await page.locator("[data-testid=import-dropzone]").waitFor();
          await page.waitForTimeout(300);
          await overlayShot(page, `customers-import-choose-${suffix}`);
          const csv = importCsv(mitra.businessName, run, nextPhone);
          if (device === "desktop") {
            // Drag and drop onto the drop zone.
            const dataTransfer = await page.evaluateHandle((text) => {
              const dt = new DataTransfer();
              dt.items.add(new File([text], "seret.csv", { type: "text/csv" }));
              return dt;
            }, csv.toString("utf8"));
            await page.dispatchEvent("[data-testid=import-dropzone]", "drop", { dataTransfer });
            await page.locator("[data-testid=import-preview]").waitFor({ timeout: 30_000 });
            expect(await page.getByRole("dialog").innerText()).toContain("seret.csv");
          } else {
            await uploadCsv(page, csv);
          }
          await overlayShot(page, `customers-import-preview-${suffix}`);
        } finally {
          await context.close();
        }
      });
    }
  }
});
