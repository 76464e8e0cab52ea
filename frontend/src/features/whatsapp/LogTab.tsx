import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ChevronDown, ScrollText } from "lucide-react";
import { useState } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { Pagination } from "@/components/common/Pagination";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { formatDateShort, formatPhone, formatTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ToneBadge } from "./badges";
import { LOG_STATUS, MESSAGE_TYPE_LABELS, labelOf, toneOf } from "./labels";
import { waLogsQueryOptions } from "./queries";
import type { WaLogItem, WaLogQuery, WaLogStatus, WaMessageType } from "./types";

const PER_PAGE = 20;
const ALL = "all";

function LogRow({ item }: { item: WaLogItem }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="px-4 py-3" data-testid="wa-log-row" data-type={item.messageType} data-status={item.status}>
      <button type="button" className="flex w-full items-start justify-between gap-3 text-left" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-muted-foreground text-xs tabular-nums">
              {formatDateShort(item.sentAt)}, {formatTime(item.sentAt)}
            </span>
            <span className="bg-muted rounded px-1.5 py-0.5 text-xs font-medium">{MESSAGE_TYPE_LABELS[item.messageType] ?? item.messageType}</span>
            <ToneBadge tone={toneOf(LOG_STATUS, item.status)}>{labelOf(LOG_STATUS, item.status)}</ToneBadge>
          </div>
          <p className="mt-1 truncate text-sm">
            <span className="font-medium">{item.customerName ?? "Tanpa pelanggan"}</span>
            <span className="text-muted-foreground tabular-nums"> · {formatPhone(item.phone)}</span>
          </p>
          {item.errorMessage && <p className="text-destructive mt-0.5 text-xs">{item.errorMessage}</p>}
        </div>
        <ChevronDown className={cn("text-muted-foreground mt-1 size-4 shrink-0 transition-transform", open && "rotate-180")} />
      </button>
      {open && (
        <div className="bg-muted/50 mt-2 rounded-md p-3 text-sm" data-testid="wa-log-content">
          <p className="whitespace-pre-wrap">{item.content}</p>
          {item.customerId && (
            <Link to="/customers/$id" params={{ id: item.customerId }} className="text-primary mt-2 inline-block text-xs hover:underline">
              Lihat pelanggan
            </Link>
          )}
        </div>
      )}
    </li>
  );
}

export function LogTab() {
  const [filters, setFilters] = useState<WaLogQuery>({});
  const [page, setPage] = useState(1);
  const logs = useQuery(waLogsQueryOptions({ ...filters, page, perPage: PER_PAGE }));
  const set = (patch: WaLogQuery) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-2 md:flex md:flex-wrap md:items-end" data-testid="wa-log-filters">
        <div className="grid gap-1">
          <Label htmlFor="wa-log-type" className="text-muted-foreground text-xs">Jenis</Label>
          <Select value={filters.messageType ?? ALL} onValueChange={(v) => set({ messageType: v === ALL ? undefined : (v as WaMessageType) })}>
            <SelectTrigger id="wa-log-type" className="w-full md:w-40">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL}>Semua jenis</SelectItem>
              {Object.entries(MESSAGE_TYPE_LABELS).map(([k, label]) => (
                <SelectItem key={k} value={k}>
                  {label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="wa-log-status" className="text-muted-foreground text-xs">Status</Label>
          <Select value={filters.status ?? ALL} onValueChange={(v) => set({ status: v === ALL ? undefined : (v as WaLogStatus) })}>
            <SelectTrigger id="wa-log-status" className="w-full md:w-36">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL}>Semua status</SelectItem>
              {(["delivered", "sent", "failed"] as WaLogStatus[]).map((s) => (
                <SelectItem key={s} value={s}>
                  {LOG_STATUS[s].label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="wa-log-from" className="text-muted-foreground text-xs">Dari tanggal</Label>
          <Input id="wa-log-from" type="date" className="md:w-40" value={filters.from ?? ""} onChange={(e) => set({ from: e.target.value || undefined })} />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="wa-log-to" className="text-muted-foreground text-xs">Sampai tanggal</Label>
          <Input id="wa-log-to" type="date" className="md:w-40" value={filters.to ?? ""} onChange={(e) => set({ to: e.target.value || undefined })} />
        </div>
        {filtered && (
          <Button variant="ghost" className="col-span-2 md:col-span-1" onClick={() => (setFilters({}), setPage(1))}>
            Hapus filter
          </Button>
        )}
      </div>

      {logs.isPending ? (
        <ListSkeleton variant="cards" rows={5} />
      ) : logs.isError ? (
        <Card className="text-destructive px-6 text-sm">{logs.error.message}</Card>
      ) : logs.data.items.length === 0 ? (
        <Card className="py-0">
          <EmptyState
            icon={ScrollText}
            title={filtered ? "Tidak ada pesan yang cocok" : "Belum ada pesan"}
            description={filtered ? "Ubah atau hapus filter." : "Nota, pengingat dan pesan lain tercatat di sini setelah dikirim."}
          />
        </Card>
      ) : (
        <Card className={cn("py-0", logs.isPlaceholderData && "opacity-60")}>
          <ul className="divide-y" data-testid="wa-log-list">
            {logs.data.items.map((item) => (
              <LogRow key={item.id} item={item} />
            ))}
          </ul>
        </Card>
      )}
      {logs.data && <Pagination page={logs.data.page} perPage={logs.data.perPage} total={logs.data.total} totalCapped={logs.data.totalCapped} onPageChange={setPage} />}
    </div>
  );
}
