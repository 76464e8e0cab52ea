import { describe, expect, it } from "vitest";
import { senderLine } from "./sender";
import type { WaSender } from "./types";

const mitra: WaSender = {
  ownerId: "m1",
  ownerName: "Mitra Satu",
  businessName: "WiFi Sukamaju",
  username: "mitra1",
  isOwn: false,
  phoneNumber: "6281234567890",
  status: "connected",
  connected: true,
  customerCount: 3,
};

describe("senderLine", () => {
  it("names the owner's number and says it is connected", () => {
    expect(senderLine(mitra, "direct")).toEqual({
      text: "Dikirim dari nomor mitra1 · WiFi Sukamaju (0812-3456-7890) — terhubung",
      tone: "success",
    });
    expect(senderLine(mitra, "paced").text).toBe("Dikirim dari nomor mitra1 · WiFi Sukamaju (0812-3456-7890) — terhubung · 3 pelanggan");
  });

  it("warns that a single send fails when the owner's number is not connected", () => {
    const line = senderLine({ ...mitra, connected: false, status: "disconnected", phoneNumber: null }, "direct");
    expect(line.tone).toBe("warning");
    expect(line.text).toBe(
      "Dikirim dari nomor mitra1 · WiFi Sukamaju — tidak terhubung: pesan akan gagal dan dicatat di log. Minta mitra1 menghubungkan WhatsApp-nya.",
    );
  });

  it("warns that a bulk send skips that owner's customers", () => {
    expect(senderLine({ ...mitra, connected: false }, "paced").text).toContain("tidak terhubung: 3 pelanggan dilewati, tidak masuk antrian.");
  });

  it("says 'Anda' for the caller's own number and points to Koneksi", () => {
    const own = { ...mitra, isOwn: true, connected: false };
    expect(senderLine(own, "direct").text).toBe(
      "Dikirim dari nomor Anda (0812-3456-7890) — tidak terhubung: pesan akan gagal dan dicatat di log. Hubungkan WhatsApp Anda di tab Koneksi.",
    );
  });
});
