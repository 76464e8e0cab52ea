import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, CalendarClock, Inbox, RotateCcw, XCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { EmptyState } from "@/components/common/EmptyState";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { Pagination } from "@/components/common/Pagination";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatDateShort, formatDateTime, formatPhone } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ToneBadge } from "./badges";
import { FAILURE_ALERT_THRESHOLD, MESSAGE_TYPE_LABELS, QUEUE_STATUS, labelOf, toneOf } from "./labels";
import { useCancelQueueMutation, useRetryQueueMutation, waQueueQueryOptions } from "./queries";
import { SendWindowNotice } from "./SendWindowNotice";
import type { WaPlanEntry, WaQueueItem, WaQueueStatus } from "./types";

const PER_PAGE = 20;
const FILTERS: WaQueueStatus[] = ["pending", "sending", "sent", "failed", "cancelled"];

function Plan({ plan }: { plan: WaPlanEntry[] }) {
  if (plan.length === 0) return null;
  return (
    <Card className="gap-2 px-4 py-3" data-testid="wa-plan">
      <h3 className="flex items-center gap-2 text-sm font-semibold">
        <CalendarClock className="size-4" /> Rencana pengingat
      </h3>
      <ul className="divide-y text-sm">
        {plan.map((p) => (
          <li key={p.dueDate} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 py-1.5">
            <span>
              Jatuh tempo <span className="font-medium">{formatDateShort(p.dueDate)}</span>
              {p.firstAt ? (
                <span className="text-muted-foreground">
                  {" "}
                  · {formatDateTime(p.firstAt)}
                  {p.lastAt && p.lastAt !== p.firstAt ? ` – ${formatDateTime(p.lastAt)}` : ""}
                </span>
              ) : null}
            </span>
            <span className="text-muted-foreground tabular-nums">
              {p.sent}/{p.total} terkirim{p.queued ? ` · ${p.queued} menunggu` : ""}
              {p.failed ? <span className="text-destructive"> · {p.failed} gagal</span> : null}
            </span>
            {p.startedEarly && (
              <p className="w-full text-xs text-amber-700 dark:text-amber-400" data-testid="wa-plan-early">
                Dimulai lebih awal agar semua pelanggan teringatkan sebelum jatuh tempo.
              </p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function QueueRow({ item, onRetry, onCancel }: { item: WaQueueItem; onRetry: () => void; onCancel: () => void }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-x-3 gap-y-2 px-4 py-3" data-testid="wa-queue-row">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium">{item.customerName ?? formatPhone(item.phone)}</span>
          <ToneBadge tone={toneOf(QUEUE_STATUS, item.status)}>{labelOf(QUEUE_STATUS, item.status)}</ToneBadge>
          <span className="text-muted-foreground text-xs">{MESSAGE_TYPE_LABELS[item.messageType] ?? item.messageType}</span>
        </div>
        <p className="text-muted-foreground mt-0.5 text-xs tabular-nums">
          {formatPhone(item.phone)} · {item.status === "sent" && item.sentAt ? `terkirim ${formatDateTime(item.sentAt)}` : `jadwal ${formatDateTime(item.scheduledAt)}`}
          {item.retryCount > 0 ? ` · percobaan ${item.retryCount + 1}/${item.maxRetries + 1}` : ""}
        </p>
        {item.errorMessage && <p className="text-destructive mt-1 text-xs">{item.errorMessage}</p>}
        <p className="text-muted-foreground mt-1 line-clamp-2 text-xs">{item.content.replace(/\s+/g, " ")}</p>
      </div>
      <div className="flex shrink-0 gap-1">
        {item.status === "failed" && (
          <Button size="sm" variant="outline" onClick={onRetry}>
            <RotateCcw /> Kirim ulang
          </Button>
        )}
        {item.status === "pending" && (
          <Button size="sm" variant="ghost" className="text-destructive hover:text-destructive" onClick={onCancel}>
            <XCircle /> Batalkan
          </Button>
        )}
      </div>
    </li>
  );
}

export function QueueTab() {
  const [status, setStatus] = useState<WaQueueStatus | undefined>();
  const [page, setPage] = useState(1);
  const [cancelling, setCancelling] = useState<WaQueueItem | null>(null);
  const queue = useQuery(waQueueQueryOptions({ status, page, perPage: PER_PAGE }));
  const retry = useRetryQueueMutation();
  const cancel = useCancelQueueMutation();
  const counts = queue.data?.counts;

  return (
    <div className="space-y-4">
      <div className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1 md:mx-0 md:px-0" role="tablist" aria-label="Status antrian" data-testid="wa-queue-counts">
        {[undefined, ...FILTERS].map((s) => {
          const selected = s === status;
          const value = s ? counts?.[s] : undefined;
          return (
            <button
              key={s ?? "all"}
              type="button"
              role="tab"
              aria-selected={selected}
              onClick={() => {
                setStatus(s);
                setPage(1);
              }}
              className={cn(
                "bg-card flex min-w-24 shrink-0 flex-col items-start rounded-xl border px-3 py-2 text-left transition-colors",
                selected ? "border-primary ring-primary/30 ring-2" : "hover:bg-muted/60",
              )}
            >
              <span className="text-muted-foreground text-xs">{s ? QUEUE_STATUS[s].label : "Semua"}</span>
              <span className={cn("text-lg font-semibold tabular-nums", s === "failed" && value ? "text-destructive" : "")}>
                {s ? (value ?? "…") : counts ? Object.values(counts).reduce((a, b) => a + b, 0) : "…"}
              </span>
            </button>
          );
        })}
      </div>

      {(counts?.failed ?? 0) >= FAILURE_ALERT_THRESHOLD && (
        <Card className="border-destructive/40 bg-destructive/5 flex-row items-start gap-3 px-4 py-3 text-sm" role="alert" data-testid="wa-queue-failures">
          <AlertTriangle className="text-destructive mt-0.5 size-5 shrink-0" />
          <p>
            <span className="font-medium">{counts!.failed} pesan gagal.</span> Periksa alasannya, pastikan WhatsApp terhubung, lalu kirim ulang.
          </p>
        </Card>
      )}

      {queue.data?.sendWindow && <SendWindowNotice sendWindow={queue.data.sendWindow} pending={counts?.pending ?? 0} />}
      {queue.data && <Plan plan={queue.data.plan ?? []} />}

      {queue.isPending ? (
        <ListSkeleton variant="cards" rows={4} />
      ) : queue.isError ? (
        <Card className="text-destructive px-6 text-sm">{queue.error.message}</Card>
      ) : queue.data.items.length === 0 ? (
        <Card className="py-0">
          <EmptyState icon={Inbox} title={status ? `Tidak ada pesan berstatus ${QUEUE_STATUS[status].label}` : "Antrian kosong"} description="Pengingat dan kirim massal muncul di sini sebelum dikirim." />
        </Card>
      ) : (
        <Card className={cn("py-0", queue.isPlaceholderData && "opacity-60")}>
          <ul className="divide-y" data-testid="wa-queue-list">
            {queue.data.items.map((item) => (
              <QueueRow
                key={item.id}
                item={item}
                onCancel={() => setCancelling(item)}
                onRetry={() =>
                  retry.mutate(item.id, {
                    onSuccess: () => toast.success("Pesan masuk antrian lagi"),
                    onError: (e) => toast.error(e.message),
                  })
                }
              />
            ))}
          </ul>
        </Card>
      )}
      {queue.data && <Pagination page={queue.data.page} perPage={queue.data.perPage} total={queue.data.total} onPageChange={setPage} />}

      <ConfirmDialog
        open={!!cancelling}
        onOpenChange={(o) => !o && setCancelling(null)}
        title="Batalkan pesan ini?"
        description={cancelling ? `Pesan ke ${cancelling.customerName ?? formatPhone(cancelling.phone)} tidak akan dikirim.` : null}
        confirmLabel="Batalkan pesan"
        cancelLabel="Kembali"
        destructive
        onConfirm={async () => {
          await cancel.mutateAsync(cancelling!.id);
          toast.success("Pesan dibatalkan");
        }}
      />
    </div>
  );
}
