import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

type Props = { rows?: number; variant?: "cards" | "table"; className?: string };

/** Placeholder while a list loads: card stack on mobile, table rows on desktop. */
export function ListSkeleton({ rows = 5, variant = "cards", className }: Props) {
  if (variant === "table") {
    return (
      <div className={cn("space-y-2", className)} aria-busy="true" aria-label="Memuat data">
        <Skeleton className="h-9 w-full" />
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full" />
        ))}
      </div>
    );
  }
  return (
    <div className={cn("space-y-3", className)} aria-busy="true" aria-label="Memuat data">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="bg-card space-y-3 rounded-xl border p-4">
          <div className="flex items-center justify-between">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-5 w-16" />
          </div>
          <Skeleton className="h-3 w-3/4" />
          <Skeleton className="h-3 w-1/3" />
        </div>
      ))}
    </div>
  );
}
