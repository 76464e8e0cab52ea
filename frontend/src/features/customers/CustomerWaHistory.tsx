import { useQuery } from "@tanstack/react-query";
import { MessageCircle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { ToneBadge } from "@/features/whatsapp/badges";
import { LOG_STATUS, MESSAGE_TYPE_LABELS, labelOf, toneOf } from "@/features/whatsapp/labels";
import { waCustomerLogsQueryOptions } from "@/features/whatsapp/queries";
import type { WaLogItem } from "@/features/whatsapp/types";
import { formatDateShort, formatTime, formatTotal } from "@/lib/format";

const SHOWN = 10;

function HistoryRow({ item }: { item: WaLogItem }) {
  return (
    <li className="py-2" data-testid="customer-wa-log" data-type={item.messageType} data-status={item.status}>
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="bg-muted rounded px-1.5 py-0.5 text-xs font-medium">
          {MESSAGE_TYPE_LABELS[item.messageType] ?? item.messageType}
        </span>
        <ToneBadge tone={toneOf(LOG_STATUS, item.status)}>{labelOf(LOG_STATUS, item.status)}</ToneBadge>
      </div>
      <p className="text-muted-foreground mt-1 text-xs tabular-nums">
        {formatDateShort(item.sentAt)}, {formatTime(item.sentAt)}
      </p>
      {item.errorMessage && <p className="text-destructive mt-0.5 text-xs break-words">{item.errorMessage}</p>}
    </li>
  );
}

/** Customer detail: the customer's last WhatsApp messages (type, status, WIB time, error) and the send button. */
export function CustomerWaHistory({ customerId, onSend }: { customerId: string; onSend: () => void }) {
  const logs = useQuery(waCustomerLogsQueryOptions(customerId, SHOWN));
  return (
    <Card className="gap-3" data-testid="customer-wa-history">
      <CardHeader>
        <CardTitle>Riwayat WhatsApp</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {logs.isPending ? (
          <div className="space-y-2" aria-busy="true">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : logs.isError ? (
          <p className="text-muted-foreground text-sm">Riwayat WhatsApp belum dapat dimuat: {logs.error.message}</p>
        ) : logs.data.items.length === 0 ? (
          <p className="text-muted-foreground text-sm" data-testid="customer-wa-empty">
            Belum ada pesan WhatsApp ke pelanggan ini.
          </p>
        ) : (
          <>
            <ul className="divide-y">
              {logs.data.items.map((item) => (
                <HistoryRow key={item.id} item={item} />
              ))}
            </ul>
            {logs.data.total > SHOWN && (
              <p className="text-muted-foreground text-xs">
                {SHOWN} pesan terakhir dari {formatTotal(logs.data.total, logs.data.totalCapped)}.
              </p>
            )}
          </>
        )}
        <Button variant="outline" className="w-full" onClick={onSend} data-testid="customer-send-wa">
          <MessageCircle /> Kirim Pesan WA
        </Button>
      </CardContent>
    </Card>
  );
}
