/** What the send forms say about the number a message goes out from (always the customer's owner's, DESIGN §7). */
import { formatPhone } from "@/lib/format";
import type { WaSender } from "./types";

/** `direct`: a single send, which fails at once when the number is not connected; `paced`: a bulk send. */
export type SendMode = "direct" | "paced";

export type SenderLine = { text: string; tone: "success" | "warning" };

/** "Dikirim dari nomor mitra1 (0812-3456-7890) — terhubung" or why it will not go out. */
export function senderLine(sender: WaSender, mode: SendMode): SenderLine {
  const whose = sender.isOwn ? "Anda" : `${sender.username} · ${sender.businessName}`;
  const phone = sender.phoneNumber ? ` (${formatPhone(sender.phoneNumber)})` : "";
  const count = sender.customerCount != null && mode === "paced" ? `${sender.customerCount} pelanggan` : null;
  if (sender.connected) {
    return { text: `Dikirim dari nomor ${whose}${phone} — terhubung${count ? ` · ${count}` : ""}`, tone: "success" };
  }
  const outcome =
    mode === "direct"
      ? "pesan akan gagal dan dicatat di log"
      : `${count ?? "pelanggannya"} dilewati, tidak masuk antrian`;
  const fix = sender.isOwn ? " Hubungkan WhatsApp Anda di tab Koneksi." : ` Minta ${sender.username} menghubungkan WhatsApp-nya.`;
  return { text: `Dikirim dari nomor ${whose}${phone} — tidak terhubung: ${outcome}.${fix}`, tone: "warning" };
}
