import { describe, expect, it } from "vitest";
import { billingDayToday } from "./CustomerFilters";

describe("the customers' due-today preset", () => {
  it("is today's WIB day of the month", () => {
    // 14 Nov 2026 17:30 UTC is already 15 Nov 00:30 WIB.
    expect(billingDayToday(new Date("2026-11-14T17:30:00Z"))).toBe(15);
    expect(billingDayToday(new Date("2026-11-14T16:30:00Z"))).toBe(14);
  });

  it("offers nothing on the 29th to 31st, when no billing date falls", () => {
    expect(billingDayToday(new Date("2026-12-31T05:00:00Z"))).toBeNull();
  });
});
