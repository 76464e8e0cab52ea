import { describe, expect, it } from "vitest";
import { isNewerVersion } from "./versions";

describe("isNewerVersion", () => {
  it("offers an update only when the server runs a newer release", () => {
    expect(isNewerVersion("1.3.0", "1.2.0")).toBe(true);
    expect(isNewerVersion("1.2.1", "1.2.0")).toBe(true);
    expect(isNewerVersion("2.0.0", "1.9.9")).toBe(true);
    expect(isNewerVersion("v1.10.0", "1.9.0")).toBe(true);
  });
  it("stays quiet for the same or an older server version (mid-deploy)", () => {
    expect(isNewerVersion("1.2.0", "1.2.0")).toBe(false);
    expect(isNewerVersion("1.1.9", "1.2.0")).toBe(false);
    expect(isNewerVersion(null, "1.2.0")).toBe(false);
    expect(isNewerVersion("", "1.2.0")).toBe(false);
  });
  it("falls back to 'differs' for versions it cannot parse", () => {
    expect(isNewerVersion("nightly-42", "1.2.0")).toBe(true);
  });
});
