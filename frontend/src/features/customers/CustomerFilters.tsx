import { useQuery } from "@tanstack/react-query";
import { CalendarClock, SlidersHorizontal, X } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { dueToday } from "@/features/invoices/period";
import { packageListQueryOptions } from "@/features/packages/queries";
import { cn } from "@/lib/utils";
import { ownerOptionsQueryOptions } from "./queries";
import { SORT_LABELS, type CustomerFilterValues } from "./sort";
import { STATUS_LABELS, type CustomerSort, type CustomerStatus } from "./types";

export { SORT_LABELS, type CustomerFilterValues } from "./sort";

const ALL = "all";
const STATUSES: CustomerStatus[] = ["active", "isolated", "inactive"];
const DAYS = Array.from({ length: 28 }, (_, i) => i + 1);

type Props = {
  value: CustomerFilterValues;
  onChange: (next: CustomerFilterValues) => void;
  showOwner: boolean;
};

function useFilterOptions(showOwner: boolean) {
  const packages = useQuery(packageListQueryOptions({ includeInactive: true, perPage: 100 }));
  const owners = useQuery({ ...ownerOptionsQueryOptions(), enabled: showOwner });
  return { packages: packages.data?.items ?? [], owners: owners.data ?? [] };
}

export function activeFilterCount(v: CustomerFilterValues, showOwner: boolean): number {
  return [v.status, v.packageId, showOwner ? v.ownerId : undefined, v.billingDate].filter((x) => x !== undefined).length;
}

/** Today's day of the month on the WIB calendar, or null on the 29th–31st (billing dates run 1–28). */
export function billingDayToday(now: Date = new Date()): number | null {
  const { day } = dueToday(now);
  return day <= 28 ? day : null;
}

/** Desktop: the filters inline above the table. */
export function CustomerFiltersInline({ value, onChange, showOwner }: Props) {
  const { packages, owners } = useFilterOptions(showOwner);
  const set = (patch: Partial<CustomerFilterValues>) => onChange({ ...value, ...patch });
  const count = activeFilterCount(value, showOwner);
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="customer-filters">
      <Select value={value.status ?? ALL} onValueChange={(v) => set({ status: v === ALL ? undefined : (v as CustomerStatus) })}>
        <SelectTrigger aria-label="Filter status" className="w-36">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>Semua status</SelectItem>
          {STATUSES.map((s) => (
            <SelectItem key={s} value={s}>
              {STATUS_LABELS[s]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Select value={value.packageId ?? ALL} onValueChange={(v) => set({ packageId: v === ALL ? undefined : v })}>
        <SelectTrigger aria-label="Filter paket" className="w-36">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>Semua paket</SelectItem>
          {packages.map((p) => (
            <SelectItem key={p.id} value={p.id}>
              {p.name}
              {!p.isActive ? " (nonaktif)" : ""}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {showOwner && (
        <Select value={value.ownerId ?? ALL} onValueChange={(v) => set({ ownerId: v === ALL ? undefined : v })}>
          <SelectTrigger aria-label="Filter area" className="w-40">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>Semua area</SelectItem>
            {owners.map((o) => (
              <SelectItem key={o.id} value={o.id}>
                {o.businessName}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      )}
      <Select
        value={value.billingDate ? String(value.billingDate) : ALL}
        onValueChange={(v) => set({ billingDate: v === ALL ? undefined : Number(v) })}
      >
        <SelectTrigger aria-label="Filter tanggal tagihan" className="w-32">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>Semua tgl</SelectItem>
          {DAYS.map((d) => (
            <SelectItem key={d} value={String(d)}>
              Tgl {d}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <DueTodayToggle value={value} onChange={onChange} />
      {count > 0 && (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => onChange({ sort: value.sort })}
          className="text-muted-foreground"
        >
          <X /> Reset filter
        </Button>
      )}
    </div>
  );
}

/** "Jatuh tempo hari ini": customers whose billing date is today (WIB). */
function DueTodayToggle({ value, onChange }: Pick<Props, "value" | "onChange">) {
  const today = billingDayToday();
  const on = today !== null && value.billingDate === today;
  return (
    <Button
      type="button"
      variant={on ? "default" : "outline"}
      size="sm"
      className="h-9"
      aria-pressed={on}
      disabled={today === null}
      title={today === null ? "Tanggal tagihan hanya 1–28" : undefined}
      data-testid="due-today"
      onClick={() => onChange({ ...value, billingDate: on ? undefined : today! })}
    >
      <CalendarClock /> Jatuh tempo hari ini
    </Button>
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

/** Mobile: a "Filter" button opening a bottom sheet of chips; applied on "Terapkan". */
export function CustomerFiltersSheet({ value, onChange, showOwner }: Props) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<CustomerFilterValues>(value);
  const { packages, owners } = useFilterOptions(showOwner);
  const count = activeFilterCount(value, showOwner);
  const toggle = <K extends keyof CustomerFilterValues>(key: K, v: CustomerFilterValues[K]) =>
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
            <SheetDescription>Pilih satu atau lebih filter.</SheetDescription>
          </SheetHeader>
          <div className="grid gap-5 overflow-y-auto px-4 pb-4">
            <ChipGroup label="Status">
              {STATUSES.map((s) => (
                <Chip key={s} selected={draft.status === s} onClick={() => toggle("status", s)}>
                  {STATUS_LABELS[s]}
                </Chip>
              ))}
            </ChipGroup>
            <ChipGroup label="Paket">
              {packages.map((p) => (
                <Chip key={p.id} selected={draft.packageId === p.id} onClick={() => toggle("packageId", p.id)}>
                  {p.name}
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
            {billingDayToday() !== null && (
              <ChipGroup label="Cepat">
                <Chip selected={draft.billingDate === billingDayToday()} onClick={() => toggle("billingDate", billingDayToday()!)}>
                  Jatuh tempo hari ini
                </Chip>
              </ChipGroup>
            )}
            <ChipGroup label="Tanggal tagihan">
              {DAYS.map((d) => (
                <Chip key={d} selected={draft.billingDate === d} onClick={() => toggle("billingDate", d)}>
                  {d}
                </Chip>
              ))}
            </ChipGroup>
            <ChipGroup label="Urutkan">
              {(Object.keys(SORT_LABELS) as CustomerSort[]).map((s) => (
                <Chip key={s} selected={(draft.sort ?? "name") === s} onClick={() => setDraft((d) => ({ ...d, sort: s }))}>
                  {SORT_LABELS[s]}
                </Chip>
              ))}
            </ChipGroup>
          </div>
          <SheetFooter className="pb-safe flex-row border-t pt-3">
            <Button variant="outline" className="flex-1" onClick={() => setDraft({ sort: draft.sort })}>
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
