import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { AlarmClock, CalendarCheck, CheckCircle2, ChevronDown, HandCoins, MessageCircle, Wallet } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useInvoiceActions } from "@/features/invoices/InvoiceActions";
import { InvoiceStatusBadge } from "@/features/invoices/InvoiceStatusBadge";
import { formatPeriod } from "@/features/invoices/period";
import type { Invoice } from "@/features/invoices/types";
import { formatDateShort, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { collectorTodayQueryOptions, type CollectorToday } from "./queries";

const SHOWN = 5;

/** Whole days between two ISO dates (`to` − `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

type Actions = ReturnType<typeof useInvoiceActions>["actions"];

function InvoiceRow({ invoice, today, actions }: { invoice: Invoice; today: string; actions: Actions }) {
  const late = daysBetween(invoice.dueDate, today);
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:gap-3" data-testid="today-invoice">
      <div className="flex min-w-0 flex-1 items-start gap-3">
        <div className="min-w-0 flex-1">
          <Link to="/customers/$id" params={{ id: invoice.customerId }} className="block truncate text-sm font-medium hover:underline">
            {invoice.customer.name}
          </Link>
          <p className="text-muted-foreground text-xs">
            {formatPeriod(invoice.period)}
            {late > 0 ? (
              <span className="text-destructive block font-medium dark:text-red-400">terlambat {late.toLocaleString("id-ID")} hari</span>
            ) : null}
          </p>
        </div>
        <div className="flex shrink-0 flex-col items-end gap-0.5">
          <span className="text-sm font-semibold whitespace-nowrap tabular-nums">{formatRupiah(invoice.totalAmount)}</span>
          {invoice.status !== "unpaid" ? <InvoiceStatusBadge status={invoice.status} /> : null}
        </div>
      </div>
      <div className="flex shrink-0 gap-2">
        <Button
          size="sm"
          className="flex-1 sm:flex-none"
          onClick={() => actions.onPay(invoice)}
          data-testid="today-pay"
          aria-label={`Bayar ${invoice.customer.name}`}
        >
          <HandCoins /> Bayar
        </Button>
        <Button
          size="sm"
          variant="outline"
          className="flex-1 sm:flex-none"
          onClick={() => actions.onSendWa(invoice)}
          data-testid="today-remind"
          aria-label={`Kirim pengingat ke ${invoice.customer.name}`}
        >
          <MessageCircle /> Ingatkan
        </Button>
      </div>
    </li>
  );
}

type GroupProps = {
  title: string;
  icon: typeof AlarmClock;
  tone: string;
  group: CollectorToday["dueToday"] | undefined;
  today: string;
  empty: string;
  actions: Actions;
  moreLink: React.ReactNode;
  testId: string;
};

function InvoiceGroup({ title, icon: Icon, tone, group, today, empty, actions, moreLink, testId }: GroupProps) {
  const [expanded, setExpanded] = useState(false);
  const items = group?.items ?? [];
  const shown = expanded ? items : items.slice(0, SHOWN);
  return (
    <section className="min-w-0" data-testid={testId} aria-label={title}>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="flex items-center gap-2 text-sm font-semibold">
            <Icon className={cn("size-4", tone)} /> {title}
          </h3>
          {group ? (
            <p className="text-muted-foreground text-xs" data-testid={`${testId}-summary`}>
              {group.count.toLocaleString("id-ID")} tagihan · <span className="whitespace-nowrap">{formatRupiah(group.totalAmount)}</span>
            </p>
          ) : null}
        </div>
        {moreLink}
      </div>
      {!group ? (
        <div className="mt-2 space-y-2" aria-busy="true">
          <Skeleton className="h-12 w-full" />
          <Skeleton className="h-12 w-full" />
        </div>
      ) : items.length === 0 ? (
        <p className="text-muted-foreground bg-muted/50 mt-2 flex items-center justify-center gap-2 rounded-lg px-4 py-4 text-center text-sm">
          <CheckCircle2 className="text-accent size-4" /> {empty}
        </p>
      ) : (
        <>
          <ul className="divide-y">
            {shown.map((invoice) => (
              <InvoiceRow key={invoice.id} invoice={invoice} today={today} actions={actions} />
            ))}
          </ul>
          {items.length > SHOWN ? (
            <Button variant="ghost" size="sm" className="w-full" onClick={() => setExpanded(!expanded)}>
              <ChevronDown className={cn("transition-transform", expanded && "rotate-180")} />
              {expanded ? "Tampilkan lebih sedikit" : `Tampilkan ${items.length - SHOWN} lagi`}
            </Button>
          ) : null}
          {group.count > items.length ? (
            <p className="text-muted-foreground text-center text-xs">
              +{(group.count - items.length).toLocaleString("id-ID")} tagihan lainnya di halaman Tagihan
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** What a collector needs today: money taken today, invoices due today and overdue, each with Bayar and reminder. */
export function TodaySection({ ownerId, className }: { ownerId?: string; className?: string }) {
  const today = useQuery(collectorTodayQueryOptions(ownerId));
  const navigate = useNavigate();
  const { actions, dialogs } = useInvoiceActions((inv) => navigate({ to: "/customers/$id", params: { id: inv.customerId } }));
  const data = today.data;
  const date = data?.date ?? "";
  const more = (search: Record<string, unknown>) => (
    <Link to="/invoices" search={search} className="text-primary shrink-0 text-xs font-medium hover:underline">
      Semua
    </Link>
  );

  return (
    <Card className={cn("gap-4 p-4 md:p-6", className)} data-testid="today-section">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold">Hari ini</h2>
          <p className="text-muted-foreground text-xs">{data ? formatDateShort(data.date) : "\u00a0"}</p>
        </div>
        <div className="bg-accent/10 flex items-center gap-3 rounded-xl px-3 py-2" data-testid="collected-today">
          <Wallet className="size-5 text-green-700 dark:text-green-400" />
          <div className="leading-tight">
            <p className="text-muted-foreground text-xs">Terkumpul hari ini</p>
            {data ? (
              <p className="font-semibold whitespace-nowrap tabular-nums">
                {formatRupiah(data.collectedToday.amount)}{" "}
                <span className="text-muted-foreground text-xs font-normal">
                  · {data.collectedToday.count.toLocaleString("id-ID")} pembayaran
                </span>
              </p>
            ) : (
              <Skeleton className="mt-1 h-5 w-28" />
            )}
          </div>
        </div>
      </div>
      {today.isError ? (
        <p role="alert" className="text-destructive text-sm">
          {today.error.message}
        </p>
      ) : null}
      <div className="grid gap-5 lg:grid-cols-2">
        <InvoiceGroup
          title="Jatuh tempo hari ini"
          icon={CalendarCheck}
          tone="text-warning"
          group={data?.dueToday}
          today={date}
          empty="Tidak ada tagihan jatuh tempo hari ini."
          actions={actions}
          moreLink={
            date
              ? more({
                  month: date.slice(0, 7),
                  day: Number(date.slice(8, 10)),
                  status: "unpaid",
                })
              : null
          }
          testId="due-today"
        />
        <InvoiceGroup
          title="Terlambat"
          icon={AlarmClock}
          tone="text-destructive"
          group={data?.overdue}
          today={date}
          empty="Tidak ada tagihan terlambat."
          actions={actions}
          moreLink={more({ status: "unpaid", sort: "dueDate" })}
          testId="overdue"
        />
      </div>
      {dialogs}
    </Card>
  );
}
