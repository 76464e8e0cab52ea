import { Link } from "@tanstack/react-router";
import {
  ArrowDown,
  ArrowUp,
  ArrowUpDown,
  Ban,
  CalendarDays,
  Eye,
  MoreVertical,
  Pencil,
  Phone,
  Power,
  Trash2,
  Wifi,
} from "lucide-react";
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
import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { haptic } from "./CustomerActionDialogs";
import { formatPhone } from "./format";
import { CustomerStatusBadge } from "./CustomerStatusBadge";
import type { Customer, CustomerSort } from "./types";

export type CustomerRowActions = {
  canManage: boolean;
  onEdit: (c: Customer) => void;
  onIsolate: (c: Customer) => void;
  onDelete: (c: Customer) => void;
  onOpen: (c: Customer) => void;
};

function ActionsMenu({ c, actions }: { c: Customer; actions: CustomerRowActions }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Aksi untuk ${c.name}`} onClick={(e) => e.stopPropagation()}>
          <MoreVertical />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" onClick={(e) => e.stopPropagation()}>
        <DropdownMenuItem onSelect={() => actions.onOpen(c)}>
          <Eye /> Detail
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => actions.onEdit(c)}>
          <Pencil /> Edit
        </DropdownMenuItem>
        {actions.canManage && c.status !== "inactive" && (
          <DropdownMenuItem onSelect={() => actions.onIsolate(c)}>
            {c.status === "isolated" ? <Power /> : <Ban />}
            {c.status === "isolated" ? "Aktifkan kembali" : "Isolir"}
          </DropdownMenuItem>
        )}
        {actions.canManage && (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuItem variant="destructive" onSelect={() => actions.onDelete(c)}>
              <Trash2 /> Hapus
            </DropdownMenuItem>
          </>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function SortHead({
  label,
  field,
  sort,
  onSort,
  className,
}: {
  label: string;
  field: "name" | "billingDate" | "totalBill";
  sort: CustomerSort;
  onSort: (s: CustomerSort) => void;
  className?: string;
}) {
  const active = sort.replace(/^-/, "") === field;
  const desc = sort.startsWith("-");
  const Icon = !active ? ArrowUpDown : desc ? ArrowDown : ArrowUp;
  return (
    <TableHead className={className} aria-sort={active ? (desc ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className={cn("hover:text-foreground inline-flex items-center gap-1", active && "text-foreground")}
        onClick={() => onSort((active && !desc ? `-${field}` : field) as CustomerSort)}
      >
        {label}
        <Icon className={cn("size-3.5", !active && "opacity-40")} />
      </button>
    </TableHead>
  );
}

type TableProps = {
  items: Customer[];
  actions: CustomerRowActions;
  showArea: boolean;
  sort: CustomerSort;
  onSort: (s: CustomerSort) => void;
  /** Checkboxes for the bulk actions (WhatsApp, reminder). */
  selection?: Selection<Customer>;
  /** The customer shown in the side panel, highlighted. */
  activeId?: string;
  /** Beside the side panel: fewer columns (name, total, status). */
  compact?: boolean;
};

/** Desktop: full table, sortable by name, billing date and total. */
export function CustomerTable({ items, actions, showArea: withArea, sort, onSort, selection, activeId, compact = false }: TableProps) {
  const showArea = withArea && !compact;
  return (
    <Table data-testid="customer-table">
      <TableHeader>
        <TableRow>
          {selection && (
            <TableHead className="w-10 pl-4">
              <PageCheckbox items={items} selection={selection} />
            </TableHead>
          )}
          <SortHead label="Nama" field="name" sort={sort} onSort={onSort} className={selection ? undefined : "pl-4"} />
          {!compact && <TableHead>Telepon</TableHead>}
          {showArea && <TableHead>Area</TableHead>}
          {!compact && <TableHead>Paket</TableHead>}
          {!compact && <SortHead label="Tgl" field="billingDate" sort={sort} onSort={onSort} />}
          <SortHead label="Total" field="totalBill" sort={sort} onSort={onSort} className="text-right [&>button]:flex-row-reverse" />
          <TableHead>Status</TableHead>
          <TableHead className="w-12" />
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((c) => (
          <TableRow
            key={c.id}
            className={cn("cursor-pointer", activeId === c.id && "bg-muted")}
            onClick={() => actions.onOpen(c)}
            data-testid="customer-row"
            data-state={selection?.has(c.id) ? "selected" : undefined}
            aria-current={activeId === c.id ? "true" : undefined}
          >
            {selection && (
              <TableCell className="pl-4">
                <RowCheckbox item={c} label={c.name} selection={selection} />
              </TableCell>
            )}
            <TableCell className={cn("max-w-44 truncate font-medium", !selection && "pl-4")}>
              <Link
                to="/customers/$id"
                params={{ id: c.id }}
                className="hover:underline"
                onClick={(e) => {
                  e.stopPropagation();
                  // A plain click opens it like the row does (the side panel); ctrl/⌘-click keeps the new tab.
                  if (e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) {
                    e.preventDefault();
                    actions.onOpen(c);
                  }
                }}
              >
                {c.name}
              </Link>
            </TableCell>
            {!compact && <TableCell className="tabular-nums">{formatPhone(c.phone)}</TableCell>}
            {showArea && <TableCell className="text-muted-foreground max-w-36 truncate">{c.area}</TableCell>}
            {!compact && <TableCell className="max-w-36 truncate">{c.package.name}</TableCell>}
            {!compact && <TableCell className="tabular-nums">Tgl {c.billingDate}</TableCell>}
            <TableCell className="text-right tabular-nums">
              {formatRupiah(c.totalBill)}
              {c.discount > 0 && <span className="text-muted-foreground block text-xs">diskon {formatRupiah(c.discount)}</span>}
            </TableCell>
            <TableCell>
              <CustomerStatusBadge status={c.status} />
            </TableCell>
            <TableCell onClick={(e) => e.stopPropagation()}>
              <ActionsMenu c={c} actions={actions} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const LONG_PRESS_MS = 500;

/** Mobile: swipeable cards; swipe left for quick actions, long-press (or ⋮) for the menu. */
export function CustomerCards({
  items,
  actions,
  showArea,
  selection,
}: {
  items: Customer[];
  actions: CustomerRowActions;
  showArea: boolean;
  selection?: Selection<Customer>;
}) {
  const pressTimer = useRef<number | null>(null);
  // The click that follows a long press must not also open the customer.
  const longPressed = useRef(false);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const cancelPress = () => {
    if (pressTimer.current) window.clearTimeout(pressTimer.current);
    pressTimer.current = null;
  };
  const open = (c: Customer) => {
    if (longPressed.current) {
      longPressed.current = false;
      return;
    }
    // While picking, a tap picks (as in the phone's own apps); the checkbox is the first pick.
    if (selection && selection.size > 0) return selection.toggle(c);
    actions.onOpen(c);
  };

  const swipeActions = (c: Customer): SwipeAction[] => {
    const list: SwipeAction[] = [{ label: "Edit", icon: <Pencil className="size-5" />, onSelect: () => actions.onEdit(c) }];
    if (actions.canManage && c.status !== "inactive") {
      list.push({
        label: c.status === "isolated" ? "Aktifkan" : "Isolir",
        icon: c.status === "isolated" ? <Power className="size-5" /> : <Ban className="size-5" />,
        tone: "warning",
        onSelect: () => actions.onIsolate(c),
      });
    }
    if (actions.canManage) {
      list.push({ label: "Hapus", icon: <Trash2 className="size-5" />, tone: "destructive", onSelect: () => actions.onDelete(c) });
    } else {
      list.push({ label: "Detail", icon: <Eye className="size-5" />, tone: "muted", onSelect: () => actions.onOpen(c) });
    }
    return list;
  };

  return (
    <ul className="space-y-3" data-testid="customer-cards">
      {items.map((c) => (
        <li key={c.id} data-testid="customer-card">
          <SwipeActions actions={swipeActions(c)}>
            <div
              role="link"
              tabIndex={0}
              className={cn(
                "bg-card active:bg-muted/60 block rounded-xl border p-4 shadow-xs select-none",
                selection?.has(c.id) && "border-primary ring-primary/30 ring-2",
              )}
              onClick={() => open(c)}
              onKeyDown={(e) => e.key === "Enter" && actions.onOpen(c)}
              onTouchStart={() => {
                cancelPress();
                longPressed.current = false;
                pressTimer.current = window.setTimeout(() => {
                  pressTimer.current = null;
                  longPressed.current = true;
                  haptic();
                  setMenuFor(c.id);
                }, LONG_PRESS_MS);
              }}
              onTouchMove={cancelPress}
              onTouchEnd={cancelPress}
              onContextMenu={(e) => e.preventDefault()}
            >
              <div className="flex items-start justify-between gap-2">
                {selection && <RowCheckbox item={c} label={c.name} selection={selection} className="mt-0.5 -mr-1" />}
                <div className="min-w-0 flex-1">
                  <p className="truncate font-semibold">{c.name}</p>
                  <p className="text-muted-foreground flex items-center gap-1 text-sm tabular-nums">
                    <Phone className="size-3.5" /> {formatPhone(c.phone)}
                  </p>
                </div>
                <div className="-mt-1 -mr-2 flex items-center gap-1" onClick={(e) => e.stopPropagation()}>
                  <CustomerStatusBadge status={c.status} />
                  <DropdownMenu open={menuFor === c.id} onOpenChange={(o) => setMenuFor(o ? c.id : null)}>
                    <DropdownMenuTrigger asChild>
                      <Button variant="ghost" size="icon" aria-label={`Aksi untuk ${c.name}`}>
                        <MoreVertical />
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent align="end">
                      <DropdownMenuItem onSelect={() => actions.onOpen(c)}>
                        <Eye /> Detail
                      </DropdownMenuItem>
                      <DropdownMenuItem onSelect={() => actions.onEdit(c)}>
                        <Pencil /> Edit
                      </DropdownMenuItem>
                      {actions.canManage && c.status !== "inactive" && (
                        <DropdownMenuItem onSelect={() => actions.onIsolate(c)}>
                          {c.status === "isolated" ? <Power /> : <Ban />}
                          {c.status === "isolated" ? "Aktifkan kembali" : "Isolir"}
                        </DropdownMenuItem>
                      )}
                      {actions.canManage && (
                        <DropdownMenuItem variant="destructive" onSelect={() => actions.onDelete(c)}>
                          <Trash2 /> Hapus
                        </DropdownMenuItem>
                      )}
                    </DropdownMenuContent>
                  </DropdownMenu>
                </div>
              </div>
              <div className="mt-3 flex items-end justify-between gap-2">
                <div className="text-muted-foreground min-w-0 flex-1 space-y-0.5 text-xs">
                  <p className="flex min-w-0 items-center gap-1">
                    <Wifi className="size-3.5 shrink-0" />
                    <span className="truncate">
                      {c.package.name}
                      {showArea ? ` · ${c.area}` : ""}
                    </span>
                  </p>
                  <p className="flex items-center gap-1">
                    <CalendarDays className="size-3.5" /> Tgl {c.billingDate}
                  </p>
                </div>
                <div className="shrink-0 text-right whitespace-nowrap">
                  <p className="font-semibold tabular-nums">{formatRupiah(c.totalBill)}</p>
                  {c.discount > 0 && <p className="text-muted-foreground text-xs">diskon {formatRupiah(c.discount)}</p>}
                </div>
              </div>
            </div>
          </SwipeActions>
        </li>
      ))}
    </ul>
  );
}
