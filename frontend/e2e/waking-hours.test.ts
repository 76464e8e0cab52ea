/**
 * Waking hours on a simulated clock (APP_ENV=e2e: PUT /api/test/wa-clock moves one number's clock, for the API
 * and its sender loop alike). A bulk send queued at 22:00 WIB is scheduled for 07:00 the next morning, the queue
 * says it waits for the send window, nothing goes out before 07:00, and it goes out once the clock reaches 07:00.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, MOBILE, SCREENSHOT_DIR, SUPERADMIN, apiAs, launch, login, newContext, openApp, unique } from "./helpers";

type Api = Awaited<ReturnType<typeof apiAs>>;
type Queue = { counts: Record<string, number>; items: { status: string; scheduledAt: string; messageType: string }[]; sendWindow: { open: boolean; opensAt: string } };

async function shot(page: Page, name: string) {
  await page.locator("[aria-busy=true]").first().waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** `YYYY-MM-DD` of the WIB day `days` after today. */
function wibDay(days: number): string {
  const wib = new Date(Date.now() + 7 * 3600_000 + days * 86_400_000);
  return wib.toISOString().slice(0, 10);
}

let browser: Browser;
let asMitra: Api;
const mitra = { username: unique("mitra_jam_"), password: "Rahasia123!", name: unique("Pemilik Jam "), businessName: unique("Net Jam ") };
const names = [unique("Wati Malam "), unique("Yudi Malam ")];
const night = `${wibDay(1)}T22:00:00+07:00`;
const morning = `${wibDay(2)}T07:00:00+07:00`;

beforeAll(async () => {
  browser = await launch();
  const admin = await apiAs(SUPERADMIN);
  const owner = await admin<{ id: string }>("POST", "/api/users", mitra);
  const packages = await admin<{ items: { id: string; isActive: boolean }[] }>("GET", "/api/packages?perPage=100");
  const packageId = packages.items.find((p) => p.isActive)!.id;
  const digits = String(Date.now()).slice(-8);
  for (const [i, name] of names.entries()) {
    await admin("POST", "/api/customers", { ownerId: owner.id, packageId, name, phone: `6287${digits}${i + 1}`, billingDate: 20 });
  }
  // Link the number through the simulator: connect, wait for its QR, play the phone's scan.
  asMitra = await apiAs({ username: mitra.username, password: mitra.password });
  await asMitra("POST", "/api/wa/connect");
  for (let i = 0; i < 120; i++) {
    const status = await asMitra<{ status: string; qr: string | null }>("GET", "/api/wa/status");
    if (status.status === "connected") break;
    if (status.qr) await asMitra("POST", "/api/wa/simulator/scan").catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
  }
  expect((await asMitra<{ status: string }>("GET", "/api/wa/status")).status).toBe("connected");
  await asMitra("PUT", "/api/test/wa-clock", { at: night });
});

afterAll(async () => {
  await asMitra?.("DELETE", "/api/test/wa-clock").catch(() => {});
  await browser?.close();
});

describe("waking hours", () => {
  it("a bulk send at 22:00 WIB waits in the queue for 07:00 and goes out then", async () => {
    const customers = await asMitra<{ items: { id: string; name: string }[] }>("GET", `/api/customers?perPage=100`);
    const ids = customers.items.filter((c) => names.includes(c.name)).map((c) => c.id);
    expect(ids).toHaveLength(2);
    const bulk = await asMitra<{ queued: number; firstAt: string }>("POST", "/api/wa/send-bulk", {
      customerIds: ids,
      template: "custom",
      message: "Besok pagi ada pemeliharaan jaringan pukul 10:00–12:00. Mohon maaf atas gangguannya.",
    });
    expect(bulk.queued).toBe(2);
    expect(Date.parse(bulk.firstAt)).toBe(Date.parse(morning));

    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/whatsapp?tab=antrian");
      const notice = page.locator("[data-testid=wa-send-window][data-open=false]");
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.innerText()).toContain("pukul 07:00–21:00 WIB");
      expect(await page.locator("[data-testid=wa-send-window-closed]").innerText()).toMatch(/2 pesan terjadwal menunggu sampai .*07:00 WIB/);
      const rows = page.locator("[data-testid=wa-queue-row]");
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      for (const text of await rows.allInnerTexts()) {
        expect(text).toContain("Menunggu");
        expect(text).toContain("Massal");
        expect(text).toMatch(/jadwal .*07:0\d WIB/);
      }
      await shot(page, "whatsapp-antrian-jam-kirim-light-desktop");

      // Several sender polls later (the loop looks every second), nothing went out at night.
      await page.waitForTimeout(6_000);
      const waiting = await asMitra<Queue>("GET", "/api/wa/queue");
      expect(waiting.counts.sent).toBe(0);
      expect(waiting.counts.pending).toBe(2);
      expect(waiting.sendWindow.open).toBe(false);

      // The clock reaches 07:00: the first message goes out at once, the second after its paced gap.
      await asMitra("PUT", "/api/test/wa-clock", { at: morning });
      await expect.poll(async () => (await asMitra<Queue>("GET", "/api/wa/queue")).counts.sent, { timeout: 60_000, interval: 1_000 }).toBe(2);
      await page.reload();
      await page.locator("[data-testid=wa-send-window][data-open=true]").waitFor({ timeout: 15_000 });
      expect(await page.locator("[data-testid=wa-send-window-closed]").count()).toBe(0);
      await page.locator("[data-testid=wa-queue-row]", { hasText: "Terkirim" }).first().waitFor({ timeout: 15_000 });
      await shot(page, "whatsapp-antrian-jam-kirim-pagi-light-desktop");
    } finally {
      await context.close();
    }
  });

  it("the superadmin sets the send window in the settings, and a window that ends before it starts is refused", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/settings");
      const section = page.locator("[data-testid=settings-send-window]");
      await section.waitFor();
      expect(await page.innerText("#wa_send_window_start")).toBe("07:00");
      expect(await page.innerText("#wa_send_window_end")).toBe("21:00");
      const choose = async (id: string, time: string) => {
        await page.click(`#${id}`);
        await page.getByRole("option", { name: time, exact: true }).click();
      };
      await choose("wa_send_window_end", "06:00");
      await page.click("[data-testid=settings-save]");
      await section.getByText("Jam selesai harus setelah jam mulai (di hari yang sama).").waitFor();
      await section.scrollIntoViewIfNeeded();
      await shot(page, "settings-jam-kirim-error-light-desktop");
      // Back to the default: nothing was stored.
      await choose("wa_send_window_end", "21:00");
      await page.waitForFunction(() => document.querySelector("[data-testid=settings-dirty]")?.getAttribute("data-dirty") === "false");
      const admin = await apiAs(SUPERADMIN);
      const saved = await admin<Record<string, string>>("GET", "/api/settings");
      expect([saved.wa_send_window_start, saved.wa_send_window_end]).toEqual(["07:00", "21:00"]);
    } finally {
      await context.close();
    }
  });

  it("the notice fits a phone", async () => {
    await asMitra("PUT", "/api/test/wa-clock", { at: night });
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, mitra);
      await openApp(page, "/whatsapp?tab=antrian");
      await page.locator("[data-testid=wa-send-window][data-open=false]").waitFor({ timeout: 15_000 });
      await shot(page, "whatsapp-antrian-jam-kirim-light-mobile");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(MOBILE.width);
    } finally {
      await context.close();
    }
  });
});
