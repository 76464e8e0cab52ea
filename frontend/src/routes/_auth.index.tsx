import { useQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useRouteContext } from "@tanstack/react-router";
import { Building2, Package, UserCheck, UserMinus, Users, UserX, type LucideIcon } from "lucide-react";
import { useState } from "react";
import { OwnerFilter } from "@/components/common/OwnerFilter";
import { PageHeader } from "@/components/common/PageHeader";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { BackupAlertCard } from "@/features/dashboard/BackupAlertCard";
import { MoneySection } from "@/features/dashboard/MoneySection";
import { TodaySection } from "@/features/dashboard/TodaySection";
import { WaAlertCard } from "@/features/dashboard/WaAlertCard";
import { prefetchDashboard } from "@/features/dashboard/prefetch";
import { dashboardStatsQueryOptions } from "@/features/dashboard/queries";
import type { DashboardStats } from "@/lib/api-types";
import { useDeferredMount } from "@/hooks/use-deferred-mount";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";

export const Route = createFileRoute("/_auth/")({
  staticData: { title: "Dashboard", prefetch: prefetchDashboard },
  loader: ({ context }) => prefetchDashboard(context.queryClient),
  component: DashboardPage,
});

type Stat = {
  key: keyof DashboardStats;
  label: string;
  icon: LucideIcon;
  tone: string;
  to?: string;
  superadminOnly?: boolean;
};

const STATS: Stat[] = [
  { key: "totalCustomers", label: "Total Pelanggan", icon: Users, tone: "bg-primary/10 text-primary", to: "/customers" },
  { key: "activeCustomers", label: "Pelanggan Aktif", icon: UserCheck, tone: "bg-accent/10 text-accent", to: "/customers" },
  { key: "isolatedCustomers", label: "Diisolir", icon: UserX, tone: "bg-destructive/10 text-destructive", to: "/customers" },
  { key: "inactiveCustomers", label: "Nonaktif", icon: UserMinus, tone: "bg-muted text-muted-foreground", to: "/customers" },
  { key: "mitraCount", label: "Mitra", icon: Building2, tone: "bg-warning/15 text-warning", to: "/admin/mitra", superadminOnly: true },
  { key: "packageCount", label: "Paket Internet", icon: Package, tone: "bg-primary/10 text-primary" },
];

// Built once: an Intl.DateTimeFormat with a time zone costs ~30 ms to construct on a 4x-throttled CPU, and the
// dashboard's header rendered a new one each time.
let jakartaHour: Intl.DateTimeFormat | undefined;

function greeting(): string {
  jakartaHour ??= new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: "Asia/Jakarta" });
  const hour = Number(jakartaHour.format(new Date()));
  if (hour < 11) return "Selamat pagi";
  if (hour < 15) return "Selamat siang";
  if (hour < 18) return "Selamat sore";
  return "Selamat malam";
}

function DashboardPage() {
  const { user } = useRouteContext({ from: "/_auth" });
  const isSuperadmin = user.role === "superadmin";
  const [ownerId, setOwnerId] = useState<string | undefined>();
  const stats = useQuery(dashboardStatsQueryOptions(isSuperadmin ? ownerId : undefined));
  // One mitra picked: the mitra count means nothing for them.
  const visible = STATS.filter((s) => !s.superadminOnly || (isSuperadmin && !ownerId));
  // The header first; the rest (most of the page) in a background render, so opening the app on a slow phone is
  // not one long task.
  const ready = useDeferredMount();

  return (
    <PullToRefresh onRefresh={() => stats.refetch()}>
      <PageHeader
        title={`${greeting()}, ${user.name.split(" ")[0]}`}
        description={`${formatDate(new Date())}${user.role === "mitra" ? ` · ${user.businessName}` : ""}`}
        actions={isSuperadmin ? <OwnerFilter value={ownerId} onChange={setOwnerId} /> : undefined}
      />
      {ready ? <DashboardBody isSuperadmin={isSuperadmin} ownerId={ownerId} stats={stats} visible={visible} /> : null}
    </PullToRefresh>
  );
}

type BodyProps = {
  isSuperadmin: boolean;
  ownerId: string | undefined;
  stats: ReturnType<typeof useQuery<DashboardStats>>;
  visible: Stat[];
};

function DashboardBody({ isSuperadmin, ownerId, stats, visible }: BodyProps) {
  return (
    <>
      {isSuperadmin ? <BackupAlertCard /> : null}
      <WaAlertCard />
      {stats.isError ? (
        <Card className="border-destructive/40 text-destructive px-6 text-sm">{stats.error.message}</Card>
      ) : null}
      {/* Phones open on the collector's day, the count cards below it; from tablet width up the cards lead. */}
      <div className="flex flex-col gap-4 md:gap-6">
        <TodaySection ownerId={isSuperadmin ? ownerId : undefined} className="md:order-2" />
        <div className="grid grid-cols-2 gap-3 md:order-1 md:gap-4 lg:grid-cols-3" data-testid="dashboard-stats">
          {visible.map((s) => {
            const value = stats.data?.[s.key];
            const body = (
              <Card className="h-full gap-3 p-4 transition-shadow hover:shadow-md md:p-5">
                <div className="flex items-center justify-between gap-2">
                  <span className="text-muted-foreground text-xs font-medium md:text-sm">{s.label}</span>
                  <span className={cn("flex size-9 items-center justify-center rounded-lg", s.tone)}>
                    <s.icon className="size-5" />
                  </span>
                </div>
                {stats.isPending ? (
                  <Skeleton className="h-8 w-20" />
                ) : (
                  <span className="text-2xl font-semibold tabular-nums md:text-3xl">
                    {typeof value === "number" ? value.toLocaleString("id-ID") : "-"}
                  </span>
                )}
              </Card>
            );
            return s.to ? (
              <Link key={s.key} to={s.to} className="rounded-xl focus-visible:ring-ring/50 focus-visible:ring-[3px] outline-none">
                {body}
              </Link>
            ) : (
              <div key={s.key}>{body}</div>
            );
          })}
        </div>
      </div>
      <MoneySection stats={stats.data} loading={stats.isPending} />
    </>
  );
}
