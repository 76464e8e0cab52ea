import { describe, expect, it } from "vitest";
import { addDays, addMonths, currentMonth, formatMonth, monthRange, todayWib } from "./dates";

describe("finance dates (WIB)", () => {
  it("takes today from the WIB calendar, not UTC", () => {
    // 2026-11-30 18:30 UTC is already 1 December 01:30 in Jakarta.
    const late = new Date("2026-11-30T18:30:00Z");
    expect(todayWib(late)).toBe("2026-12-01");
    expect(currentMonth(late)).toBe("2026-12");
  });

  it("steps days and months across year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2027-01", -1)).toBe("2026-12");
  });

  it("gives a month's first and last day", () => {
    expect(monthRange("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });

  it("names months in Indonesian", () => {
    expect(formatMonth("2026-11")).toBe("November 2026");
    expect(formatMonth("2027-08")).toBe("Agustus 2027");
  });
});
