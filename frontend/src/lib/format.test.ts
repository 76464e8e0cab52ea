import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateShort,
  formatDateTime,
  formatNumber,
  formatTotal,
  formatPhone,
  formatRupiah,
  formatTime,
  MONEY_SPACE,
  parseRupiah,
} from "./format";

describe("formatRupiah", () => {
  it("formats whole Rupiah with dot thousands and no decimals", () => {
    expect(formatRupiah(100000)).toBe("Rp\u00a0100.000");
    expect(formatRupiah(1250000)).toBe("Rp\u00a01.250.000");
    expect(formatRupiah(0)).toBe("Rp\u00a00");
    expect(formatRupiah(-92500)).toBe("-Rp\u00a092.500");
  });
  it("never lets an amount wrap: Rp and the number are held by a no-break space", () => {
    const text = formatRupiah(92500);
    expect(text).not.toMatch(/[ \t\u202f]/); // no breakable (or narrow) space anywhere
    expect(text.replace(MONEY_SPACE, " ")).toBe("Rp 92.500"); // still reads `Rp 92.500`
  });
  it("rounds stray fractions and shows a dash for missing values", () => {
    expect(formatRupiah(99999.6)).toBe("Rp\u00a0100.000");
    expect(formatRupiah(null)).toBe("-");
    expect(formatRupiah(undefined)).toBe("-");
  });
});

describe("formatTotal", () => {
  it("shows an exact total plainly and a capped one with a plus", () => {
    expect(formatTotal(1234)).toBe("1.234");
    expect(formatTotal(1234, false)).toBe("1.234");
    expect(formatTotal(10000, true)).toBe("10.000+");
    expect(formatTotal(0)).toBe("0");
  });
});

describe("formatNumber / parseRupiah", () => {
  it("round-trips typed amounts", () => {
    expect(formatNumber(1500000)).toBe("1.500.000");
    expect(parseRupiah("1.500.000")).toBe(1500000);
    expect(parseRupiah("Rp 250.000")).toBe(250000);
    expect(parseRupiah("")).toBeNull();
    expect(parseRupiah("abc")).toBeNull();
  });
});

describe("dates and times", () => {
  it("formats calendar dates in Indonesian", () => {
    expect(formatDate("2026-11-24")).toBe("24 November 2026");
    expect(formatDate("2026-01-01")).toBe("1 Januari 2026");
    expect(formatDateShort("2026-08-17")).toBe("17 Agu 2026");
  });
  it("uses the WIB calendar day for instants", () => {
    // 20:00 UTC on the 23rd is 03:00 WIB on the 24th.
    expect(formatDate("2026-11-23T20:00:00Z")).toBe("24 November 2026");
  });
  it("formats times in WIB", () => {
    expect(formatTime("2026-11-24T07:05:00Z")).toBe("14:05 WIB");
    expect(formatDateTime("2026-11-24T07:05:00Z")).toBe("24 November 2026, 14:05 WIB");
  });
  it("shows a dash for empty or invalid input", () => {
    expect(formatDate(null)).toBe("-");
    expect(formatDate("not a date")).toBe("-");
    expect(formatTime(undefined)).toBe("-");
  });
});

describe("formatPhone", () => {
  it("shows stored 62… numbers the local way", () => {
    expect(formatPhone("6281234567890")).toBe("0812-3456-7890");
    expect(formatPhone("628123456789")).toBe("0812-3456-789");
  });
  it("leaves anything else alone and dashes empty values", () => {
    expect(formatPhone("12345")).toBe("12345");
    expect(formatPhone(null)).toBe("-");
  });
});
