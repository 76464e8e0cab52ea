import { describe, expect, it } from "vitest";
import { timeAgo } from "./time-ago";

const NOW = new Date("2026-11-15T02:00:00Z");

describe("timeAgo", () => {
  it("says how long ago in Indonesian", () => {
    expect(timeAgo("2026-11-15T01:59:30Z", NOW)).toBe("baru saja");
    expect(timeAgo("2026-11-15T01:55:00Z", NOW)).toBe("5 menit yang lalu");
    expect(timeAgo("2026-11-14T23:00:00Z", NOW)).toBe("3 jam yang lalu");
    expect(timeAgo("2026-11-14T02:00:00Z", NOW)).toBe("kemarin");
    expect(timeAgo("2026-10-31T02:00:00Z", NOW)).toBe("2 minggu yang lalu");
  });
  it("is empty for a bad date", () => {
    expect(timeAgo("bukan tanggal", NOW)).toBe("");
  });
});
