import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api";
import { backupAlert, fetchHealth, waWorkerDown, type Health } from "./queries";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const report = (wa: string, status = "degraded"): Health => ({
  status,
  database: "ok",
  redis: "ok",
  version: "1",
  parts: { database: { status: "ok" }, redis: { status: "ok" }, wa: { status: wa, alive: 0, owned: 0 } },
});

afterEach(() => vi.unstubAllGlobals());

describe("fetchHealth", () => {
  it("takes a 503 with a report as an answer: the database is down, the rest is still said", async () => {
    const down = { ...report("unknown", "down"), database: "error: OperationalError" };
    vi.stubGlobal("fetch", vi.fn(async () => json(503, down)));
    expect(await fetchHealth()).toEqual(down);
  });

  it("fails on a 503 without a report (a proxy with no API behind it) and on a network error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("Bad gateway", { status: 503 })));
    await expect(fetchHealth()).rejects.toBeInstanceOf(ApiError);
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(fetchHealth()).rejects.toMatchObject({ status: 0 });
  });
});

describe("waWorkerDown", () => {
  it("is true only when the health report says the wa part is down", () => {
    expect(waWorkerDown(report("down"))).toBe(true);
    expect(waWorkerDown(report("ok"))).toBe(false);
    expect(waWorkerDown(report("unknown"))).toBe(false); // the database is down: not the WA worker's alarm
    expect(waWorkerDown(undefined)).toBe(false); // not answered yet
  });
});

describe("backupAlert", () => {
  const withBackup = (backup: NonNullable<Health["parts"]>["backup"]): Health => ({
    ...report("ok", "degraded"),
    parts: { ...report("ok").parts, backup },
  });

  it("warns in Indonesian when the newest good backup is over 36 hours old, with the last error", () => {
    const alert = backupAlert(
      withBackup({ status: "down", lastSuccessAt: "2026-11-29T19:30:00Z", staleAfterHours: 36, lastError: "pg_dump failed" }),
    );
    expect(alert?.title).toBe("Cadangan database lebih dari 36 jam tidak berhasil");
    expect(alert?.description).toContain("Cadangan terakhir yang berhasil: 30 November 2026, 02:30 WIB.");
    expect(alert?.lastError).toBe("pg_dump failed");
  });

  it("says when no backup ever succeeded", () => {
    expect(backupAlert(withBackup({ status: "down", lastSuccessAt: null }))?.title).toBe(
      "Cadangan database belum pernah berhasil",
    );
  });

  it("is quiet for a fresh backup, no backup recorded yet, or no answer", () => {
    expect(backupAlert(withBackup({ status: "ok", lastSuccessAt: "2026-12-01T19:30:00Z" }))).toBeNull();
    expect(backupAlert(withBackup({ status: "unknown", lastSuccessAt: null }))).toBeNull();
    expect(backupAlert(undefined)).toBeNull();
  });
});
