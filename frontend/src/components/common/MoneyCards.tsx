import { CircleCheck, CircleDashed, Percent, Wallet, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ProgressBar } from "./ProgressBar";

/** The money fields every finance endpoint returns. */
export type MoneyFigures = {
  totalAmount: number;
  paidAmount: number;
  unpaidAmount: number;
  invoiceCount: number;
  paidCount: number;
  unpaidCount: number;
  collectionRate: number;
};

type Props = {
  figures: MoneyFigures | undefined;
  loading?: boolean;
  /** Heading of the first card, e.g. "Total Tagihan Bulan Ini". */
  totalLabel?: string;
  className?: string;
};

const percent = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });

/** `87.5` → `87,5%`. */
export function formatPercent(value: number | null | undefined): string {
  return value == null || Number.isNaN(value) ? "-" : `${percent.format(value)}%`;
}

/** Sum money rows (e.g. the 12 months of a year) the way the API sums them. */
export function sumMoney(rows: MoneyFigures[]): MoneyFigures {
  const out = rows.reduce(
    (acc, r) => ({
      totalAmount: acc.totalAmount + r.totalAmount,
      paidAmount: acc.paidAmount + r.paidAmount,
      unpaidAmount: acc.unpaidAmount + r.unpaidAmount,
      invoiceCount: acc.invoiceCount + r.invoiceCount,
      paidCount: acc.paidCount + r.paidCount,
      unpaidCount: acc.unpaidCount + r.unpaidCount,
      collectionRate: 0,
    }),
    { totalAmount: 0, paidAmount: 0, unpaidAmount: 0, invoiceCount: 0, paidCount: 0, unpaidCount: 0, collectionRate: 0 },
  );
  out.collectionRate = out.totalAmount ? Math.round((out.paidAmount / out.totalAmount) * 1000) / 10 : 0;
  return out;
}

function MoneyCard({
  label,
  icon: Icon,
  tone,
  value,
  sub,
  loading,
  children,
  testId,
}: {
  label: string;
  icon: LucideIcon;
  tone: string;
  value: ReactNode;
  sub?: ReactNode;
  loading?: boolean;
  children?: ReactNode;
  testId: string;
}) {
  return (
    <Card className="min-w-0 gap-2 p-4 md:p-5" data-testid={testId}>
      <div className="flex items-start justify-between gap-2">
        <span className="text-muted-foreground text-xs leading-tight font-medium md:text-sm">{label}</span>
        <span className={cn("flex size-8 shrink-0 items-center justify-center rounded-lg md:size-9", tone)}>
          <Icon className="size-4 md:size-5" />
        </span>
      </div>
      {loading ? (
        <>
          <Skeleton className="h-7 w-28" />
          <Skeleton className="h-3 w-16" />
        </>
      ) : (
        <>
          <span className="text-lg font-semibold tracking-tight break-all tabular-nums md:text-2xl">{value}</span>
          {sub ? <span className="text-muted-foreground text-xs">{sub}</span> : null}
          {children}
        </>
      )}
    </Card>
  );
}

/** Billed / paid / unpaid / collection-rate cards (dashboard, finance, admin finance). */
export function MoneyCards({ figures: f, loading, totalLabel = "Total Tagihan", className }: Props) {
  const busy = loading || !f;
  return (
    <div className={cn("grid grid-cols-2 gap-3 md:gap-4 lg:grid-cols-4", className)} data-testid="money-cards">
      <MoneyCard
        testId="money-total"
        label={totalLabel}
        icon={Wallet}
        tone="bg-primary/10 text-primary"
        loading={busy}
        value={formatRupiah(f?.totalAmount)}
        sub={`${(f?.invoiceCount ?? 0).toLocaleString("id-ID")} tagihan`}
      />
      <MoneyCard
        testId="money-paid"
        label="Sudah Terbayar"
        icon={CircleCheck}
        tone="bg-accent/10 text-accent"
        loading={busy}
        value={<span className="text-accent">{formatRupiah(f?.paidAmount)}</span>}
        sub={`${(f?.paidCount ?? 0).toLocaleString("id-ID")} lunas`}
      />
      <MoneyCard
        testId="money-unpaid"
        label="Belum Terbayar"
        icon={CircleDashed}
        tone="bg-destructive/10 text-destructive"
        loading={busy}
        value={<span className="text-destructive">{formatRupiah(f?.unpaidAmount)}</span>}
        sub={`${(f?.unpaidCount ?? 0).toLocaleString("id-ID")} belum bayar`}
      />
      <MoneyCard
        testId="money-rate"
        label="Persentase Terkumpul"
        icon={Percent}
        tone="bg-warning/15 text-warning"
        loading={busy}
        value={formatPercent(f?.collectionRate)}
      >
        <ProgressBar value={f?.collectionRate ?? 0} label="Persentase terkumpul" className="mt-1" barClassName="bg-accent" />
      </MoneyCard>
    </div>
  );
}
