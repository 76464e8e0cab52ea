import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import {
  AlertTriangle,
  Bell,
  BellOff,
  CalendarCheck2,
  CalendarX2,
  CheckCheck,
  DatabaseBackup,
  Download,
  FileWarning,
  Loader2,
  PauseCircle,
  WifiOff,
  type LucideIcon,
} from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import { downloadExport, type ExportResult } from "@/features/exports/queries";
import { waStatusQueryOptions } from "@/features/whatsapp/queries";
import { useWaLive } from "@/features/whatsapp/socket";
import { cn } from "@/lib/utils";
import { notificationKeys, notificationsQueryOptions, useMarkReadMutation, type AppNotification } from "./queries";
import { timeAgo } from "./time-ago";

const KIND_ICONS: Record<string, LucideIcon> = {
  wa_session_lost: WifiOff,
  wa_session_banned: AlertTriangle,
  wa_session_paused: PauseCircle,
  wa_failures: AlertTriangle,
  billing_run_done: CalendarCheck2,
  billing_run_failed: CalendarX2,
  export_ready: Download,
  export_failed: FileWarning,
  backup_late: DatabaseBackup,
};

const SEVERITY_TONE: Record<string, string> = {
  danger: "bg-destructive/10 text-destructive",
  warning: "bg-warning/15 text-amber-700 dark:text-amber-400",
  success: "bg-accent/10 text-green-700 dark:text-green-400",
  info: "bg-primary/10 text-primary",
};

/** "9+" past nine, so the badge stays a dot-sized pill. */
export function badgeText(count: number): string {
  return count > 9 ? "9+" : String(count);
}

/**
 * Keep the bell fresh: a minute's poll, plus an immediate refetch when the WhatsApp session's state
 * changes (pushed over Socket.IO into the status query by useWaLive).
 */
function useLiveNotifications() {
  const queryClient = useQueryClient();
  useWaLive();
  const wa = useQuery({
    ...waStatusQueryOptions(),
    select: (s) => `${s.status}|${s.pausedUntil ?? ""}`,
  });
  useEffect(() => {
    if (wa.data) void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  }, [wa.data, queryClient]);
  return useQuery(notificationsQueryOptions());
}

/** The header's bell: unread badge, and a panel (full screen on phones) listing what needs attention. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const list = useLiveNotifications();
  const markRead = useMarkReadMutation();
  const navigate = useNavigate();
  const unread = list.data?.unreadCount ?? 0;
  const items = list.data?.items ?? [];

  const act = (item: AppNotification) => {
    if (!item.read) markRead.mutate({ ids: [item.id] });
    setOpen(false);
    if (item.download) {
      const result = {
        downloadUrl: item.download.url,
        filename: item.download.filename ?? "ekspor",
      } as ExportResult;
      downloadExport(result).catch((e: unknown) => toast.error(e instanceof Error ? e.message : "Gagal mengunduh berkas."));
    }
    void navigate({ to: item.link.to, search: item.link.search } as never);
  };

  return (
    <>
      <Button
        variant="ghost"
        size="icon"
        className="relative"
        onClick={() => setOpen(true)}
        aria-label={unread ? `Notifikasi, ${unread} belum dibaca` : "Notifikasi"}
        data-testid="notification-bell"
      >
        <Bell className="size-5" />
        {unread > 0 ? (
          <span
            data-testid="notification-badge"
            className="bg-destructive absolute top-1 right-1 flex h-4 min-w-4 items-center justify-center rounded-full px-1 text-[10px] leading-none font-semibold text-white tabular-nums"
          >
            {badgeText(unread)}
          </span>
        ) : null}
      </Button>
      <Sheet open={open} onOpenChange={setOpen}>
        <SheetContent side="right" className="w-full gap-0 sm:max-w-md" data-testid="notification-panel">
          <SheetHeader className="border-b pr-12">
            <SheetTitle>Notifikasi</SheetTitle>
            <SheetDescription>{unread ? `${unread.toLocaleString("id-ID")} belum dibaca` : "Semua sudah dibaca"}</SheetDescription>
            {unread > 0 ? (
              <Button
                variant="outline"
                size="sm"
                className="mt-2 self-start"
                onClick={() => markRead.mutate({ all: true })}
                disabled={markRead.isPending}
                data-testid="notification-read-all"
              >
                {markRead.isPending ? <Loader2 className="animate-spin" /> : <CheckCheck />} Tandai semua dibaca
              </Button>
            ) : null}
          </SheetHeader>
          <div className="flex-1 overflow-y-auto">
            {list.isPending ? (
              <div className="space-y-3 p-4" aria-busy="true">
                {Array.from({ length: 3 }, (_, i) => (
                  <Skeleton key={i} className="h-16 w-full" />
                ))}
              </div>
            ) : list.isError ? (
              <div role="alert" className="text-destructive space-y-3 p-6 text-center text-sm">
                <p>{list.error.message || "Notifikasi gagal dimuat."}</p>
                <Button size="sm" variant="outline" onClick={() => list.refetch()}>
                  Coba lagi
                </Button>
              </div>
            ) : items.length === 0 ? (
              <div
                className="text-muted-foreground flex flex-col items-center gap-2 px-6 py-16 text-center"
                data-testid="notification-empty"
              >
                <BellOff className="size-8 opacity-60" />
                <p className="text-foreground font-medium">Tidak ada notifikasi</p>
                <p className="text-sm">Peringatan WhatsApp, tagihan otomatis, ekspor dan cadangan muncul di sini.</p>
              </div>
            ) : (
              <ul className="divide-y" data-testid="notification-list">
                {items.map((item) => (
                  <NotificationRow key={item.id} item={item} onClick={() => act(item)} />
                ))}
              </ul>
            )}
          </div>
        </SheetContent>
      </Sheet>
    </>
  );
}

function NotificationRow({ item, onClick }: { item: AppNotification; onClick: () => void }) {
  const Icon = KIND_ICONS[item.kind] ?? Bell;
  return (
    <li>
      <button
        type="button"
        onClick={onClick}
        data-testid="notification-item"
        data-kind={item.kind}
        data-read={item.read}
        className={cn("hover:bg-muted/60 flex w-full items-start gap-3 px-4 py-3 text-left", !item.read && "bg-primary/5")}
      >
        <span
          className={cn(
            "mt-0.5 flex size-9 shrink-0 items-center justify-center rounded-full",
            SEVERITY_TONE[item.severity] ?? SEVERITY_TONE.info,
          )}
        >
          <Icon className="size-4" />
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-start gap-2">
            <span className={cn("flex-1 text-sm", item.read ? "font-medium" : "font-semibold")}>{item.title}</span>
            {!item.read ? <span className="bg-primary mt-1.5 size-2 shrink-0 rounded-full" aria-label="Belum dibaca" /> : null}
          </span>
          <span className="text-muted-foreground mt-0.5 block text-xs break-words">{item.body}</span>
          <span className="text-muted-foreground mt-1 block text-[11px]">{timeAgo(item.createdAt)}</span>
        </span>
      </button>
    </li>
  );
}
