import { useQuery } from "@tanstack/react-query";
import { CalendarClock, SlidersHorizontal, X } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { ownerOptionsQueryOptions } from "@/features/customers/queries";
import { cn } from "@/lib/utils";
import { MonthPicker } from "./MonthPicker";
import { daysInMonth, dueToday } from "./period";
import type { InvoiceSort } from "./types";

export type InvoiceFilterValues = {
  /** Due-date month, `YYYY-MM`. */
  month: string;
  /** Due day within the month. */
  day?: number;
  ownerId?: string;
  sort?: InvoiceSort;
};

export const SORT_LABELS: Partial<Record<InvoiceSort, string>> = {
  dueDate: "Jatuh tempo terdekat",
  "-dueDate": "Jatuh tempo terakhir",
  customerName: "Nama A–Z",
  "-paidAt": "Baru dibayar",
  "-totalAmount": "Total terbesar",
  totalAmount: "Total terkecil",
};
export const SORTS = Object.keys(SORT_LABELS) as InvoiceSort[];

const ALL = "all";

type Props = {
  value: InvoiceFilterValues;
  onChange: (next: InvoiceFilterValues) => void;
  showOwner: boolean;
};

function useOwners(showOwner: boolean) {
  const owners = useQuery({ ...ownerOptionsQueryOptions(), enabled: showOwner });
  return owners.data ?? [];
}

/** Filters besides the month (which is always set). */
export function activeFilterCount(v: InvoiceFilterValues, showOwner: boolean): number {
  return [v.day, showOwner ? v.ownerId : undefined].filter((x) => x !== undefined).length;
}

/** True when the filters are exactly "due today" (WIB). */
export function isDueToday(v: InvoiceFilterValues, now: Date = new Date()): boolean {
  const today = dueToday(now);
  return v.month === today.month && v.day === today.day;
}

/** "Jatuh tempo hari ini": one tap to today's due date on the WIB calendar; again to drop the day. */
export function DueTodayButton({ value, onChange, className }: Omit<Props, "showOwner"> & { className?: string }) {
  const on = isDueToday(value);
  return (
    <Button
      type="button"
      variant={on ? "default" : "outline"}
      size="sm"
      aria-pressed={on}
      className={className}
      data-testid="due-today"
      onClick={() => onChange(on ? { ...value, day: undefined } : { ...value, ...dueToday() })}
    >
      <CalendarClock /> Jatuh tempo hari ini
    </Button>
  );
}

/** Desktop: month, due day, area and sort inline above the table. */
export function InvoiceFiltersInline({ value, onChange, showOwner }: Props) {
  const owners = useOwners(showOwner);
  const set = (patch: Partial<InvoiceFilterValues>) => onChange({ ...value, ...patch });
  const days = daysInMonth(value.month);
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="invoice-filters">
      <DueTodayButton value={value} onChange={onChange} className="h-9" />
      <MonthPicker value={value.month} onChange={(month) => set({ month, day: undefined })} label="Bulan jatuh tempo" />
      <Select value={value.day ? String(value.day) : ALL} onValueChange={(v) => set({ day: v === ALL ? undefined : Number(v) })}>
        <SelectTrigger aria-label="Filter tanggal jatuh tempo" className="w-40">
          <SelectValue />
        </SelectTrigger>
        <SelectContent position="popper" className="max-h-72">
          <SelectItem value={ALL}>Semua tanggal</SelectItem>
          {Array.from({ length: days }, (_, i) => i + 1).map((d) => (
            <SelectItem key={d} value={String(d)}>
              Jatuh tempo tgl {d}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {showOwner && (
        <Select value={value.ownerId ?? ALL} onValueChange={(v) => set({ ownerId: v === ALL ? undefined : v })}>
          <SelectTrigger aria-label="Filter area" className="w-44">
            <SelectValue />
          </SelectTrigger>
          <SelectContent position="popper" className="max-h-72">
            <SelectItem value={ALL}>Semua area</SelectItem>
            {owners.map((o) => (
              <SelectItem key={o.id} value={o.id}>
                {o.businessName}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      )}
      {activeFilterCount(value, showOwner) > 0 && (
        <Button variant="ghost" size="sm" className="text-muted-foreground" onClick={() => onChange({ month: value.month, sort: value.sort })}>
          <X /> Reset filter
        </Button>
      )}
    </div>
  );
}

function Chip({ selected, onClick, children }: { selected: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={selected}
      onClick={onClick}
      className={cn(
        "rounded-full border px-3 py-1.5 text-sm transition-colors",
        selected ? "bg-primary text-primary-foreground border-primary" : "bg-card hover:bg-muted",
      )}
    >
      {children}
    </button>
  );
}

function ChipGroup({ label, children }: { label: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm font-medium">{label}</legend>
      <div className="flex flex-wrap gap-2">{children}</div>
    </fieldset>
  );
}

/** Mobile: a "Filter" button opening a bottom sheet of chips (month stays on the page). */
export function InvoiceFiltersSheet({ value, onChange, showOwner }: Props) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<InvoiceFilterValues>(value);
  const owners = useOwners(showOwner);
  const count = activeFilterCount(value, showOwner);
  const days = daysInMonth(value.month);
  const toggle = <K extends keyof InvoiceFilterValues>(key: K, v: InvoiceFilterValues[K]) =>
    setDraft((d) => ({ ...d, [key]: d[key] === v ? undefined : v }));

  return (
    <>
      <Button
        variant="outline"
        size="icon"
        className="relative shrink-0"
        aria-label="Filter dan urutkan"
        onClick={() => {
          setDraft(value);
          setOpen(true);
        }}
      >
        <SlidersHorizontal />
        {count > 0 && (
          <span className="bg-primary text-primary-foreground absolute -top-1.5 -right-1.5 flex size-5 items-center justify-center rounded-full text-[10px] font-semibold">
            {count}
          </span>
        )}
      </Button>
      <Sheet open={open} onOpenChange={setOpen}>
        <SheetContent side="bottom" className="max-h-[85dvh] gap-0 rounded-t-2xl">
          <div className="bg-muted mx-auto mt-2 h-1.5 w-12 shrink-0 rounded-full" aria-hidden />
          <SheetHeader className="pb-2">
            <SheetTitle>Filter & urutkan</SheetTitle>
            <SheetDescription>Tagihan yang jatuh tempo di bulan yang dipilih.</SheetDescription>
          </SheetHeader>
          <div className="grid gap-5 overflow-y-auto px-4 pb-4">
            <ChipGroup label="Cepat">
              <Chip selected={isDueToday(draft)} onClick={() => setDraft((d) => (isDueToday(d) ? { ...d, day: undefined } : { ...d, ...dueToday() }))}>
                Jatuh tempo hari ini
              </Chip>
            </ChipGroup>
            <ChipGroup label="Tanggal jatuh tempo">
              {Array.from({ length: days }, (_, i) => i + 1).map((d) => (
                <Chip key={d} selected={draft.day === d} onClick={() => toggle("day", d)}>
                  {d}
                </Chip>
              ))}
            </ChipGroup>
            {showOwner && (
              <ChipGroup label="Area">
                {owners.map((o) => (
                  <Chip key={o.id} selected={draft.ownerId === o.id} onClick={() => toggle("ownerId", o.id)}>
                    {o.businessName}
                  </Chip>
                ))}
              </ChipGroup>
            )}
            <ChipGroup label="Urutkan">
              {SORTS.map((s) => (
                <Chip key={s} selected={(draft.sort ?? "dueDate") === s} onClick={() => setDraft((d) => ({ ...d, sort: s }))}>
                  {SORT_LABELS[s]}
                </Chip>
              ))}
            </ChipGroup>
          </div>
          <SheetFooter className="pb-safe flex-row border-t pt-3">
            <Button variant="outline" className="flex-1" onClick={() => setDraft({ month: draft.month, sort: draft.sort })}>
              Reset
            </Button>
            <Button
              className="flex-1"
              onClick={() => {
                onChange(draft);
                setOpen(false);
              }}
            >
              Terapkan
            </Button>
          </SheetFooter>
        </SheetContent>
      </Sheet>
    </>
  );
}
