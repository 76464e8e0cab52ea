import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { STATUS_LABELS, type CustomerStatus } from "./types";

const STYLES: Record<CustomerStatus, string> = {
  active: "bg-accent/15 text-accent dark:text-green-400",
  isolated: "bg-warning/15 text-amber-700 dark:text-amber-400",
  inactive: "bg-muted text-muted-foreground",
};

/** Aktif (green) / Isolir (amber) / Nonaktif (grey). */
export function CustomerStatusBadge({ status, className }: { status: CustomerStatus; className?: string }) {
  return (
    <Badge data-status={status} className={cn("border-transparent", STYLES[status], className)}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
