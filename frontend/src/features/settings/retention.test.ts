import { describe, expect, it } from "vitest";
import { RETENTION_FIELDS, retentionSummary } from "./retention";

describe("retentionSummary", () => {
  it("reads whole days in the unit a person would use", () => {
    expect(retentionSummary("7")).toBe("7 hari");
    expect(retentionSummary("180")).toBe("180 hari (± 6 bulan)");
    expect(retentionSummary("365")).toBe("365 hari (± 1 tahun)");
    expect(retentionSummary("500")).toBe("500 hari (± 1,4 tahun)");
    expect(retentionSummary(" 30 ")).toBe("30 hari");
  });

  it("says that 0 keeps forever", () => {
    expect(retentionSummary("0")).toBe("Disimpan selamanya");
  });

  it("gives nothing for what is not whole days, leaving the message to the server", () => {
    for (const bad of ["", "abc", "1.5", "-3", "1e3"]) expect(retentionSummary(bad)).toBeNull();
  });
});

describe("RETENTION_FIELDS", () => {
  it("lists each retention key once, each with an Indonesian label, a hint and a minimum of a day or more", () => {
    const keys = RETENTION_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(6);
    for (const f of RETENTION_FIELDS) {
      expect(f.label.length).toBeGreaterThan(3);
      expect(f.hint.length).toBeGreaterThan(10);
      expect(f.min).toBeGreaterThanOrEqual(1);
    }
  });
});
