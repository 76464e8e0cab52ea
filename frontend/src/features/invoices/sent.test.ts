import { describe, expect, it } from "vitest";
import { sentStamps } from "./sent";

describe("sentStamps", () => {
  it("lists what WhatsApp delivered, newest first, in WIB", () => {
    const stamps = sentStamps({
      reminderSentAt: "2026-11-23T23:05:00Z", // 24 Nov 06:05 WIB
      receiptSentAt: "2026-11-24T10:37:00Z", // 24 Nov 17:37 WIB
      isolirSentAt: null,
    });
    expect(stamps.map((s) => s.text)).toEqual(["Nota terkirim 24 Nov, 17:37", "Pengingat terkirim 24 Nov, 06:05"]);
  });

  it("is empty when nothing was delivered", () => {
    expect(sentStamps({ receiptSentAt: null, reminderSentAt: undefined, isolirSentAt: null })).toEqual([]);
  });

  it("names the isolation notice", () => {
    expect(sentStamps({ isolirSentAt: "2026-11-25T01:00:00Z" })[0]).toMatchObject({ kind: "isolir", text: "Info isolir terkirim 25 Nov, 08:00" });
  });
});
