import { Ban, BellRing, Receipt } from "lucide-react";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { sentStamps, type SentStamp } from "./sent";
import type { Invoice } from "./types";

const ICONS: Record<SentStamp["kind"], typeof Receipt> = { receipt: Receipt, reminder: BellRing, isolir: Ban };

/** Under an invoice row or card: when WhatsApp delivered its receipt, reminder and isolation notice. */
export function InvoiceSentInfo({ inv, className }: { inv: Pick<Invoice, "receiptSentAt" | "reminderSentAt" | "isolirSentAt">; className?: string }) {
  const stamps = sentStamps(inv);
  if (stamps.length === 0) return null;
  return (
    <span className={cn("text-muted-foreground mt-1 block space-y-0.5 text-xs", className)} data-testid="invoice-sent-info">
      {stamps.map((s) => {
        const Icon = ICONS[s.kind];
        return (
          <span key={s.kind} className="flex items-center gap-1 whitespace-nowrap tabular-nums" title={`${s.label} via WhatsApp: ${formatDateTime(s.at)}`}>
            <Icon className="size-3 shrink-0" /> {s.text}
          </span>
        );
      })}
    </span>
  );
}
