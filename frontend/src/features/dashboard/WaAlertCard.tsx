import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { AlertTriangle, QrCode, ScrollText } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { healthQueryOptions, waWorkerDown } from "@/features/health/queries";
import { SimulatorBadge } from "@/features/whatsapp/badges";
import { waAlert } from "@/features/whatsapp/labels";
import { waLogsQueryOptions, waStatusQueryOptions } from "@/features/whatsapp/queries";
import { cn } from "@/lib/utils";

/** A stopped WA worker, a lost WhatsApp session (scan again) or failures piling up; nothing when all is well. */
export function WaAlertCard() {
  const status = useQuery({ ...waStatusQueryOptions(), refetchInterval: 60_000 });
  const logs = useQuery({ ...waLogsQueryOptions({ page: 1, perPage: 1 }), refetchInterval: 120_000 });
  const health = useQuery(healthQueryOptions());
  const alert = waAlert(status.data, logs.data?.failedLast24h ?? 0, waWorkerDown(health.data));
  if (!alert) return null;
  const danger = alert.level === "danger";
  return (
    <Card
      role="alert"
      data-testid="wa-alert"
      className={cn(
        "mb-4 flex-col items-start gap-3 px-4 py-3 sm:flex-row sm:items-center",
        danger ? "border-destructive/40 bg-destructive/5" : "border-warning/50 bg-warning/10",
      )}
    >
      <AlertTriangle className={cn("size-5 shrink-0", danger ? "text-destructive" : "text-amber-600")} />
      <div className="min-w-0 flex-1 text-sm">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          {alert.title} <SimulatorBadge transport={status.data?.transport} />
        </p>
        <p className="text-muted-foreground">{alert.description}</p>
      </div>
      {!alert.worker && (
        <Button asChild size="sm" variant={danger ? "default" : "outline"} className="w-full sm:w-auto">
          {alert.rescan ? (
            <Link to="/whatsapp">
              <QrCode /> Scan ulang
            </Link>
          ) : (
            <Link to="/whatsapp" search={{ tab: "log" }}>
              <ScrollText /> Lihat log
            </Link>
          )}
        </Button>
      )}
    </Card>
  );
}
