import { useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { ArrowDownUp, FilePlus2, Receipt, SearchX } from "lucide-react";
import { useEffect, useState } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { Fab } from "@/components/common/Fab";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { PageHeader } from "@/components/common/PageHeader";
import { Pagination } from "@/components/common/Pagination";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { SearchInput } from "@/components/common/SearchInput";
import { SelectionBar } from "@/components/common/SelectionBar";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { meQueryOptions } from "@/features/auth/queries";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { useSelection } from "@/hooks/use-selection";
import { BulkWhatsAppButton } from "@/features/whatsapp/BulkSelectionActions";
import { cn } from "@/lib/utils";
import type { WaBulkFilter } from "@/features/whatsapp/types";
import { formatDateShort, formatTotal } from "@/lib/format";
import { BulkRemindButton, RemindSelectedButton } from "./BulkRemindButton";
import { GenerateDialog } from "./GenerateDialog";
import { useInvoiceActions } from "./InvoiceActions";
import {
  activeFilterCount,
  DueTodayButton,
  InvoiceFiltersInline,
  InvoiceFiltersSheet,
  SORT_LABELS,
  SORTS,
  type InvoiceFilterValues,
} from "./InvoiceFilters";
import { InvoiceCards, InvoiceTable } from "./InvoiceList";
import { MonthPicker } from "./MonthPicker";
import { addMonths, currentMonth, formatMonth, monthRange } from "./period";
import { invoiceCountQueryOptions, invoiceKeys, invoiceListQueryOptions, invoiceTotalQueryOptions } from "./queries";
import { STATUS_LABELS, type Invoice, type InvoiceQuery, type InvoiceSort, type InvoiceStatus } from "./types";

const PER_PAGE = 20;

export type InvoiceSearch = {
  month?: string;
  status?: InvoiceStatus;
  day?: number;
  ownerId?: string;
  q?: string;
  sort?: InvoiceSort;
  page?: number;
};

const STRIP: (InvoiceStatus | undefined)[] = [undefined, "unpaid", "paid", "partial"];

/** "Semua 120 · Belum Bayar 80 · Lunas 40" — counts of the month's invoices, doubling as the status filter. */
function StatusStrip({
  base,
  value,
  onChange,
}: {
  base: InvoiceQuery;
  value: InvoiceStatus | undefined;
  onChange: (s: InvoiceStatus | undefined) => void;
}) {
  const counts = [
    useQuery(invoiceTotalQueryOptions(base)).data,
    useQuery(invoiceTotalQueryOptions({ ...base, status: "unpaid" })).data,
    useQuery(invoiceTotalQueryOptions({ ...base, status: "paid" })).data,
    useQuery(invoiceTotalQueryOptions({ ...base, status: "partial" })).data,
  ];
  const tone: Record<string, string> = {
    all: "text-foreground",
    unpaid: "text-destructive dark:text-red-400",
    paid: "text-accent dark:text-green-400",
    partial: "text-amber-600 dark:text-amber-400",
  };
  return (
    <div role="tablist" aria-label="Status tagihan" className="-mx-4 mb-4 flex gap-2 overflow-x-auto px-4 pb-1 md:mx-0 md:px-0" data-testid="invoice-summary">
      {STRIP.map((s, i) => {
        // Partial payments are rare: only offer the tab when there are some (or it is selected).
        if (s === "partial" && !counts[i]?.total && value !== "partial") return null;
        const selected = value === s;
        return (
          <button
            key={s ?? "all"}
            type="button"
            role="tab"
            aria-selected={selected}
            data-testid={`summary-${s ?? "all"}`}
            onClick={() => onChange(s)}
            className={cn(
              "bg-card flex min-w-28 shrink-0 flex-col items-start rounded-xl border px-4 py-2.5 text-left transition-colors",
              selected ? "border-primary ring-primary/30 ring-2" : "hover:bg-muted/60",
            )}
          >
            <span className="text-muted-foreground text-xs">{s ? STATUS_LABELS[s] : "Semua tagihan"}</span>
            <span className={cn("text-xl font-semibold tabular-nums", tone[s ?? "all"])} data-testid="summary-count">
              {counts[i] === undefined ? "…" : formatTotal(counts[i]!.total, counts[i]!.capped)}
            </span>
          </button>
        );
      })}
    </div>
  );
}

export function InvoicesPage() {
  const { data: me } = useSuspenseQuery(meQueryOptions());
  const isSuperadmin = me.role === "superadmin";
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const search = useSearch({ from: "/_auth/invoices" });
  const navigate = useNavigate({ from: "/invoices" });

  const [text, setText] = useState(search.q ?? "");
  const q = useDebouncedValue(text.trim(), 350);
  const update = (patch: Partial<InvoiceSearch>) =>
    navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });

  useEffect(() => {
    if ((search.q ?? "") !== q) update({ q: q || undefined });
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps

  const thisMonth = currentMonth();
  const month = search.month ?? thisMonth;
  const range = monthRange(month);
  const dayDate = search.day ? `${month}-${String(search.day).padStart(2, "0")}` : null;
  // Unfiltered lists are slow at scale: always one due-date month (or one day of it).
  const base: InvoiceQuery = {
    from: dayDate ?? range.from,
    to: dayDate ?? range.to,
    ownerId: isSuperadmin ? search.ownerId : undefined,
    q: search.q,
  };
  const sort = search.sort ?? "dueDate";
  const list = useQuery(invoiceListQueryOptions({ ...base, status: search.status, sort, page: search.page ?? 1, perPage: PER_PAGE }));

  // Picks survive paging, not another month, filter or search.
  const selection = useSelection<Invoice>();
  const listKeyJson = JSON.stringify({ ...base, status: search.status, sort });
  useEffect(() => selection.clear(), [listKeyJson]); // eslint-disable-line react-hooks/exhaustive-deps
  const pickedCustomers = [...new Map(selection.items.map((inv) => [inv.customerId, { id: inv.customerId, name: inv.customer.name, phone: inv.customer.phone }])).values()];

  // WhatsApp reminders go to the caller's own unpaid invoices of this due month (or day).
  const remindFilter: WaBulkFilter = dayDate ? { invoiceStatus: "unpaid", dueDate: dayDate } : { invoiceStatus: "unpaid", period: addMonths(month, 1) };
  const unpaidCount = useQuery(
    invoiceCountQueryOptions({ from: base.from, to: base.to, status: "unpaid", ownerId: isSuperadmin ? me.id : undefined }),
  );
  const remindLabel = dayDate ? formatDateShort(dayDate) : formatMonth(month);
  const [generateOpen, setGenerateOpen] = useState(false);
  const { actions, dialogs } = useInvoiceActions((inv) => navigate({ to: "/customers/$id", params: { id: inv.customerId } }));

  const filters: InvoiceFilterValues = { month, day: search.day, ownerId: search.ownerId, sort: search.sort };
  const applyFilters = (f: InvoiceFilterValues) =>
    update({ month: f.month === thisMonth ? undefined : f.month, day: f.day, ownerId: f.ownerId, sort: f.sort });
  const setMonth = (m: string) => update({ month: m === thisMonth ? undefined : m, day: undefined });

  const filtered = !!search.q || !!search.status || activeFilterCount(filters, isSuperadmin) > 0;
  const items = list.data?.items ?? [];
  const monthLabel = formatMonth(month);

  return (
    <PullToRefresh onRefresh={() => queryClient.invalidateQueries({ queryKey: invoiceKeys.all })} disabled={!isMobile}>
      <PageHeader
        title="Tagihan"
        description={
          <>
            Jatuh tempo <span className="text-foreground font-medium">{monthLabel}</span>
            {month === thisMonth ? " (bulan ini)" : ""}
            <span className="hidden md:inline"> · tagihan pra-bayar untuk bulan berikutnya</span>
            {isSuperadmin ? "" : ` · ${me.businessName}`}
          </>
        }
        actions={
          isMobile ? null : (
            <div className="flex gap-2">
              <BulkRemindButton filter={remindFilter} unpaidCount={unpaidCount.data} label={remindLabel} />
              {isSuperadmin && (
                <Button onClick={() => setGenerateOpen(true)}>
                  <FilePlus2 /> Buat Tagihan
                </Button>
              )}
            </div>
          )
        }
      />

      {isMobile ? (
        <>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <MonthPicker value={month} onChange={setMonth} label="Bulan jatuh tempo" className="w-full" />
            <SearchInput
              value={text}
              onValueChange={setText}
              placeholder="Cari nama atau telepon…"
              className="min-w-0 flex-1"
              aria-label="Cari tagihan"
            />
            <InvoiceFiltersSheet value={filters} onChange={applyFilters} showOwner={isSuperadmin} />
            <DueTodayButton value={filters} onChange={applyFilters} className="h-9 flex-1" />
            <BulkRemindButton filter={remindFilter} unpaidCount={unpaidCount.data} label={remindLabel} className="flex-1" />
          </div>
          <StatusStrip base={base} value={search.status} onChange={(status) => update({ status })} />
        </>
      ) : (
        <>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <InvoiceFiltersInline value={filters} onChange={applyFilters} showOwner={isSuperadmin} />
            <Select value={sort} onValueChange={(v) => update({ sort: v as InvoiceSort })}>
              <SelectTrigger aria-label="Urutkan" className="ml-auto w-auto">
                <ArrowDownUp className="size-4" />
                <SelectValue />
              </SelectTrigger>
              <SelectContent align="end">
                {SORTS.map((s) => (
                  <SelectItem key={s} value={s}>
                    {SORT_LABELS[s]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="flex flex-wrap items-end justify-between gap-x-4">
            <StatusStrip base={base} value={search.status} onChange={(status) => update({ status })} />
            <SearchInput
              value={text}
              onValueChange={setText}
              placeholder="Cari nama atau telepon…"
              className="mb-4 w-64"
              aria-label="Cari tagihan"
            />
          </div>
        </>
      )}

      {list.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={6} />
      ) : list.isError ? (
        <Card className="text-destructive px-6 text-sm">{list.error.message}</Card>
      ) : items.length === 0 ? (
        <Card className="py-0">
          {filtered ? (
            <EmptyState
              icon={SearchX}
              title="Tagihan tidak ditemukan"
              description="Tidak ada tagihan yang cocok dengan pencarian atau filter ini."
              action={
                <Button
                  variant="outline"
                  onClick={() => {
                    setText("");
                    navigate({ search: { month: search.month, sort: search.sort }, replace: true });
                  }}
                >
                  Hapus filter
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={Receipt}
              title={month === thisMonth ? "Belum ada tagihan untuk bulan ini" : `Belum ada tagihan untuk ${monthLabel}`}
              description={`Tidak ada tagihan yang jatuh tempo pada ${monthLabel}.${
                isSuperadmin ? " Buat tagihan pra-bayar sekarang, atau tunggu pembuatan otomatis H-1 pukul 06.00 WIB." : " Tagihan dibuat otomatis H-1 sebelum jatuh tempo."
              }`}
              action={
                isSuperadmin ? (
                  <Button onClick={() => setGenerateOpen(true)}>
                    <FilePlus2 /> Buat Tagihan
                  </Button>
                ) : null
              }
            />
          )}
        </Card>
      ) : isMobile ? (
        <div className={list.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <InvoiceCards items={items} actions={actions} showArea={isSuperadmin} selection={selection} />
        </div>
      ) : (
        <Card className={list.isPlaceholderData ? "py-0 opacity-60 transition-opacity" : "py-0"}>
          <InvoiceTable items={items} actions={actions} showArea={isSuperadmin} selection={selection} />
        </Card>
      )}

      {list.data && (
        <Pagination
          page={list.data.page}
          perPage={list.data.perPage}
          total={list.data.total}
          totalCapped={list.data.totalCapped}
          onPageChange={(p) => navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) })}
        />
      )}

      <SelectionBar count={selection.size} onClear={selection.clear}>
        <BulkWhatsAppButton customers={pickedCustomers} />
        <RemindSelectedButton invoices={selection.items} onDone={selection.clear} />
      </SelectionBar>

      {isSuperadmin && (
        <>
          {selection.size === 0 && <Fab label="Buat Tagihan" icon={FilePlus2} onClick={() => setGenerateOpen(true)} />}
          <GenerateDialog open={generateOpen} onOpenChange={setGenerateOpen} onShowMonth={setMonth} />
        </>
      )}
      {dialogs}
    </PullToRefresh>
  );
}
