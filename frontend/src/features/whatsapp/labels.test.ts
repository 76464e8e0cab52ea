import { describe, expect, it } from "vitest";
import { FAILURE_ALERT_THRESHOLD, LOG_STATUS, cleanPhoneInput, fillName, isPaused, labelOf, waAlert } from "./labels";

const base = { reason: null, lastConnectedAt: null, workerAlive: true } as const;

describe("waAlert", () => {
  it("asks for a rescan when the phone unlinked the device", () => {
    const alert = waAlert({ ...base, status: "logged_out", reason: "Dilepas dari HP" });
    expect(alert).toMatchObject({ level: "danger", rescan: true, title: "WhatsApp keluar dari perangkat" });
    expect(alert!.description).toContain("Dilepas dari HP");
  });

  it("asks for a rescan on a ban and on an outdated client", () => {
    expect(waAlert({ ...base, status: "banned" })?.rescan).toBe(true);
    expect(waAlert({ ...base, status: "outdated" })?.rescan).toBe(true);
  });

  it("treats a dropped session that once worked as lost, but not a number never linked", () => {
    expect(waAlert({ ...base, status: "disconnected", lastConnectedAt: "2026-01-01T00:00:00Z" })?.title).toBe("Sesi WhatsApp terputus");
    expect(waAlert({ ...base, status: "disconnected" })).toBeNull();
  });

  it("stays quiet while connected unless failures pile up", () => {
    const connected = { ...base, status: "connected" as const };
    expect(waAlert(connected, FAILURE_ALERT_THRESHOLD - 1)).toBeNull();
    const alert = waAlert(connected, FAILURE_ALERT_THRESHOLD + 7);
    expect(alert).toMatchObject({ level: "warning", rescan: false });
    expect(alert!.title).toContain(String(FAILURE_ALERT_THRESHOLD + 7));
  });

  it("puts a lost session before a failure warning", () => {
    expect(waAlert({ ...base, status: "logged_out" }, 99)?.rescan).toBe(true);
  });

  it("puts a stopped WA worker before everything, with no rescan to offer", () => {
    const alert = waAlert({ ...base, status: "logged_out" }, 99, true);
    expect(alert).toMatchObject({ level: "danger", title: "WA worker tidak berjalan", rescan: false, worker: true });
    expect(waAlert(undefined, 0, true)?.worker).toBe(true);
    expect(waAlert({ ...base, status: "connected" }, 0, false)).toBeNull();
  });
});

describe("helpers", () => {
  it("fills every {nama} in a bulk message", () => {
    expect(fillName("Halo {nama}, tagihan {nama} sudah terbit", "Budi")).toBe("Halo Budi, tagihan Budi sudah terbit");
  });

  it("labels a delivered log row Terkirim and keeps unknown values as they are", () => {
    expect(labelOf(LOG_STATUS, "delivered")).toBe("Terkirim");
    expect(labelOf(LOG_STATUS, "weird")).toBe("weird");
  });

  it("keeps digits and a leading plus of a typed phone", () => {
    expect(cleanPhoneInput("+62 812-3456 7890")).toBe("+6281234567890");
  });

  it("is paused only until pausedUntil", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    expect(isPaused({ pausedUntil: "2026-03-01T11:00:00Z" }, now)).toBe(true);
    expect(isPaused({ pausedUntil: "2026-03-01T09:00:00Z" }, now)).toBe(false);
    expect(isPaused({ pausedUntil: null }, now)).toBe(false);
  });
});
