import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { Invoice } from "./types";

/** A partial invoice's "Dibayar Rp X dari Rp Y" with a thin progress bar; nothing for unpaid or paid ones. */
export function PaidProgress({ inv, className }: { inv: Pick<Invoice, "status" | "paidAmount" | "totalAmount">; className?: string }) {
  if (inv.status !== "partial") return null;
  const percent = inv.totalAmount > 0 ? Math.min(100, Math.round((inv.paidAmount / inv.totalAmount) * 100)) : 0;
  return (
    <span className={cn("mt-1 block max-w-52 text-xs", className)} data-testid="paid-progress">
      {/* Wraps between words on a narrow card; an amount itself never splits. */}
      <span className="block tabular-nums">
        Dibayar <span className="font-medium whitespace-nowrap">{formatRupiah(inv.paidAmount)}</span> dari{" "}
        <span className="whitespace-nowrap">{formatRupiah(inv.totalAmount)}</span>
      </span>
      <span
        className="bg-muted mt-1 block h-1.5 overflow-hidden rounded-full"
        role="progressbar"
        aria-label="Bagian yang sudah dibayar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span className="block h-full rounded-full bg-amber-500" style={{ width: `${percent}%` }} />
      </span>
    </span>
  );
}
