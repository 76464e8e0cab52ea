import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { STATUS_LABELS, type InvoiceStatus } from "./types";

const STYLES: Record<InvoiceStatus, string> = {
  paid: "bg-accent/15 text-accent dark:text-green-400",
  unpaid: "bg-destructive/12 text-destructive dark:text-red-400",
  partial: "bg-warning/15 text-amber-700 dark:text-amber-400",
};

/** Lunas (green) / Belum Bayar (red) / Sebagian (amber). */
export function InvoiceStatusBadge({ status, className }: { status: InvoiceStatus; className?: string }) {
  return (
    <Badge data-status={status} className={cn("border-transparent", STYLES[status], className)}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
