import { Link } from "@tanstack/react-router";
import { CalendarClock, CheckCircle2, Copy, ExternalLink, MessageCircle, MoreVertical, Undo2, User, Wallet } from "lucide-react";
import { useRef, useState } from "react";
import { SwipeActions, type SwipeAction } from "@/components/common/SwipeActions";
import { PageCheckbox, RowCheckbox } from "@/components/common/SelectCheckbox";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Selection } from "@/hooks/use-selection";
import { formatDateShort, formatRupiah, formatTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { InvoiceRowActions } from "./InvoiceActions";
import { InvoiceSentInfo } from "./InvoiceSentInfo";
import { InvoiceStatusBadge } from "./InvoiceStatusBadge";
import { PaidProgress } from "./PaidProgress";
import { formatDayMonth, formatMonth, formatPeriod } from "./period";
import { paymentMethodLabel, type Invoice } from "./types";

function MenuItems({ inv, actions }: { inv: Invoice; actions: InvoiceRowActions }) {
  const paid = inv.status === "paid";
  return (
    <>
      {!paid && (
        <DropdownMenuItem onSelect={() => actions.onPay(inv)}>
          <Wallet /> Bayar
        </DropdownMenuItem>
      )}
      {paid && (
        <>
          <DropdownMenuItem onSelect={() => actions.onOpenReceipt(inv)}>
            <ExternalLink /> Lihat Nota
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => actions.onCopyReceipt(inv)}>
            <Copy /> Salin Link Nota
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => actions.onPay(inv)}>
            <Wallet /> Riwayat Pembayaran
          </DropdownMenuItem>
        </>
      )}
      <DropdownMenuItem onSelect={() => actions.onSendWa(inv)} data-testid="invoice-send-wa">
        <MessageCircle /> {paid ? "Kirim Ulang Nota" : "Kirim Pengingat"}
      </DropdownMenuItem>
      <DropdownMenuItem onSelect={() => actions.onOpenCustomer(inv)}>
        <User /> Detail Pelanggan
      </DropdownMenuItem>
      {paid && (
        <>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => actions.onUnpay(inv)}>
            <Undo2 /> Batalkan Pembayaran
          </DropdownMenuItem>
        </>
      )}
    </>
  );
}

/** "24 Nov, 17:37 · Tunai" and "oleh Super Admin" under the status badge. */
function PaidInfo({ inv }: { inv: Invoice }) {
  if (!inv.paidAt) return null;
  return (
    <span className="mt-1 block max-w-44 text-xs" title={`${formatDateShort(inv.paidAt)}, ${formatTime(inv.paidAt)}`}>
      <span className="block tabular-nums">
        {formatDayMonth(inv.paidAt)}, {formatTime(inv.paidAt).replace(" WIB", "")}
        {inv.paymentMethod ? ` · ${paymentMethodLabel(inv.paymentMethod)}` : ""}
      </span>
      {inv.paidByName && <span className="text-muted-foreground block truncate">oleh {inv.paidByName}</span>}
    </span>
  );
}

/** Desktop: one row per invoice; "Bayar" right in the row, the rest in the ⋮ menu. */
type ListProps = {
  items: Invoice[];
  actions: InvoiceRowActions;
  showArea: boolean;
  /** Checkboxes for the bulk actions (reminder, WhatsApp). */
  selection?: Selection<Invoice>;
};

export function InvoiceTable({ items, actions, showArea, selection }: ListProps) {
  return (
    <Table data-testid="invoice-table">
      <TableHeader>
        <TableRow>
          {selection && (
            <TableHead className="w-10 pl-4">
              <PageCheckbox items={items} selection={selection} />
            </TableHead>
          )}
          <TableHead className={selection ? undefined : "pl-4"}>Pelanggan</TableHead>
          {showArea && <TableHead>Area</TableHead>}
          <TableHead>Periode</TableHead>
          <TableHead>Jatuh tempo</TableHead>
          <TableHead className="text-right">Total</TableHead>
          <TableHead>Status · dibayar</TableHead>
          <TableHead className="pr-4 text-right">Aksi</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((inv) => (
          <TableRow key={inv.id} data-testid="invoice-row" data-invoice-id={inv.id} data-state={selection?.has(inv.id) ? "selected" : undefined}>
            {selection && (
              <TableCell className="pl-4">
                <RowCheckbox item={inv} label={inv.customer.name} selection={selection} />
              </TableCell>
            )}
            <TableCell className={cn("max-w-40", !selection && "pl-4")}>
              <Link
                to="/customers/$id"
                params={{ id: inv.customerId }}
                className="block truncate font-medium hover:underline"
              >
                {inv.customer.name}
              </Link>
              <span className="text-muted-foreground block truncate text-xs">{inv.packageName}</span>
            </TableCell>
            {showArea && <TableCell className="text-muted-foreground max-w-28 truncate" title={inv.area}>{inv.area}</TableCell>}
            <TableCell className="whitespace-nowrap">
              {formatMonth(inv.period)}
              <span className="text-muted-foreground block text-xs">pra-bayar</span>
            </TableCell>
            <TableCell className="whitespace-nowrap tabular-nums">{formatDateShort(inv.dueDate)}</TableCell>
            <TableCell className="text-right whitespace-nowrap tabular-nums">
              <span className="font-medium">{formatRupiah(inv.totalAmount)}</span>
              {inv.discount > 0 && <span className="text-muted-foreground block text-xs">diskon {formatRupiah(inv.discount)}</span>}
            </TableCell>
            <TableCell>
              <InvoiceStatusBadge status={inv.status} />
              <PaidProgress inv={inv} />
              <PaidInfo inv={inv} />
              <InvoiceSentInfo inv={inv} />
            </TableCell>
            <TableCell className="pr-4">
              <div className="flex items-center justify-end gap-1">
                {inv.status !== "paid" ? (
                  <Button size="sm" onClick={() => actions.onPay(inv)}>
                    <Wallet /> Bayar
                  </Button>
                ) : (
                  <Button size="sm" variant="outline" onClick={() => actions.onOpenReceipt(inv)}>
                    <ExternalLink /> Nota
                  </Button>
                )}
                <DropdownMenu>
                  <DropdownMenuTrigger asChild>
                    <Button variant="ghost" size="icon" aria-label={`Aksi untuk ${inv.customer.name}`}>
                      <MoreVertical />
                    </Button>
                  </DropdownMenuTrigger>
                  <DropdownMenuContent align="end">
                    <MenuItems inv={inv} actions={actions} />
                  </DropdownMenuContent>
                </DropdownMenu>
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const LONG_PRESS_MS = 500;

/** Mobile: swipe left to pay (or, once paid, for the receipt); long-press or ⋮ for the menu. */
export function InvoiceCards({ items, actions, showArea, selection }: ListProps) {
  const pressTimer = useRef<number | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const cancelPress = () => {
    if (pressTimer.current) window.clearTimeout(pressTimer.current);
    pressTimer.current = null;
  };

  const swipeActions = (inv: Invoice): SwipeAction[] =>
    inv.status !== "paid"
      ? [
          { label: "Bayar", icon: <Wallet className="size-5" />, onSelect: () => actions.onPay(inv) },
          { label: "Pelanggan", icon: <User className="size-5" />, tone: "muted", onSelect: () => actions.onOpenCustomer(inv) },
        ]
      : [
          { label: "Nota", icon: <ExternalLink className="size-5" />, onSelect: () => actions.onOpenReceipt(inv) },
          { label: "Salin", icon: <Copy className="size-5" />, tone: "muted", onSelect: () => actions.onCopyReceipt(inv) },
          { label: "Batalkan", icon: <Undo2 className="size-5" />, tone: "destructive", onSelect: () => actions.onUnpay(inv) },
        ];

  return (
    <ul className="space-y-3" data-testid="invoice-cards">
      {items.map((inv) => (
        <li key={inv.id} data-testid="invoice-card" data-invoice-id={inv.id}>
          <SwipeActions actions={swipeActions(inv)}>
            <div
              className={cn("bg-card rounded-xl border p-4 shadow-xs select-none", selection?.has(inv.id) && "border-primary ring-primary/30 ring-2")}
              onClick={(e) => {
                // While picking, a tap on the card (not on its buttons) picks it too.
                if (selection && selection.size > 0 && !(e.target as HTMLElement).closest("button, a")) selection.toggle(inv);
              }}
              onTouchStart={() => {
                cancelPress();
                pressTimer.current = window.setTimeout(() => {
                  pressTimer.current = null;
                  try {
                    navigator.vibrate?.(30);
                  } catch {
                    /* not supported */
                  }
                  setMenuFor(inv.id);
                }, LONG_PRESS_MS);
              }}
              onTouchMove={cancelPress}
              onTouchEnd={cancelPress}
              onContextMenu={(e) => e.preventDefault()}
            >
              <div className="flex items-start justify-between gap-2">
                {selection && <RowCheckbox item={inv} label={inv.customer.name} selection={selection} className="mt-0.5 -mr-1" />}
                <div className="min-w-0 flex-1">
                  <p className="truncate font-semibold">{inv.customer.name}</p>
                  <p className="text-muted-foreground truncate text-xs">
                    {formatPeriod(inv.period)}
                    {showArea ? ` · ${inv.area}` : ""}
                  </p>
                </div>
                <div className="-mt-1 -mr-2 flex shrink-0 items-center gap-1">
                  <InvoiceStatusBadge status={inv.status} />
                  <DropdownMenu open={menuFor === inv.id} onOpenChange={(o) => setMenuFor(o ? inv.id : null)}>
                    <DropdownMenuTrigger asChild>
                      <Button variant="ghost" size="icon" aria-label={`Aksi untuk ${inv.customer.name}`}>
                        <MoreVertical />
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent align="end">
                      <MenuItems inv={inv} actions={actions} />
                    </DropdownMenuContent>
                  </DropdownMenu>
                </div>
              </div>
              <div className="mt-3 flex items-end justify-between gap-3">
                <div className="text-muted-foreground min-w-0 flex-1 space-y-0.5 text-xs">
                  <p className="flex items-center gap-1 whitespace-nowrap tabular-nums">
                    <CalendarClock className="size-3.5 shrink-0" /> Jatuh tempo {formatDayMonth(inv.dueDate)}
                  </p>
                  {inv.paidAt ? (
                    <p className="flex min-w-0 items-center gap-1">
                      <CheckCircle2 className="text-accent size-3.5 shrink-0" />
                      <span className="truncate">
                        {formatDayMonth(inv.paidAt)}
                        {inv.paidByName ? ` · ${inv.paidByName}` : ""}
                        {inv.paymentMethod ? ` · ${paymentMethodLabel(inv.paymentMethod)}` : ""}
                      </span>
                    </p>
                  ) : (
                    <p className="truncate">{inv.packageName}</p>
                  )}
                  <PaidProgress inv={inv} />
                  <InvoiceSentInfo inv={inv} className="mt-0" />
                </div>
                <div className="flex shrink-0 items-center gap-2">
                  <p className="text-right font-semibold whitespace-nowrap tabular-nums">{formatRupiah(inv.totalAmount)}</p>
                  {inv.status !== "paid" && (
                    <Button size="sm" className="h-8" onClick={() => actions.onPay(inv)}>
                      Bayar
                    </Button>
                  )}
                </div>
              </div>
            </div>
          </SwipeActions>
        </li>
      ))}
    </ul>
  );
}
