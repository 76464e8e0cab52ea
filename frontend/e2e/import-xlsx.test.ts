/**
 * The import wizard with Excel: both templates download from the wizard's links, the Excel template
 * goes back in as an .xlsx and reaches the preview, a corrupt workbook gets a clear message.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, SCREENSHOT_DIR, SUPERADMIN, launch, login, newContext, openApp } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function download(page: Page, linkText: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: linkText }).click()]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(saved!) };
}

async function openWizard(page: Page) {
  await openApp(page, "/customers");
  await page.getByRole("button", { name: "Impor CSV/Excel" }).first().click();
  await page.locator("[data-testid=import-dropzone]").waitFor();
}

describe("Excel import", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`templates download and an .xlsx reaches the preview (${theme})`, async () => {
      const context = await newContext(browser, { viewport: DESKTOP, theme });
      const page = await context.newPage();
      try {
        await login(page, SUPERADMIN);
        await openWizard(page);
        expect(await page.locator("[data-testid=import-dropzone]").innerText()).toContain("CSV atau Excel");
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `customers-import-xlsx-choose-${theme}-desktop.png`) });

        const csv = await download(page, "Unduh template CSV");
        expect(csv.name).toBe("template-import-pelanggan.csv");
        const text = csv.bytes.toString("utf8");
        expect(text.charCodeAt(0)).toBe(0xfeff); // BOM: Excel reads UTF-8
        expect(text.slice(1).split("\r\n")[0]).toBe("nama;telepon;diskon;tanggal;area;paket_nama;paket_tarif;total_bayar;nik;tanggal_register");

        const xlsx = await download(page, "Unduh template Excel");
        expect(xlsx.name).toBe("template-import-pelanggan.xlsx");
        expect(xlsx.bytes.subarray(0, 4).toString("latin1")).toBe("PK\x03\x04");

        // A corrupt workbook: the upload is refused with a message naming the problem.
        await page.locator("[data-testid=import-file]").setInputFiles({
          name: "rusak.xlsx",
          mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          buffer: Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(64, 7)]),
        });
        const error = page.locator("[data-testid=import-error]");
        await error.waitFor({ timeout: 30_000 });
        expect(await error.innerText()).toMatch(/File Excel rusak atau bukan file \.xlsx/);

        // The Excel template itself goes through validation into the preview (its example row).
        await page.locator("[data-testid=import-file]").setInputFiles({
          name: "template-import-pelanggan.xlsx",
          mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          buffer: xlsx.bytes,
        });
        await page.locator("[data-testid=import-preview]").waitFor({ timeout: 30_000 });
        const valid = Number(await page.locator("[data-testid=import-valid-count]").innerText());
        const invalid = Number(await page.locator("[data-testid=import-invalid-count]").innerText());
        expect(valid + invalid).toBe(1);
        const rows = valid ? "[data-testid=import-valid-rows]" : "[data-testid=import-error-rows]";
        const shown = await page.locator(rows).innerText();
        expect(shown).toContain("Ahmad Fauzi");
        if (valid) {
          expect(shown).toContain("0812-3456-7890"); // the phone as the UI writes phones
          expect(shown).toMatch(/Rp\u00a0[\d.]+/); // the amount held together by a no-break space
        }
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `customers-import-xlsx-preview-${theme}-desktop.png`) });
      } finally {
        await context.close();
      }
    });
  }
});
