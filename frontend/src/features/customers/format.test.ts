import { describe, expect, it } from "vitest";
import { formatPeriod, formatPhone } from "./format";
import { exampleCsv, IMPORT_COLUMNS } from "./import-example";

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

describe("example CSV", () => {
  it("has the spec's header and rows whose totals add up", () => {
    const [header, ...rows] = exampleCsv().trim().split("\r\n");
    expect(header.split(",")).toEqual([...IMPORT_COLUMNS]);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const cells = row.split(",");
      expect(cells).toHaveLength(IMPORT_COLUMNS.length);
      const [, phone, discount, day, , , tarif, total] = cells;
      expect(phone).toMatch(/^62\d{8,13}$/);
      expect(Number(day)).toBeGreaterThanOrEqual(1);
      expect(Number(day)).toBeLessThanOrEqual(28);
      expect(Number(total)).toBe(Number(tarif) - Number(discount));
    }
  });
});

describe("formatPeriod", () => {
  it("names the month in Indonesian", () => {
    expect(formatPeriod("2026-12")).toBe("Desember 2026");
    expect(formatPeriod("2027-01")).toBe("Januari 2027");
    expect(formatPeriod("bukan")).toBe("bukan");
  });
});
