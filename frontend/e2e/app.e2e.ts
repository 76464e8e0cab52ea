import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  MITRA,
  MOBILE,
  SUPERADMIN,
  BASE_URL,
  apiAs,
  launch,
  login,
  newContext,
  openApp,
  screenshot,
  unique,
  waitForApp,
} from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("superadmin on desktop", () => {
  it("logs in, sees the dashboard, creates a package and a mitra", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await page.waitForSelector("[data-testid=dashboard-stats]");
      await expect(page.locator("[data-testid=sidebar]").isVisible()).resolves.toBe(true);
      await page.getByText("Total Pelanggan").waitFor();
      await page.getByText("Mitra", { exact: true }).first().waitFor();

      // Package: price typed with thousand separators.
      const pkgName = unique("Paket Uji ");
      await page.locator("[data-testid=sidebar]").getByRole("link", { name: "Paket" }).click();
      await page.waitForURL("**/admin/packages");
      await page.getByRole("button", { name: "Tambah Paket" }).first().click();
      await page.fill("#package-name", pkgName);
      await page.fill("#package-speed", "25 Mbps");
      await page.locator("#package-price").pressSequentially("275000");
      expect(await page.inputValue("#package-price")).toBe("275.000");
      await page.fill("#package-description", "Dibuat oleh uji browser");
      await page.getByRole("button", { name: "Simpan" }).click();
      const pkgRow = page.locator("[data-testid=package-table] tr", { hasText: pkgName });
      await pkgRow.waitFor();
      expect(await pkgRow.innerText()).toContain("Rp\u00a0275.000");

      // Mitra.
      const username = unique("mitra_e2e_");
      const name = unique("Mitra Uji ");
      await page.locator("[data-testid=sidebar]").getByRole("link", { name: "Mitra" }).click();
      await page.waitForURL("**/admin/mitra");
      await page.getByRole("button", { name: "Tambah Mitra" }).first().click();
      await page.fill("#mitra-username", username);
      await page.fill("#mitra-password", "Rahasia123!");
      await page.fill("#mitra-name", name);
      await page.fill("#mitra-phone", "0812-3456-7890");
      await page.fill("#mitra-businessName", unique("Area Uji "));
      await page.fill("#mitra-bankName", "BCA");
      await page.fill("#mitra-bankAccount", "1234567890");
      await page.fill("#mitra-bankHolder", name);
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.getByText(`Mitra ${name} berhasil ditambahkan`).waitFor();
      await page.fill("input[type=search]", username);
      await page.locator("[data-testid=mitra-table] tr", { hasText: username }).waitFor();
    } finally {
      await context.close();
    }
  });
});

describe("desktop shell", () => {
  it("remembers theme and collapsed sidebar, keeps the session over a reload, explains a refused deactivation", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await page.click("[data-testid=theme-toggle]");
      await page.click("[data-testid=sidebar-toggle]");
      expect(await page.getAttribute("[data-testid=sidebar]", "data-collapsed")).toBe("true");

      // Reload = a new app open: splash again, session restored from the refresh token.
      await openApp(page, "/admin/mitra");
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
      expect(await page.getAttribute("[data-testid=sidebar]", "data-collapsed")).toBe("true");
      expect(page.url()).toMatch(/\/admin\/mitra$/);

      // mitra1 owns customers: the server refuses (409) and the dialog says why.
      await page.fill("input[type=search]", "mitra1");
      const row = page.locator("[data-testid=mitra-table] tr", { hasText: "@mitra1" });
      await row.waitFor();
      await row.getByRole("button", { name: /Aksi untuk/ }).click();
      await page.getByRole("menuitem", { name: "Nonaktifkan" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Nonaktifkan" }).click();
      const error = page.locator("[data-testid=confirm-error]");
      await error.waitFor();
      expect((await error.innerText()).length).toBeGreaterThan(0);
      await screenshot(page, "mitra-deactivate-refused-dark-desktop");
    } finally {
      await context.close();
    }
  });
});

describe("login page", () => {
  it("shakes and marks the fields red on a wrong password", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await openApp(page, "/login");
      // An unknown username, so reruns never lock a real account.
      await page.fill("#username", unique("salah_"));
      await page.fill("#password", "bukan-password");
      await page.click("button[type=submit]");
      const card = page.locator("[data-testid=login-card]");
      await page.waitForSelector("[data-testid=login-card][data-error=true]");
      expect(await card.getAttribute("class")).toContain("animate-shake");
      expect(await page.getAttribute("#password", "aria-invalid")).toBe("true");
      expect(await page.getAttribute("#username", "aria-invalid")).toBe("true");
      const message = await page.locator("[data-testid=login-error]").innerText();
      expect(message.length).toBeGreaterThan(0);
      const border = await page.$eval("#password", (el) => getComputedStyle(el).borderColor);
      expect(border).not.toBe(await page.$eval("#username", () => getComputedStyle(document.body).borderColor));
      await screenshot(page, "login-error-light-desktop");
    } finally {
      await context.close();
    }
  });
});

describe("login lockout", () => {
  it("shows the server's lockout message with the time left (423)", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await openApp(page, "/login");
      await page.fill("#username", unique("kunci_"));
      await page.fill("#password", "salah");
      const error = page.locator("[data-testid=login-error]");
      for (let i = 0; i < 6; i++) {
        const card = await page.getAttribute("[data-testid=login-card]", "data-attempt");
        await page.click("button[type=submit]");
        // Each answer remounts the card (to replay the shake) with a new attempt number.
        await page.waitForFunction(
          (prev) => document.querySelector("[data-testid=login-card]")?.getAttribute("data-attempt") !== prev,
          card,
        );
        await error.waitFor();
        if (/\d+ menit/.test(await error.innerText())) break;
      }
      expect(await error.innerText()).toMatch(/dikunci[\s\S]*\d+ menit/);
      expect(await page.getAttribute("#password", "aria-invalid")).toBe("true");
      await screenshot(page, "login-locked-light-mobile");
    } finally {
      await context.close();
    }
  });
});

describe("security notice", () => {
  it("tells the owner once, after logging in, about failed attempts on their account", async () => {
    const admin = await apiAs(SUPERADMIN);
    const owner = { username: unique("korban_"), password: "Rahasia123!" };
    await admin("POST", "/api/users", { ...owner, name: "Korban Uji", businessName: unique("Area Korban ") });
    for (let i = 0; i < 3; i++) {
      await fetch(`${BASE_URL}/api/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: owner.username, password: `tebakan-${i}` }),
      });
    }
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, owner);
      const toast = page.locator("[data-sonner-toast]", { hasText: "percobaan login gagal" });
      await toast.waitFor({ timeout: 10_000 });
      expect(await toast.innerText()).toMatch(/Ada 3 percobaan login gagal ke akun Anda sejak login terakhir \(terakhir dari .+, .+ WIB\)/);
      await screenshot(page, "login-security-notice-light-mobile");
    } finally {
      await context.close();
    }
  });
});

describe("mitra on a phone", () => {
  it("shows the bottom navigation and no admin menu", async () => {
    const context = await newContext(browser, { viewport: MOBILE });
    const page = await context.newPage();
    try {
      await login(page, MITRA);
      const nav = page.locator("[data-testid=bottom-nav]");
      await nav.waitFor();
      expect(await nav.getByRole("link").allInnerTexts()).toEqual([
        "Dashboard",
        "Pelanggan",
        "Tagihan",
        "WhatsApp",
        "Profil",
      ]);
      expect(await page.locator("[data-testid=sidebar]").isVisible()).toBe(false);
      await page.getByText("Total Pelanggan").waitFor();
      // Mitra count is superadmin-only.
      expect(await page.locator("[data-testid=dashboard-stats]").innerText()).not.toContain("Mitra");

      await nav.getByRole("link", { name: "Profil" }).click();
      await page.waitForURL("**/profile");
      await page.getByText("Rekening pembayaran").waitFor();
      const more = await page.locator("[data-testid=more-menu]").innerText();
      for (const admin of ["Mitra", "Paket", "Pengaturan", "Keuangan Admin"]) expect(more).not.toContain(admin);

      // Typing the admin URL does not open the page either.
      await page.goto("/admin/mitra");
      await waitForApp(page);
      await page.waitForURL((u) => u.pathname === "/");
    } finally {
      await context.close();
    }
  });
});
