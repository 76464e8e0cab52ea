/**
 * Finance pages: /finance month/year/date views, /finance/report downloading the recap as XLSX and
 * CSV (files read back: CSV header and summary rows, XLSX a zip), the superadmin's other exports,
 * /admin/finance per mitra, and screenshots of all three. Setup is idempotent (next month's
 * invoices), nothing is left changed, so reruns on one database pass.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL, DESKTOP, MITRA, MOBILE, SUPERADMIN, apiAs, chartDrawn, launch, login, newContext, openApp, screenshot } from "./helpers";

async function ensureInvoices() {
  const admin = await apiAs(SUPERADMIN);
  const { jobId } = await admin<{ jobId: string }>("POST", "/api/invoices/generate", {});
  for (let i = 0; i < 60; i++) {
    const job = await admin<{ state: string; error: string | null }>("GET", `/api/jobs/${jobId}`);
    if (job.state === "done") return;
    if (job.state === "failed") throw new Error(`generation failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("generation did not finish");
}

/** Start an export with `click` and return the file the page saves by itself when the job is done. */
async function downloadFrom(page: Page, click: () => Promise<void>) {
  const download = page.waitForEvent("download", { timeout: 45_000 });
  await click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

async function pickFormat(page: Page, label: "CSV" | "Excel (.xlsx)") {
  await page.getByRole("radio", { name: label }).click();
  expect(await page.getByRole("radio", { name: label }).getAttribute("aria-checked")).toBe("true");
}

let browser: Browser;
beforeAll(async () => {
  await ensureInvoices();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("finance report downloads", () => {
  it("superadmin downloads the recap as XLSX and CSV, with the summary rows at the end", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/finance/report");
      await page.locator("[data-testid=report-form]").waitFor();
      // Default range: this month, first to last day.
      const from = await page.inputValue("#report-from");
      const to = await page.inputValue("#report-to");
      expect(from).toMatch(/^\d{4}-\d{2}-01$/);
      expect(to.slice(0, 7)).toBe(from.slice(0, 7));
      expect(await page.getByRole("button", { name: "Bulan ini" }).getAttribute("aria-pressed")).toBe("true");

      await pickFormat(page, "Excel (.xlsx)");
      const xlsx = await downloadFrom(page, () => page.click("[data-testid=report-download]"));
      expect(xlsx.name).toMatch(/\.xlsx$/);
      expect(xlsx.bytes.length).toBeGreaterThan(100);
      expect(xlsx.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
      const status = page.locator("[data-testid=report-form] [data-testid=export-status]");
      expect(await status.getAttribute("data-state")).toBe("done");
      expect(await status.innerText()).toContain("Selesai");
      await status.getByRole("progressbar").waitFor();
      await screenshot(page, "finance-report-done-light-desktop");

      // "Unduh lagi" fetches the same file again without a new job.
      const again = await downloadFrom(page, () => page.click("[data-testid=export-download-again]"));
      expect(again.name).toBe(xlsx.name);
      expect(again.bytes.equals(xlsx.bytes)).toBe(true);

      await pickFormat(page, "CSV");
      const csv = await downloadFrom(page, () => page.click("[data-testid=report-download]"));
      expect(csv.name).toMatch(/\.csv$/);
      const text = csv.bytes.toString("utf8").replace(/^\uFEFF/, "");
      const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
      // `;` separated: Excel set to Indonesian splits on `;` (a `,` file opened as one column).
      expect(lines[0].split(";").slice(0, 3)).toEqual(["Nama", "Telepon", "Area"]);
      for (const column of ["Paket", "Jatuh Tempo", "Total", "Status", "Tanggal Bayar", "Dicatat Oleh"]) {
        expect(lines[0].split(";")).toContain(column);
      }
      // The summary block closes the file: a "Ringkasan" heading, then Total / Terbayar / Belum Terbayar.
      const block = lines.slice(lines.findIndex((l) => l.startsWith("Ringkasan")) + 1);
      expect(block.length).toBeGreaterThanOrEqual(3);
      const summary = Object.fromEntries(block.map((l) => [l.split(";")[0], l.split(";").slice(1).map(Number)]));
      expect(Object.keys(summary).slice(0, 3)).toEqual(["Total", "Terbayar", "Belum Terbayar"]);
      // Total = paid + unpaid, in count and in Rupiah.
      expect(summary.Total[0]).toBe(summary.Terbayar[0] + summary["Belum Terbayar"][0]);
      expect(summary.Total[1]).toBe(summary.Terbayar[1] + summary["Belum Terbayar"][1]);
      // The page's summary cards show the same total.
      const cardTotal = (await page.locator("[data-testid=money-total]").innerText()).match(/Rp\u00a0([\d.]+)/)![1];
      expect(Number(cardTotal.replaceAll(".", ""))).toBe(summary.Total[1]);
    } finally {
      await context.close();
    }
  });

  it("superadmin exports invoices and customers too; a mitra sees only the recap", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/finance/report");
      await pickFormat(page, "CSV");
      const invoices = await downloadFrom(page, () => page.click("[data-testid=export-invoices]"));
      expect(invoices.name).toMatch(/\.csv$/);
      expect(invoices.bytes.length).toBeGreaterThan(10);
      const customers = await downloadFrom(page, () => page.click("[data-testid=export-customers]"));
      expect(customers.name).toMatch(/\.csv$/);
      expect(customers.bytes.toString("utf8")).toContain("Ahmad Fauzi");
    } finally {
      await context.close();
    }

    const phone = await newContext(browser, { viewport: MOBILE });
    const mpage = await phone.newPage();
    try {
      await login(mpage, MITRA);
      await openApp(mpage, "/finance/report");
      await mpage.locator("[data-testid=report-form]").waitFor();
      expect(await mpage.locator("[data-testid=report-other-exports]").count()).toBe(0);
      expect(await mpage.locator("[data-testid=owner-filter]").count()).toBe(0);
      await pickFormat(mpage, "CSV");
      const csv = await downloadFrom(mpage, () => mpage.click("[data-testid=report-download]"));
      const text = csv.bytes.toString("utf8");
      // A mitra's recap holds only their own area.
      expect(text).not.toContain("FiberNode Pusat");
      expect(text).toContain("Belum Terbayar");
    } finally {
      await phone.close();
    }
  });

  it("rejects an end date before the start date", async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, MITRA);
      await openApp(page, "/finance/report");
      await page.fill("#report-from", "2026-05-10");
      await page.fill("#report-to", "2026-05-01");
      await page.getByText("Tanggal akhir harus sama atau setelah tanggal mulai.").waitFor();
      expect(await page.locator("[data-testid=report-download]").isDisabled()).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe("finance views", () => {
  it("month, year and date views agree with the API", async () => {
    const admin = await apiAs(SUPERADMIN);
    const year = Number(new Intl.DateTimeFormat("en-CA", { year: "numeric", timeZone: "Asia/Jakarta" }).format(new Date()));
    const byYear = await admin<{ items: { totalAmount: number }[] }>("GET", `/api/finance/by-period?view=month&year=${year}`);
    const yearTotal = byYear.items.reduce((s, r) => s + r.totalAmount, 0);
    const rupiah = (n: number) => `Rp\u00a0${n.toLocaleString("id-ID")}`;

    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/finance");
      await page.locator("[data-testid=finance-month-table]").waitFor();
      expect(await page.locator("[data-testid=finance-month-table] tbody tr").count()).toBe(12);
      expect(await page.locator("[data-testid=money-total]").innerText()).toContain(rupiah(yearTotal));
      await chartDrawn(page, "finance-month-chart");

      await page.getByRole("tab", { name: "Per Tahun" }).click();
      await page.locator("[data-testid=finance-year-table]").waitFor();
      expect(page.url()).toContain("tab=year");
      expect(await page.locator("[data-testid=finance-year-table]").innerText()).toContain(String(year));

      // A day with invoices: the earliest due date this month.
      const month = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", timeZone: "Asia/Jakarta" }).format(new Date());
      const list = await admin<{ items: { dueDate: string }[] }>("GET", `/api/invoices?period=${nextPeriod(month)}&perPage=100&sort=dueDate`);
      const day = list.items.map((i) => i.dueDate).sort()[0];
      await page.getByRole("tab", { name: "Per Tanggal" }).click();
      await page.fill("[data-testid=finance-date]", day);
      const table = page.locator("[data-testid=due-table]");
      await table.waitFor();
      const headers = await table.locator("thead th").allInnerTexts();
      expect(headers).toEqual(["Nama Pelanggan", "Paket", "Nominal", "Status", "Tanggal Bayar", "Dicatat Oleh"]);
      const api = await admin<{ total: number; summary: { totalAmount: number } }>("GET", `/api/finance/by-date?date=${day}`);
      expect(await table.locator("tbody tr").count()).toBe(Math.min(api.total, 20));
      expect(await page.locator("[data-testid=money-total]").innerText()).toContain(rupiah(api.summary.totalAmount));
      // Survives a reload: the view lives in the URL.
      await openApp(page, page.url().replace(BASE_URL, ""));
      await page.locator("[data-testid=due-table]").waitFor();
      expect(await page.inputValue("[data-testid=finance-date]")).toBe(day);
    } finally {
      await context.close();
    }
  });

  it("admin finance lists every mitra with its collection rate", async () => {
    const admin = await apiAs(SUPERADMIN);
    const byMitra = await admin<{ items: { area: string }[] }>("GET", "/api/finance/by-mitra");
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await login(page, SUPERADMIN);
      await openApp(page, "/admin/finance");
      const table = page.locator("[data-testid=mitra-finance-table]");
      await table.waitFor();
      expect(await table.locator("tbody tr").count()).toBe(byMitra.items.length);
      expect(await table.innerText()).toContain("WiFi Sukamaju");
      expect(await table.locator("tbody [role=progressbar]").count()).toBe(byMitra.items.length);
      // Per-mitra export.
      const row = table.locator("tbody tr", { hasText: "WiFi Sukamaju" });
      const file = await downloadFrom(page, () => row.getByRole("button", { name: /Ekspor rekap/ }).click());
      expect(file.name).toMatch(/\.xlsx$/);
      expect(file.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    } finally {
      await context.close();
    }
  });
});

function nextPeriod(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

describe("finance screenshots", () => {
  const pages = [
    { name: "finance", path: "/finance", ready: "[data-testid=finance-month-chart] .recharts-wrapper > svg.recharts-surface" },
    { name: "finance-date", path: "/finance?tab=date", ready: "[data-testid=money-cards]" },
    { name: "finance-report", path: "/finance/report", ready: "[data-testid=report-form]" },
    { name: "admin-finance", path: "/admin/finance", ready: "[data-testid=money-cards]" },
  ];
  for (const theme of ["light", "dark"] as const) {
    for (const [device, viewport] of [["desktop", DESKTOP], ["mobile", MOBILE]] as const) {
      it(`${theme} ${device}`, async () => {
        const context = await newContext(browser, { viewport, theme });
        const page = await context.newPage();
        try {
          await login(page, SUPERADMIN);
          for (const p of pages) {
            await openApp(page, p.path);
            if (p.path === "/finance") await chartDrawn(page, "finance-month-chart");
            await page.locator(p.ready).first().waitFor({ timeout: 15_000 });
            await page.waitForTimeout(600);
            await screenshot(page, `${p.name}-${theme}-${device}`);
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});
