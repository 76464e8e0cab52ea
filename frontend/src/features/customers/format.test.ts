import { afterEach, describe, expect, it, vi } from "vitest";
import { formatPeriod, formatPhone } from "./format";
import { downloadImportTemplate, IMPORT_COLUMNS, importFileProblem, TEMPLATE_FILENAMES } from "./import-example";

describe("formatPhone", () => {
  it("shows a stored 62… number the local way", () => {
    expect(formatPhone("6281234567890")).toBe("0812-3456-7890");
    expect(formatPhone("628123456789")).toBe("0812-3456-789");
  });
  it("leaves anything else alone", () => {
    expect(formatPhone("12345")).toBe("12345");
    expect(formatPhone("+1 555 0100")).toBe("+1 555 0100");
  });
});

describe("import file check", () => {
  it("takes CSV and XLSX, explains .xls and anything else", () => {
    expect(importFileProblem("pelanggan.csv")).toBeNull();
    expect(importFileProblem("Pelanggan.XLSX")).toBeNull();
    expect(importFileProblem("data", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBeNull();
    expect(importFileProblem("lama.xls")).toMatch(/\.xls.*tidak didukung/);
    expect(importFileProblem("foto.png", "image/png")).toMatch(/CSV \(\.csv\) atau Excel \(\.xlsx\)/);
  });
});

describe("import template download", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(["csv", "xlsx"] as const)("fetches the %s template from the API and saves it under its name", async (format) => {
    const requests: string[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      requests.push(request.url);
      return new Response(IMPORT_COLUMNS.join(";"), { status: 200 });
    });
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    URL.createObjectURL = vi.fn(() => "blob:template");
    URL.revokeObjectURL = vi.fn();
    await downloadImportTemplate(format);
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0]).pathname).toBe("/api/customers/import/template");
    expect(new URL(requests[0]).searchParams.get("format")).toBe(format);
    expect(saved).toEqual([TEMPLATE_FILENAMES[format]]);
    click.mockRestore();
  });

  it("reports the server's message when the template is refused", async () => {
    vi.stubGlobal("fetch", async () =>
      Response.json({ error: { code: "forbidden", message: "Hanya superadmin." } }, { status: 403 }),
    );
    await expect(downloadImportTemplate("xlsx")).rejects.toThrow("Hanya superadmin.");
  });
});

describe("formatPeriod", () => {
  it("names the month in Indonesian", () => {
    expect(formatPeriod("2026-12")).toBe("Desember 2026");
    expect(formatPeriod("2027-01")).toBe("Januari 2027");
    expect(formatPeriod("bukan")).toBe("bukan");
  });
});
