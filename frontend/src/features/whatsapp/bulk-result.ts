import type { WaBulkResult } from "./types";

/** Why rows were left out of a bulk send, in the words of `BulkOut.skippedReasons`. */
export const SKIP_REASON_LABELS: Record<string, string> = {
  notActive: "pelanggan tidak aktif (isolir/nonaktif)",
  noUnpaidInvoice: "tidak punya tagihan belum bayar",
  alreadyQueued: "pengingatnya sudah di antrian",
  alreadyPaid: "tagihan sudah lunas",
  sentToday: "sudah diingatkan hari ini",
  senderNotConnected: "nomor WhatsApp pemiliknya tidak terhubung",
};

/** "2 dilewati: 1 tagihan sudah lunas, 1 pengingatnya sudah di antrian" (empty when nothing was skipped). */
export function describeSkips(result: Pick<WaBulkResult, "skipped" | "skippedReasons">): string {
  if (!result.skipped) return "";
  const reasons = Object.entries(result.skippedReasons ?? {})
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n.toLocaleString("id-ID")} ${SKIP_REASON_LABELS[reason] ?? reason}`);
  return `${result.skipped.toLocaleString("id-ID")} dilewati${reasons.length ? `: ${reasons.join(", ")}` : ""}`;
}

/** "3 pesan masuk antrian · 2 dilewati: …" for the toast after a bulk send. */
export function describeBulkResult(result: WaBulkResult, what = "pesan"): string {
  const skips = describeSkips(result);
  return `${result.queued.toLocaleString("id-ID")} ${what} masuk antrian${skips ? ` · ${skips}` : ""}`;
}
