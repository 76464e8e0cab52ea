import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

export const INVOICE_STATUS_LABELS: Record<string, string> = {
  paid: "Lunas",
  unpaid: "Belum Bayar",
  partial: "Sebagian",
};

const TONES: Record<string, string> = {
  paid: "bg-accent/15 text-accent",
  unpaid: "bg-destructive/10 text-destructive",
  partial: "bg-warning/15 text-warning",
};

export function InvoiceStatusBadge({ status, className }: { status: string | null | undefined; className?: string }) {
  const s = status ?? "unpaid";
  return (
    <Badge className={cn("border-transparent", TONES[s] ?? "bg-muted text-muted-foreground", className)}>
      {INVOICE_STATUS_LABELS[s] ?? s}
    </Badge>
  );
}
