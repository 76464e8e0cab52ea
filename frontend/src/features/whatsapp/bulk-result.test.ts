import { describe, expect, it } from "vitest";
import { describeBulkResult, describeSkips } from "./bulk-result";

const base = { firstAt: null, lastAt: null };

describe("bulk send results", () => {
  it("says how many were queued and, per reason, how many were skipped", () => {
    const r = { ...base, queued: 3, skipped: 2, skippedReasons: { alreadyPaid: 1, alreadyQueued: 1 } };
    expect(describeBulkResult(r, "pengingat")).toBe(
      "3 pengingat masuk antrian · 2 dilewati: 1 tagihan sudah lunas, 1 pengingatnya sudah di antrian",
    );
  });

  it("says nothing about skips when none were skipped", () => {
    expect(describeSkips({ skipped: 0, skippedReasons: {} })).toBe("");
    expect(describeBulkResult({ ...base, queued: 1200, skipped: 0, skippedReasons: {} })).toBe("1.200 pesan masuk antrian");
  });

  it("shows an unknown reason by its code rather than hiding it", () => {
    expect(describeSkips({ skipped: 1, skippedReasons: { somethingNew: 1 } })).toBe("1 dilewati: 1 somethingNew");
  });
});
