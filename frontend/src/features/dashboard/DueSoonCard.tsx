import { Link } from "@tanstack/react-router";
import { CalendarClock, ChevronRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { DashboardStats } from "@/lib/api-types";
import { formatDateShort, formatRupiah } from "@/lib/format";
import { InvoiceStatusBadge } from "@/features/finance/InvoiceStatusBadge";

type DueSoon = NonNullable<DashboardStats["dueSoon"]>;

const dayName = new Intl.DateTimeFormat("id-ID", { weekday: "short", timeZone: "Asia/Jakarta" });

/** Invoices due in the next 7 days (today included). */
export function DueSoonCard({ dueSoon, loading }: { dueSoon: DueSoon | undefined; loading: boolean }) {
  const items = dueSoon?.items ?? [];
  return (
    <Card className="gap-3 p-4 md:p-6" data-testid="due-soon">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 font-semibold">
            <CalendarClock className="text-warning size-5" /> Jatuh tempo 7 hari
          </h2>
          {dueSoon ? (
            <p className="text-muted-foreground mt-0.5 text-xs">
              {formatDateShort(dueSoon.from)} – {formatDateShort(dueSoon.to)} · {dueSoon.count?.toLocaleString("id-ID")} tagihan ·{" "}
              {formatRupiah(dueSoon.totalAmount)}
            </p>
          ) : null}
        </div>
        <Link to="/invoices" className="text-primary flex shrink-0 items-center text-sm font-medium hover:underline">
          <span className="hidden sm:inline">Semua tagihan</span>
          <span className="sm:hidden">Semua</span>
          <ChevronRight className="size-4" />
        </Link>
      </div>
      {loading && !dueSoon ? (
        <div className="space-y-2" aria-busy="true">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-12 w-full" />
          ))}
        </div>
      ) : items.length === 0 ? (
        <p className="text-muted-foreground bg-muted/50 rounded-lg px-4 py-6 text-center text-sm">
          Tidak ada tagihan yang jatuh tempo dalam 7 hari ke depan.
        </p>
      ) : (
        <ul className="divide-y">
          {items.map((inv) => (
            <li key={inv.id}>
              <Link
                to="/invoices"
                search={{
                  month: inv.dueDate?.slice(0, 7),
                  day: inv.dueDate ? Number(inv.dueDate.slice(8, 10)) : undefined,
                  q: inv.customerName || undefined,
                }}
                className="hover:bg-muted/60 -mx-2 flex items-center gap-3 rounded-lg px-2 py-2.5"
              >
                <div className="bg-muted flex w-12 shrink-0 flex-col items-center rounded-md py-1 text-center leading-tight">
                  <span className="text-muted-foreground text-[10px] uppercase">{inv.dueDate ? dayName.format(new Date(`${inv.dueDate}T12:00:00+07:00`)) : ""}</span>
                  <span className="text-sm font-semibold tabular-nums">{inv.dueDate?.slice(8, 10)}</span>
                </div>
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{inv.customerName}</p>
                  <p className="text-muted-foreground text-xs">Jatuh tempo {formatDateShort(inv.dueDate)}</p>
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1">
                  <span className="text-sm font-semibold tabular-nums">{formatRupiah(inv.totalAmount)}</span>
                  <InvoiceStatusBadge status={inv.status} />
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {dueSoon && (dueSoon.count ?? 0) > items.length ? (
        <Badge variant="secondary" className="self-start">
          +{((dueSoon.count ?? 0) - items.length).toLocaleString("id-ID")} tagihan lainnya
        </Badge>
      ) : null}
    </Card>
  );
}
