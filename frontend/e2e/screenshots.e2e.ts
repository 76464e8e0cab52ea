import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import path from "node:path";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, launch, login, newContext, openApp, screenshot, waitForApp } from "./helpers";

/** Shell pages in both themes and both form factors; invoices, finance and settings pages take their own. */
const PAGES: { name: string; path: string; ready: string }[] = [
  { name: "dashboard", path: "/", ready: "text=Total Pelanggan" },
  { name: "mitra", path: "/admin/mitra", ready: "text=WiFi Sukamaju" },
  { name: "packages", path: "/admin/packages", ready: "text=Rp " },
  { name: "profile", path: "/profile", ready: "text=Ubah password" },
  { name: "whatsapp", path: "/whatsapp", ready: "text=Nomor WhatsApp" },
];

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const variants = [
  { theme: "light", device: "desktop", viewport: DESKTOP },
  { theme: "dark", device: "desktop", viewport: DESKTOP },
  { theme: "light", device: "mobile", viewport: MOBILE },
  { theme: "dark", device: "mobile", viewport: MOBILE },
] as const;

describe("screenshots", () => {
  for (const v of variants) {
    it(`${v.theme} ${v.device}`, { timeout: 240_000 }, async () => {
      const context = await newContext(browser, { viewport: v.viewport, theme: v.theme });
      const page = await context.newPage();
      try {
        await page.goto("/login");
        await page.waitForSelector("[data-testid=splash]");
        await page.waitForTimeout(1200); // mid-animation: logo in, not yet fading
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `splash-${v.theme}-${v.device}.png`) });
        await waitForApp(page);
        await screenshot(page, `login-${v.theme}-${v.device}`);
        await login(page, SUPERADMIN);
        for (const p of PAGES) {
          await openApp(page, p.path);
          await page.waitForSelector(p.ready, { timeout: 15_000 });
          await screenshot(page, `${p.name}-${v.theme}-${v.device}`);
        }
        // A form: Dialog on desktop, bottom Sheet on mobile.
        await openApp(page, "/admin/packages");
        await page.getByRole("button", { name: "Tambah Paket" }).first().click();
        await page.waitForSelector("#package-name");
        await page.waitForTimeout(600);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `package-form-${v.theme}-${v.device}.png`) });
      } finally {
        await context.close();
      }
    });
  }
});
