/**
 * /admin/settings: a receipt toggle changes the live preview at once, is saved and survives a
 * reload; a PNG logo uploaded in the page shows in the header straight away; leaving with unsaved
 * changes asks first; a retention window below its minimum is refused in place. Every setting
 * touched is put back at the end, so reruns on one database pass.
 */
import { crc32, deflateSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, screenshot } from "./helpers";

type Settings = Record<string, string>;

async function adminApi() {
  const call = await apiAs(SUPERADMIN);
  return (method: string, body?: unknown) => call<Settings>(method, "/api/settings", body);
}

/** A real `size`×`size` RGB PNG of one colour (content differs per run, so the stored URL does too). */
function pngOf(size: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const nikSwitch = (page: Page) => page.getByRole("switch", { name: "Tampilkan NIK" });
const previewNik = (page: Page) => page.locator("[data-testid=receipt-preview] [data-field=nik]");

let browser: Browser;
let settingsApi: Awaited<ReturnType<typeof adminApi>>;
let original: Settings;
const RESTORE_KEYS = ["receipt_show_nik", "receipt_show_area", "logo_url", "app_name", "retention_login_attempts_days"];

beforeAll(async () => {
  settingsApi = await adminApi();
  original = await settingsApi("GET");
  browser = await launch();
});
afterAll(async () => {
  await settingsApi?.("PATCH", Object.fromEntries(RESTORE_KEYS.map((k) => [k, original[k] ?? ""])));
  await browser?.close();
});

describe("settings", () => {
  it("a receipt toggle updates the preview live, saves, and survives a reload", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      await page.locator("[data-testid=receipt-preview]").waitFor();
      const wasOn = (await nikSwitch(page).getAttribute("aria-checked")) === "true";
      expect(await previewNik(page).count()).toBe(wasOn ? 1 : 0);

      // Off → on → off again: the preview follows each flip before anything is saved.
      await nikSwitch(page).click();
      expect(await previewNik(page).count()).toBe(wasOn ? 0 : 1);
      await nikSwitch(page).click();
      expect(await previewNik(page).count()).toBe(wasOn ? 1 : 0);
      expect(await page.getAttribute("[data-testid=settings-dirty]", "data-dirty")).toBe("false");
      await nikSwitch(page).click();
      expect(await previewNik(page).count()).toBe(wasOn ? 0 : 1);
      expect(await page.locator("[data-testid=settings-dirty]").innerText()).toContain("1 perubahan belum disimpan");

      // Leaving now asks first; staying keeps the edit.
      await page.locator("[data-testid=sidebar]").getByRole("link", { name: "Profil" }).click();
      const dialog = page.getByRole("alertdialog");
      await dialog.getByText("Tinggalkan halaman?").waitFor();
      await dialog.getByRole("button", { name: "Tetap di sini" }).click();
      expect(page.url()).toMatch(/\/admin\/settings$/);

      const saved = page.waitForResponse((r) => r.url().endsWith("/api/settings") && r.request().method() === "PATCH");
      await page.click("[data-testid=settings-save]");
      expect((await saved).status()).toBe(200);
      // The toast itself: the retention hint says "…perubahan pengaturan disimpan selamanya", which a loose
      // getByText matched at once (the wait passed before any toast, and failed in strict mode once one came).
      await page.locator("[data-sonner-toast]").getByText("Pengaturan disimpan", { exact: true }).waitFor({ timeout: 15_000 });
      expect(await page.getAttribute("[data-testid=settings-dirty]", "data-dirty")).toBe("false");
      expect((await settingsApi("GET")).receipt_show_nik).toBe(wasOn ? "false" : "true");

      await openApp(page, "/admin/settings");
      await page.locator("[data-testid=receipt-preview]").waitFor();
      expect(await nikSwitch(page).getAttribute("aria-checked")).toBe(wasOn ? "false" : "true");
      expect(await previewNik(page).count()).toBe(wasOn ? 0 : 1);
      await screenshot(page, "settings-nik-toggled-light-desktop");

      // And back, through the page.
      await nikSwitch(page).click();
      await page.click("[data-testid=settings-save]");
      await page.waitForFunction(() => document.querySelector("[data-testid=settings-dirty]")?.getAttribute("data-dirty") === "false");
      expect((await settingsApi("GET")).receipt_show_nik).toBe(wasOn ? "true" : "false");
    } finally {
      await context.close();
    }
  });

  it("shows the server's field error for a bad domain", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      await page.fill("#domain", "bukan domain!!");
      await page.click("[data-testid=settings-save]");
      await page.locator("#domain[aria-invalid=true]").waitFor();
      expect((await page.locator("[data-testid=settings-domain] [role=alert]").innerText()).length).toBeGreaterThan(0);
      expect((await settingsApi("GET")).domain).toBe(original.domain);
      // Discard, so leaving does not ask.
      await page.getByRole("button", { name: "Batalkan" }).click();
    } finally {
      await context.close();
    }
  });

  it("retention days below the minimum get the server's field error; a valid number saves", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    const field = "#retention_login_attempts_days";
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      await page.locator("[data-testid=settings-retention]").getByText("Tagihan dan pembayaran tidak pernah dihapus").waitFor();
      await page.fill(field, "3");
      await page.click("[data-testid=settings-save]");
      await page.locator(`${field}[aria-invalid=true]`).waitFor();
      expect(await page.locator(`${field}-error`).innerText()).toContain("7–3650 hari");
      expect((await settingsApi("GET")).retention_login_attempts_days).toBe(original.retention_login_attempts_days);

      await page.fill(field, "45");
      const saved = page.waitForResponse((r) => r.url().endsWith("/api/settings") && r.request().method() === "PATCH");
      await page.click("[data-testid=settings-save]");
      expect((await saved).status()).toBe(200);
      await page.waitForFunction(() => document.querySelector("[data-testid=settings-dirty]")?.getAttribute("data-dirty") === "false");
      expect((await settingsApi("GET")).retention_login_attempts_days).toBe("45");
      await page.locator("[data-testid=settings-retention]").getByText("45 hari.").waitFor();
    } finally {
      await context.close();
    }
  });

  it("an uploaded PNG logo shows in the header at once (phone)", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      const colour: [number, number, number] = [Date.now() % 256, 90, 200];
      const uploaded = page.waitForResponse((r) => r.url().endsWith("/api/settings/upload-logo"));
      await page.locator("[data-testid=upload-logo-input]").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: pngOf(48, colour) });
      const res = await uploaded;
      expect(res.status()).toBe(200);
      const { url } = (await res.json()) as { url: string };
      expect(url).toMatch(/^\/uploads\/logo-[0-9a-f]+\.webp$/);
      await page.waitForFunction((u) => document.querySelector("header img")?.getAttribute("src") === u, url, { timeout: 10_000 });
      expect(await page.getAttribute("[data-testid=preview-logo]", "src")).toBe(url);
      expect(await page.getAttribute("[data-testid=receipt-preview] [data-field=logo] img", "src")).toBe(url);
      // The header image really loads.
      expect(await page.$eval("header img", (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect((await settingsApi("GET")).logo_url).toBe(url);

      // A file the page refuses before sending it.
      await page.locator("[data-testid=upload-logo-input]").setInputFiles({ name: "logo.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
      await page.getByText("Format tidak didukung. Gunakan PNG, JPEG atau WebP.").waitFor();
      await screenshot(page, "settings-logo-uploaded-light-mobile");
    } finally {
      await context.close();
      // Put the logo back before the screenshots below.
      await settingsApi("PATCH", { logo_url: original.logo_url ?? "" });
    }
  });

  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]] as const) {
      it(`screenshot ${theme} ${device}`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        try {
          await login(page, SUPERADMIN);
          await openApp(page, "/admin/settings");
          await page.locator("[data-testid=receipt-preview]").waitFor();
          await screenshot(page, `admin-settings-${theme}-${device}`);
          if (device === "desktop") {
            // The receipt section alone: the preview beside the toggles. (On a phone it sits below them, in the full page.)
            // Sticky header and save bar would sit on top of an element capture.
            await page.addStyleTag({ content: "header, [data-testid=settings-savebar] { visibility: hidden !important; }" });
            await page.locator("[data-testid=settings-receipt]").screenshot({
              path: path.join(SCREENSHOT_DIR, `admin-settings-receipt-${theme}-${device}.png`),
            });
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});
