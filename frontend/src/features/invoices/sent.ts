/** What WhatsApp delivered about an invoice (set by the sender on delivery, never at queueing), newest first. */
import { formatTime } from "@/lib/format";
import { formatDayMonth } from "./period";

type SentFields = { receiptSentAt?: string | null; reminderSentAt?: string | null; isolirSentAt?: string | null };
export type SentStamp = { kind: "receipt" | "reminder" | "isolir"; label: string; at: string; text: string };

const LABELS: Record<SentStamp["kind"], string> = {
  receipt: "Nota terkirim",
  reminder: "Pengingat terkirim",
  isolir: "Info isolir terkirim",
};

/** "Nota terkirim 24 Nov, 17:37" for each stamp the invoice has, newest first. */
export function sentStamps(inv: SentFields): SentStamp[] {
  const stamps: [SentStamp["kind"], string | null | undefined][] = [
    ["receipt", inv.receiptSentAt],
    ["reminder", inv.reminderSentAt],
    ["isolir", inv.isolirSentAt],
  ];
  return stamps
    .filter((s): s is [SentStamp["kind"], string] => !!s[1] && !Number.isNaN(new Date(s[1]).getTime()))
    .sort((a, b) => new Date(b[1]).getTime() - new Date(a[1]).getTime())
    .map(([kind, at]) => ({
      kind,
      label: LABELS[kind],
      at,
      text: `${LABELS[kind]} ${formatDayMonth(at)}, ${formatTime(at).replace(" WIB", "")}`,
    }));
}
