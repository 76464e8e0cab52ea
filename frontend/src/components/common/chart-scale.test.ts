import { describe, expect, it } from "vitest";
import { niceTicks, rupiahAxis } from "./chart-scale";

describe("niceTicks", () => {
  it("covers the maximum with round steps", () => {
    expect(niceTicks(100_000)).toEqual([0, 25_000, 50_000, 75_000, 100_000]);
    expect(niceTicks(2_300_000)).toEqual([0, 1_000_000, 2_000_000, 3_000_000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
  });
  it("keeps counts whole and handles an empty series", () => {
    expect(niceTicks(1, { integer: true })).toEqual([0, 1]);
    expect(niceTicks(3, { integer: true })).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
  it("labels Rupiah compactly in Indonesian", () => {
    expect(rupiahAxis(100_000)).toBe("100\u00a0rb"); // Intl puts a no-break space before the unit
    expect(rupiahAxis(0)).toBe("0");
  });
});
