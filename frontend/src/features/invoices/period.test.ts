import { describe, expect, it } from "vitest";
import { addMonths, currentMonth, dueToday, formatMonth, formatPeriod, monthRange } from "./period";

describe("invoice months", () => {
  it("takes this month from the WIB calendar, not UTC", () => {
    // 30 Nov 2026 18:00 UTC is already 1 Dec 01:00 WIB.
    expect(currentMonth(new Date("2026-11-30T18:00:00Z"))).toBe("2026-12");
    expect(currentMonth(new Date("2026-11-30T16:00:00Z"))).toBe("2026-11");
  });

  it("steps across years", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2027-01", -1)).toBe("2026-12");
    expect(addMonths("2026-03", -15)).toBe("2024-12");
  });

  it("gives the month's first and last day, leap years included", () => {
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });

  it("names months in Indonesian", () => {
    expect(formatMonth("2026-12")).toBe("Desember 2026");
    expect(formatPeriod("2027-01")).toBe("Januari 2027 (pra-bayar)");
  });
});

describe("the due-today preset", () => {
  it("is today's month and day in WIB", () => {
    // 30 Nov 2026 18:00 UTC is 1 Dec 01:00 WIB: due today means 1 December, not 30 November.
    expect(dueToday(new Date("2026-11-30T18:00:00Z"))).toEqual({ month: "2026-12", day: 1 });
    expect(dueToday(new Date("2026-11-30T16:59:00Z"))).toEqual({ month: "2026-11", day: 30 });
  });
});
