import { toast } from "sonner";
import { ApiError } from "@/lib/api";
import { pollQueueOutcome } from "./outcome";
import { fetchQueueItem } from "./queries";
import type { WaQueued } from "./types";

export const NOT_CONNECTED = "wa_not_connected";
export const isNotConnected = (e: unknown) => e instanceof ApiError && e.code === NOT_CONNECTED;

/** Toast a direct send from "queued" to its outcome, polling `GET /api/wa/queue/<id>`. */
export async function followSend(queued: WaQueued, what: string): Promise<void> {
  const id = toast.loading(`Mengirim ${what}…`);
  const outcome = await pollQueueOutcome(fetchQueueItem, queued.queueId);
  if (outcome.status === "sent") toast.success(`${what} terkirim`, { id });
  else if (outcome.status === "failed")
    toast.error(`${what} gagal dikirim`, { id, description: outcome.item?.errorMessage ?? undefined });
  else if (outcome.status === "cancelled") toast.message(`${what} dibatalkan`, { id });
  else toast.message(`${what} masih dalam antrian`, { id, description: "Lihat tab Antrian untuk hasilnya." });
}

/** Toast for a failed send request: not connected gets a way to the Koneksi tab. */
export function toastSendError(e: unknown, goToConnect?: () => void) {
  const message = e instanceof Error ? e.message : "Gagal mengirim pesan.";
  if (isNotConnected(e)) {
    toast.error("Hubungkan WhatsApp terlebih dahulu", {
      description: "Pesan tidak terkirim karena sesi WhatsApp belum terhubung.",
      action: goToConnect ? { label: "Koneksi", onClick: goToConnect } : undefined,
    });
    return;
  }
  toast.error(message);
}
