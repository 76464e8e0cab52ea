import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

type Props = { page: number; perPage: number; total: number; onPageChange: (page: number) => void };

/** "1–20 dari 134" with previous/next, for the `{items, total, page, perPage}` list shape. */
export function Pagination({ page, perPage, total, onPageChange }: Props) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (total <= perPage && page === 1) return null;
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  return (
    <div className="flex items-center justify-between gap-2 pt-3 text-sm">
      <span className="text-muted-foreground">
        {from}–{to} dari {total}
      </span>
      <div className="flex items-center gap-1">
        <Button variant="outline" size="icon" aria-label="Sebelumnya" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          <ChevronLeft />
        </Button>
        <span className="px-2 tabular-nums">
          {page} / {pages}
        </span>
        <Button variant="outline" size="icon" aria-label="Berikutnya" disabled={page >= pages} onClick={() => onPageChange(page + 1)}>
          <ChevronRight />
        </Button>
      </div>
    </div>
  );
}
