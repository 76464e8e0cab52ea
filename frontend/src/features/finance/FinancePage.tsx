import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useRouteContext } from "@tanstack/react-router";
import { ChevronLeft, ChevronRight, FileSpreadsheet } from "lucide-react";
import { MoneyBarsChart } from "@/components/common/Charts";
import { MoneyCards, sumMoney } from "@/components/common/MoneyCards";
import { OwnerFilter } from "@/components/common/OwnerFilter";
import { PageHeader } from "@/components/common/PageHeader";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { useIsMobile } from "@/hooks/use-is-mobile";
import type { InvoiceSearch } from "@/features/invoices/InvoicesPage";
import { isMonth } from "@/features/invoices/period";
import { currentMonth, currentYear, recentYears } from "./dates";
import { DueByDate } from "./DueByDate";
import { PeriodTable, type PeriodTableRow } from "./PeriodTable";
import { byPeriodQueryOptions, financeKeys } from "./queries";
import type { InvoiceStatusFilter, PeriodRow } from "./types";

export type FinanceTab = "month" | "year" | "date";
export type FinanceSearch = {
  tab?: FinanceTab;
  year?: number;
  date?: string;
  status?: InvoiceStatusFilter;
  page?: number;
  ownerId?: string;
};

type Props = { search: FinanceSearch; onSearch: (patch: Partial<FinanceSearch>) => void };

const shortMonth = new Intl.DateTimeFormat("id-ID", { month: "short", timeZone: "UTC" });

/** `2026-03` → `Mar`: the year is already in the picker, the chart's axis needs room. */
function monthShortLabel(month: string | null | undefined, fallback: string): string {
  if (!month || !/^\d{4}-\d{2}$/.test(month)) return fallback;
  const [y, m] = month.split("-").map(Number);
  return shortMonth.format(new Date(Date.UTC(y, m - 1, 15)));
}

/** A month row opens that due month's invoices (the superadmin's area filter carried along). */
export function monthDrillDown(month: string, ownerId?: string): InvoiceSearch | null {
  if (!isMonth(month)) return null;
  return { month: month === currentMonth() ? undefined : month, ownerId };
}

function toRows(items: PeriodRow[], key: (r: PeriodRow) => string): PeriodTableRow[] {
  return items.map((r) => ({
    key: key(r),
    label: r.label,
    chartLabel: monthShortLabel(r.month, r.label),
    totalAmount: r.totalAmount,
    paidAmount: r.paidAmount,
    unpaidAmount: r.unpaidAmount,
    invoiceCount: r.invoiceCount,
    paidCount: r.paidCount,
    unpaidCount: r.unpaidCount,
    collectionRate: r.collectionRate,
  }));
}

function ChartCard({ title, note, rows, loading, testId }: { title: string; note: string; rows: PeriodTableRow[]; loading: boolean; testId: string }) {
  return (
    <Card className="min-w-0 gap-3 p-4 md:p-6">
      <div>
        <h2 className="font-semibold">{title}</h2>
        <p className="text-muted-foreground text-xs">{note}</p>
      </div>
      {loading ? (
        <Skeleton className="h-64 w-full md:h-72" />
      ) : (
        <MoneyBarsChart
          data={rows.map((r) => ({ label: r.chartLabel ?? r.label, paidAmount: r.paidAmount, unpaidAmount: r.unpaidAmount }))}
          minWidth={rows.length > 6 ? 640 : 320}
          testId={testId}
        />
      )}
    </Card>
  );
}

function MonthView({ year, ownerId, onYear }: { year: number; ownerId?: string; onYear: (y: number) => void }) {
  const isMobile = useIsMobile();
  const q = useQuery(byPeriodQueryOptions({ view: "month", year, ownerId }));
  const rows = toRows(q.data?.items ?? [], (r) => r.month ?? r.label);
  const total = q.data ? sumMoney(rows) : undefined;
  const years = recentYears();
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-2">
        <Button variant="outline" size="icon" aria-label="Tahun sebelumnya" onClick={() => onYear(year - 1)}>
          <ChevronLeft />
        </Button>
        <Select value={String(year)} onValueChange={(v) => onYear(Number(v))}>
          <SelectTrigger aria-label="Tahun" className="w-28" data-testid="finance-year">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(years.includes(year) ? years : [year, ...years]).map((y) => (
              <SelectItem key={y} value={String(y)}>
                {y}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Button variant="outline" size="icon" aria-label="Tahun berikutnya" onClick={() => onYear(year + 1)}>
          <ChevronRight />
        </Button>
        <span className="text-muted-foreground ml-1 hidden text-sm sm:inline">Dikelompokkan per bulan jatuh tempo</span>
      </div>
      <MoneyCards figures={total} loading={q.isPending} totalLabel={`Total Tagihan ${year}`} />
      <ChartCard title={`Per bulan ${year}`} note="Terbayar dan belum terbayar per bulan jatuh tempo" rows={rows} loading={q.isPending} testId="finance-month-chart" />
      {q.isError ? (
        <Card className="text-destructive px-6 text-sm">{q.error.message}</Card>
      ) : q.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={6} />
      ) : (
        <PeriodTable rows={rows} total={total} firstColumn="Bulan" testId="finance-month-table" drillDown={(r) => monthDrillDown(r.key, ownerId)} />
      )}
    </div>
  );
}

function YearView({ ownerId }: { ownerId?: string }) {
  const isMobile = useIsMobile();
  const q = useQuery(byPeriodQueryOptions({ view: "year", ownerId }));
  const rows = toRows(q.data?.items ?? [], (r) => String(r.year ?? r.label));
  const total = q.data ? sumMoney(rows) : undefined;
  return (
    <div className="space-y-4">
      <MoneyCards figures={total} loading={q.isPending} totalLabel="Total Tagihan Semua Tahun" />
      <ChartCard title="Per tahun" note="Terbayar dan belum terbayar per tahun jatuh tempo" rows={rows} loading={q.isPending} testId="finance-year-chart" />
      {q.isError ? (
        <Card className="text-destructive px-6 text-sm">{q.error.message}</Card>
      ) : q.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={3} />
      ) : (
        <PeriodTable rows={rows} total={total} firstColumn="Tahun" testId="finance-year-table" />
      )}
    </div>
  );
}

/** `/finance`: money per month of a year, per year, or who is due on one day. */
export function FinancePage({ search, onSearch }: Props) {
  const { user } = useRouteContext({ from: "/_auth" });
  const isSuperadmin = user.role === "superadmin";
  const tab = search.tab ?? "month";
  const ownerId = isSuperadmin ? search.ownerId : undefined;
  const year = search.year ?? currentYear();
  const queryClient = useQueryClient();

  return (
    <PullToRefresh onRefresh={() => queryClient.invalidateQueries({ queryKey: financeKeys.all })}>
      <PageHeader
        title="Laporan Keuangan"
        description={user.role === "mitra" ? `Tagihan pelanggan ${user.businessName}` : "Semua tagihan, dikelompokkan per tanggal jatuh tempo"}
        actions={
          <>
            {isSuperadmin ? <OwnerFilter value={ownerId} onChange={(id) => onSearch({ ownerId: id, page: undefined })} /> : null}
            <Button asChild variant="outline">
              <Link to="/finance/report">
                <FileSpreadsheet /> Rekap &amp; Unduh
              </Link>
            </Button>
          </>
        }
      />
      <Tabs value={tab} onValueChange={(v) => onSearch({ tab: v === "month" ? undefined : (v as FinanceTab), page: undefined })} className="gap-4">
        <TabsList className="w-full sm:w-fit">
          <TabsTrigger value="month" className="flex-1 sm:px-4">
            Per Bulan
          </TabsTrigger>
          <TabsTrigger value="year" className="flex-1 sm:px-4">
            Per Tahun
          </TabsTrigger>
          <TabsTrigger value="date" className="flex-1 sm:px-4">
            Per Tanggal
          </TabsTrigger>
        </TabsList>
        <TabsContent value="month">
          <MonthView year={year} ownerId={ownerId} onYear={(y) => onSearch({ year: y === currentYear() ? undefined : y })} />
        </TabsContent>
        <TabsContent value="year">
          <YearView ownerId={ownerId} />
        </TabsContent>
        <TabsContent value="date">
          <DueByDate
            date={search.date}
            status={search.status}
            page={search.page}
            ownerId={ownerId}
            onChange={(patch) => onSearch(patch)}
          />
        </TabsContent>
      </Tabs>
    </PullToRefresh>
  );
}
