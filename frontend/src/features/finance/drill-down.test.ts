import { describe, expect, it } from "vitest";
import { monthDrillDown } from "./FinancePage";
import { currentMonth } from "./dates";

describe("finance month drill-down", () => {
  it("opens the invoice list on that due month, with the area filter", () => {
    expect(monthDrillDown("2025-03", "owner-1")).toEqual({ month: "2025-03", ownerId: "owner-1" });
    expect(monthDrillDown("2025-03")).toEqual({ month: "2025-03", ownerId: undefined });
  });

  it("leaves the month out for this month (the list's default) and does not drill from a year row", () => {
    expect(monthDrillDown(currentMonth())).toEqual({ month: undefined, ownerId: undefined });
    expect(monthDrillDown("2025")).toBeNull();
  });
});
