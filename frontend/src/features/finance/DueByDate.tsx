import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { CalendarSearch, ChevronLeft, ChevronRight } from "lucide-react";
import { EmptyState } from "@/components/common/EmptyState";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { MoneyCards } from "@/components/common/MoneyCards";
import { Pagination } from "@/components/common/Pagination";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { formatDate, formatDateTime, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { addDays, DATE_RE, todayWib } from "./dates";
import { InvoiceStatusBadge } from "./InvoiceStatusBadge";
import { byDateQueryOptions } from "./queries";
import type { DueInvoice, InvoiceStatusFilter } from "./types";

const PER_PAGE = 20;

const STATUS_CHIPS: { value: InvoiceStatusFilter | undefined; label: string }[] = [
  { value: undefined, label: "Semua" },
  { value: "paid", label: "Lunas" },
  { value: "unpaid", label: "Belum Bayar" },
];

type Props = {
  date: string | undefined;
  status: InvoiceStatusFilter | undefined;
  page: number | undefined;
  ownerId: string | undefined;
  onChange: (patch: { date?: string; status?: InvoiceStatusFilter; page?: number }) => void;
};

const PAYMENT_METHOD_LABELS: Record<string, string> = {
  cash: "Tunai",
  transfer: "Transfer",
  qris: "QRIS",
  ewallet: "E-Wallet",
  other: "Lainnya",
};

function packageText(inv: DueInvoice): string {
  return [inv.packageName, inv.packageSpeed].filter(Boolean).join(" · ") || "-";
}

function paidText(inv: DueInvoice): string {
  if (!inv.paidAt) return "-";
  const method = inv.paymentMethod ? ` (${PAYMENT_METHOD_LABELS[inv.paymentMethod] ?? inv.paymentMethod})` : "";
  return `${formatDateTime(inv.paidAt)}${method}`;
}

/** "Per Tanggal": who is due on one day, paid or not (the spec's Tabel Detail Tagihan). */
export function DueByDate({ date, status, page = 1, ownerId, onChange }: Props) {
  const isMobile = useIsMobile();
  const day = date && DATE_RE.test(date) ? date : todayWib();
  const q = useQuery(byDateQueryOptions({ date: day, status, page, perPage: PER_PAGE, ownerId }));
  const data = q.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="icon" aria-label="Hari sebelumnya" onClick={() => onChange({ date: addDays(day, -1), page: undefined })}>
          <ChevronLeft />
        </Button>
        <Input
          type="date"
          aria-label="Tanggal jatuh tempo"
          data-testid="finance-date"
          value={day}
          onChange={(e) => e.target.value && onChange({ date: e.target.value, page: undefined })}
          className="w-44"
        />
        <Button variant="outline" size="icon" aria-label="Hari berikutnya" onClick={() => onChange({ date: addDays(day, 1), page: undefined })}>
          <ChevronRight />
        </Button>
        {day !== todayWib() ? (
          <Button variant="ghost" size="sm" onClick={() => onChange({ date: undefined, page: undefined })}>
            Hari ini
          </Button>
        ) : null}
        <div className="flex flex-wrap gap-1.5 sm:ml-auto" role="group" aria-label="Filter status">
          {STATUS_CHIPS.map((c) => (
            <button
              key={c.label}
              type="button"
              aria-pressed={status === c.value}
              onClick={() => onChange({ status: c.value, page: undefined })}
              className={cn(
                "rounded-full border px-3 py-1 text-sm transition-colors",
                status === c.value ? "bg-primary text-primary-foreground border-primary" : "bg-card hover:bg-muted",
              )}
            >
              {c.label}
            </button>
          ))}
        </div>
      </div>

      <p className="text-muted-foreground text-sm">
        Tagihan yang jatuh tempo pada <strong className="text-foreground">{formatDate(day)}</strong>
      </p>
      <MoneyCards figures={data?.summary} loading={q.isPending} totalLabel="Total Jatuh Tempo" />

      {q.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={4} />
      ) : q.isError ? (
        <Card className="text-destructive px-6 text-sm">{q.error.message}</Card>
      ) : !data || data.items.length === 0 ? (
        <Card className="py-0">
          <EmptyState
            icon={CalendarSearch}
            title="Tidak ada tagihan"
            description={status ? "Tidak ada tagihan dengan status ini pada tanggal tersebut." : "Tidak ada tagihan yang jatuh tempo pada tanggal ini."}
          />
        </Card>
      ) : isMobile ? (
        <ul className="space-y-2" data-testid="due-list">
          {data.items.map((inv) => (
            <li key={inv.id}>
              <Card className="gap-1.5 p-3">
                <div className="flex items-start justify-between gap-2">
                  <Link to="/customers/$id" params={{ id: inv.customerId }} className="min-w-0 font-medium hover:underline">
                    <span className="line-clamp-1">{inv.customerName}</span>
                  </Link>
                  <InvoiceStatusBadge status={inv.status} />
                </div>
                <div className="text-muted-foreground flex justify-between gap-2 text-xs">
                  <span className="truncate">{packageText(inv)}</span>
                  <span className="text-foreground shrink-0 font-semibold tabular-nums">{formatRupiah(inv.totalAmount)}</span>
                </div>
                {inv.paidAt ? (
                  <p className="text-muted-foreground text-xs">
                    Dibayar {paidText(inv)}
                    {inv.paidByName ? ` · dicatat ${inv.paidByName}` : ""}
                  </p>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <Card className="py-0">
          <Table data-testid="due-table">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">Nama Pelanggan</TableHead>
                <TableHead>Paket</TableHead>
                <TableHead className="text-right">Nominal</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Tanggal Bayar</TableHead>
                <TableHead className="pr-4">Dicatat Oleh</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.items.map((inv) => (
                <TableRow key={inv.id}>
                  <TableCell className="pl-4">
                    <Link to="/customers/$id" params={{ id: inv.customerId }} className="font-medium hover:underline">
                      {inv.customerName}
                    </Link>
                    {inv.area ? <p className="text-muted-foreground text-xs">{inv.area}</p> : null}
                  </TableCell>
                  <TableCell>{packageText(inv)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {formatRupiah(inv.totalAmount)}
                    {inv.discount ? <p className="text-muted-foreground text-xs">diskon {formatRupiah(inv.discount)}</p> : null}
                  </TableCell>
                  <TableCell>
                    <InvoiceStatusBadge status={inv.status} />
                  </TableCell>
                  <TableCell className="text-sm">{paidText(inv)}</TableCell>
                  <TableCell className="pr-4 text-sm">{inv.paidByName || "-"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
      {data ? (
        <Pagination page={data.page} perPage={data.perPage} total={data.total} onPageChange={(p) => onChange({ page: p })} />
      ) : null}
    </div>
  );
}
