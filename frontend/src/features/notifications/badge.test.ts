import { describe, expect, it } from "vitest";
import { daysBetween } from "@/features/dashboard/TodaySection";
import { badgeText } from "./NotificationBell";

describe("badgeText", () => {
  it("counts up to nine, then says 9+", () => {
    expect(badgeText(1)).toBe("1");
    expect(badgeText(9)).toBe("9");
    expect(badgeText(10)).toBe("9+");
  });
});

describe("daysBetween", () => {
  it("counts whole calendar days late", () => {
    expect(daysBetween("2026-11-05", "2026-12-02")).toBe(27);
    expect(daysBetween("2026-12-02", "2026-12-02")).toBe(0);
  });
});
