import { CalendarRange } from "lucide-react";
import { GrowthChart, RevenueChart } from "@/components/common/Charts";
import { MoneyCards } from "@/components/common/MoneyCards";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { DashboardStats } from "@/lib/api-types";
import { DueSoonCard } from "./DueSoonCard";

type Props = { stats: DashboardStats | undefined; loading: boolean };

/** This collection month's money, the 12-month charts and what falls due this week. */
export function MoneySection({ stats, loading }: Props) {
  const figures = stats && {
    totalAmount: stats.billedAmount,
    paidAmount: stats.paidAmount,
    unpaidAmount: stats.unpaidAmount,
    invoiceCount: stats.invoiceCount,
    paidCount: stats.paidCount,
    unpaidCount: stats.unpaidCount,
    collectionRate: stats.collectionRate,
  };
  const revenue = (stats?.revenueSeries ?? []).map((p) => ({ label: p.label ?? "", billed: p.billed ?? 0, paid: p.paid ?? 0 }));
  const growth = (stats?.customerGrowth ?? []).map((p) => ({
    label: p.label ?? "",
    newCustomers: p.newCustomers ?? 0,
    totalCustomers: p.totalCustomers ?? 0,
  }));

  return (
    <section className="mt-6 space-y-4" aria-labelledby="money-heading">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <h2 id="money-heading" className="flex items-center gap-2 text-base font-semibold md:text-lg">
          <CalendarRange className="text-primary size-5" />
          Bulan tagih: {stats ? stats.monthLabel : <Skeleton className="inline-block h-5 w-32 align-middle" />}
        </h2>
        <span className="text-muted-foreground text-sm" data-testid="collection-month-note">
          — tagihan yang jatuh tempo bulan ini
        </span>
      </div>
      <MoneyCards figures={figures} loading={loading && !stats} totalLabel="Total Tagihan Bulan Ini" />

      <div className="grid gap-4 2xl:grid-cols-2">
        <Card className="min-w-0 gap-3 p-4 md:p-6">
          <div>
            <h2 className="font-semibold">Pendapatan 12 bulan</h2>
            <p className="text-muted-foreground text-xs">Ditagihkan vs terbayar, per bulan jatuh tempo</p>
          </div>
          {stats ? <RevenueChart data={revenue} testId="revenue-chart" /> : <Skeleton className="h-64 w-full md:h-72" />}
        </Card>
        <Card className="min-w-0 gap-3 p-4 md:p-6">
          <div>
            <h2 className="font-semibold">Pertumbuhan Pelanggan</h2>
            <p className="text-muted-foreground text-xs">Pelanggan baru tiap bulan dan jumlah keseluruhan</p>
          </div>
          {stats ? <GrowthChart data={growth} testId="growth-chart" /> : <Skeleton className="h-64 w-full md:h-72" />}
        </Card>
      </div>

      <DueSoonCard dueSoon={stats?.dueSoon} loading={loading} />
    </section>
  );
}
