import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Building2, ChevronLeft, ChevronRight, Download, Loader2 } from "lucide-react";
import { useState } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { formatPercent, MoneyCards } from "@/components/common/MoneyCards";
import { PageHeader } from "@/components/common/PageHeader";
import { ProgressBar } from "@/components/common/ProgressBar";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ExportJobStatus } from "@/features/exports/ExportJobStatus";
import { useExportJob } from "@/features/exports/use-export-job";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { formatRupiah } from "@/lib/format";
import { addMonths, currentMonth, formatMonth, monthRange } from "./dates";
import { byMitraQueryOptions, financeKeys } from "./queries";
import type { MitraRow } from "./types";

function monthOptions(selected: string): string[] {
  const now = currentMonth();
  const list = Array.from({ length: 16 }, (_, i) => addMonths(now, 3 - i));
  return list.includes(selected) ? list : [selected, ...list];
}

function RateCell({ rate }: { rate: number }) {
  return (
    <div className="flex items-center gap-2">
      <ProgressBar value={rate} barClassName={rate >= 80 ? "bg-accent" : rate >= 50 ? "bg-warning" : "bg-destructive"} className="h-2" />
      <span className="w-12 shrink-0 text-right text-xs tabular-nums">{formatPercent(rate)}</span>
    </div>
  );
}

function areaName(r: MitraRow) {
  return r.area || r.ownerName || "-";
}

/** `/admin/finance`: every owner's money for one collection month, with a recap export per mitra. */
export function AdminFinancePage() {
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const [month, setMonth] = useState(currentMonth());
  const range = monthRange(month);
  const q = useQuery(byMitraQueryOptions(range));
  const exporter = useExportJob();
  const rows = [...(q.data?.items ?? [])].sort((a, b) => b.totalAmount - a.totalAmount || areaName(a).localeCompare(areaName(b)));
  const label = formatMonth(month);
  const navigate = useNavigate();
  // A mitra's row opens its invoices of this collection month; the paid/unpaid amounts open just those.
  const invoicesOf = (r: MitraRow, status?: "paid" | "unpaid") => ({ month: month === currentMonth() ? undefined : month, ownerId: r.ownerId, status });
  const amountLink = (r: MitraRow, status: "paid" | "unpaid", text: string) => (
    <Link to="/invoices" search={invoicesOf(r, status)} className="hover:underline" onClick={(e) => e.stopPropagation()} data-testid={`drill-${status}`}>
      {text}
    </Link>
  );

  const exportFor = (r?: MitraRow) =>
    exporter.run(
      "finance",
      { format: "xlsx", ...range, ownerId: r?.ownerId },
      r ? `Rekap ${areaName(r)} · ${label}` : `Rekap semua mitra · ${label}`,
    );

  const exportButton = (r: MitraRow) => (
    <Button variant="ghost" size="sm" disabled={exporter.busy} onClick={() => exportFor(r)} aria-label={`Ekspor rekap ${areaName(r)}`}>
      <Download /> Ekspor
    </Button>
  );

  return (
    <PullToRefresh onRefresh={() => queryClient.invalidateQueries({ queryKey: financeKeys.all })}>
      <PageHeader
        title="Keuangan Semua Mitra"
        description={`Bulan tagih ${label} — tagihan yang jatuh tempo ${month === currentMonth() ? "bulan ini" : "pada bulan tersebut"}`}
        actions={
          <Button variant="outline" disabled={exporter.busy} onClick={() => exportFor()} data-testid="admin-finance-export-all">
            {exporter.busy ? <Loader2 className="animate-spin" /> : <Download />} Ekspor semua
          </Button>
        }
      />
      <div className="mb-4 flex items-center gap-2">
        <Button variant="outline" size="icon" aria-label="Bulan sebelumnya" onClick={() => setMonth(addMonths(month, -1))}>
          <ChevronLeft />
        </Button>
        <Select value={month} onValueChange={setMonth}>
          <SelectTrigger aria-label="Bulan tagih" className="w-44" data-testid="admin-finance-month">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {monthOptions(month).map((m) => (
              <SelectItem key={m} value={m}>
                {formatMonth(m)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Button variant="outline" size="icon" aria-label="Bulan berikutnya" onClick={() => setMonth(addMonths(month, 1))}>
          <ChevronRight />
        </Button>
      </div>

      <MoneyCards figures={q.data?.summary} loading={q.isPending} totalLabel={`Total Tagihan ${label}`} />
      <ExportJobStatus handle={exporter} className="mt-4" />

      <h2 className="mt-6 mb-3 font-semibold">Per mitra</h2>
      {q.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={4} />
      ) : q.isError ? (
        <Card className="text-destructive px-6 text-sm">{q.error.message}</Card>
      ) : rows.length === 0 ? (
        <Card className="py-0">
          <EmptyState icon={Building2} title="Belum ada mitra" description="Tambahkan mitra di menu Mitra." action={<Button asChild variant="outline"><Link to="/admin/mitra">Kelola Mitra</Link></Button>} />
        </Card>
      ) : isMobile ? (
        <ul className="space-y-3" data-testid="mitra-finance-list">
          {rows.map((r) => (
            <li key={r.ownerId}>
              <Card className="active:bg-muted/60 cursor-pointer gap-2 p-4" role="link" aria-label={`Tagihan ${areaName(r)}`} onClick={() => navigate({ to: "/invoices", search: invoicesOf(r) })}>
                <div className="flex items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="truncate font-semibold">{areaName(r)}</p>
                    <p className="text-muted-foreground truncate text-xs">
                      {r.ownerName} · {r.invoiceCount.toLocaleString("id-ID")} tagihan
                    </p>
                  </div>
                  <span className="shrink-0 font-semibold tabular-nums">{formatRupiah(r.totalAmount)}</span>
                </div>
                <div className="flex justify-between gap-2 text-xs tabular-nums">
                  <span className="text-accent">{amountLink(r, "paid", `${formatRupiah(r.paidAmount)} terbayar`)}</span>
                  <span className="text-destructive">{amountLink(r, "unpaid", `${formatRupiah(r.unpaidAmount)} belum`)}</span>
                </div>
                <RateCell rate={r.collectionRate} />
                <div className="-mb-1 flex justify-end border-t pt-1" onClick={(e) => e.stopPropagation()}>
                  {exportButton(r)}
                </div>
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <Card className="py-0">
          <Table data-testid="mitra-finance-table">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">Area</TableHead>
                <TableHead className="text-right">Tagihan</TableHead>
                <TableHead className="text-right">Ditagihkan</TableHead>
                <TableHead className="text-right">Terbayar</TableHead>
                <TableHead className="text-right">Belum Terbayar</TableHead>
                <TableHead className="w-48">Terkumpul</TableHead>
                <TableHead className="pr-4 text-right">Aksi</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.ownerId} className="cursor-pointer" onClick={() => navigate({ to: "/invoices", search: invoicesOf(r) })} data-testid="mitra-finance-row">
                  <TableCell className="pl-4">
                    <p className="flex items-center gap-2 font-medium">
                      <Link to="/invoices" search={invoicesOf(r)} className="hover:underline" onClick={(e) => e.stopPropagation()}>
                        {areaName(r)}
                      </Link>
                      {r.role === "superadmin" ? <Badge variant="secondary">Pusat</Badge> : null}
                    </p>
                    <p className="text-muted-foreground text-xs">{r.ownerName}</p>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{r.invoiceCount.toLocaleString("id-ID")}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatRupiah(r.totalAmount)}</TableCell>
                  <TableCell className="text-accent text-right tabular-nums">{amountLink(r, "paid", formatRupiah(r.paidAmount))}</TableCell>
                  <TableCell className="text-destructive text-right tabular-nums">{amountLink(r, "unpaid", formatRupiah(r.unpaidAmount))}</TableCell>
                  <TableCell>
                    <RateCell rate={r.collectionRate} />
                  </TableCell>
                  <TableCell className="pr-4 text-right" onClick={(e) => e.stopPropagation()}>
                    {exportButton(r)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
            {q.data ? (
              <TableFooter>
                <TableRow className="font-semibold">
                  <TableCell className="pl-4">Semua mitra</TableCell>
                  <TableCell className="text-right tabular-nums">{q.data.summary.invoiceCount.toLocaleString("id-ID")}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatRupiah(q.data.summary.totalAmount)}</TableCell>
                  <TableCell className="text-accent text-right tabular-nums">{formatRupiah(q.data.summary.paidAmount)}</TableCell>
                  <TableCell className="text-destructive text-right tabular-nums">{formatRupiah(q.data.summary.unpaidAmount)}</TableCell>
                  <TableCell>
                    <RateCell rate={q.data.summary.collectionRate} />
                  </TableCell>
                  <TableCell className="pr-4" />
                </TableRow>
              </TableFooter>
            ) : null}
          </Table>
        </Card>
      )}
    </PullToRefresh>
  );
}
