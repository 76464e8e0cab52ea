import { Checkbox } from "@/components/ui/checkbox";
import type { Selection } from "@/hooks/use-selection";
import { cn } from "@/lib/utils";

/** The row checkbox of a selectable list; its clicks never reach the row (which opens the item). */
export function RowCheckbox<T extends { id: string }>({ item, label, selection, className }: { item: T; label: string; selection: Selection<T>; className?: string }) {
  return (
    <span className={cn("inline-flex", className)} onClick={(e) => e.stopPropagation()} onTouchStart={(e) => e.stopPropagation()}>
      <Checkbox
        aria-label={`Pilih ${label}`}
        data-testid="row-select"
        checked={selection.has(item.id)}
        onCheckedChange={(v) => selection.toggle(item, v === true)}
        className="size-5 md:size-4"
      />
    </span>
  );
}

/** "Pilih semua di halaman ini": checked, unchecked or indeterminate for the rows shown. */
export function PageCheckbox<T extends { id: string }>({ items, selection }: { items: T[]; selection: Selection<T> }) {
  return (
    <Checkbox
      aria-label="Pilih semua di halaman ini"
      data-testid="page-select"
      checked={selection.pageState(items)}
      onCheckedChange={(v) => selection.setPage(items, v === true)}
    />
  );
}
