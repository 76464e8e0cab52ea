import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatNumber, formatTotal } from "@/lib/format";

type Props = {
  page: number;
  perPage: number;
  total: number;
  /** The API stopped counting (`totalCapped`): `total` is a lower bound, shown as "10.000+". */
  totalCapped?: boolean;
  onPageChange: (page: number) => void;
};

/** "1–20 dari 134" (or "dari 10.000+") with previous/next, for the `{items, total, totalCapped, page, perPage}` list shape. */
export function Pagination({ page, perPage, total, totalCapped = false, onPageChange }: Props) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (total <= perPage && page === 1 && !totalCapped) return null;
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = totalCapped ? page * perPage : Math.min(total, page * perPage);
  // A capped total is only "at least": there is always a next page beyond it.
  const last = !totalCapped && page >= pages;
  return (
    <div className="flex items-center justify-between gap-2 pt-3 text-sm">
      <span className="text-muted-foreground" data-testid="pagination-range">
        {formatNumber(from)}–{formatNumber(to)} dari {formatTotal(total, totalCapped)}
      </span>
      <div className="flex items-center gap-1">
        <Button variant="outline" size="icon" aria-label="Sebelumnya" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
          <ChevronLeft />
        </Button>
        <span className="px-2 tabular-nums">
          {formatNumber(page)} / {totalCapped ? `${formatNumber(pages)}+` : formatNumber(pages)}
        </span>
        <Button variant="outline" size="icon" aria-label="Berikutnya" disabled={last} onClick={() => onPageChange(page + 1)}>
          <ChevronRight />
        </Button>
      </div>
    </div>
  );
}
