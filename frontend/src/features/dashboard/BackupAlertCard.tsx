import { useQuery } from "@tanstack/react-query";
import { DatabaseBackup } from "lucide-react";
import { Card } from "@/components/ui/card";
import { backupAlert, healthQueryOptions } from "@/features/health/queries";

/** The superadmin's warning that backups stopped succeeding (newest good one over 36 h old); nothing otherwise. */
export function BackupAlertCard() {
  const health = useQuery(healthQueryOptions());
  const alert = backupAlert(health.data);
  if (!alert) return null;
  return (
    <Card
      role="alert"
      data-testid="backup-alert"
      className="border-destructive/40 bg-destructive/5 mb-4 flex-col items-start gap-3 px-4 py-3 sm:flex-row sm:items-center"
    >
      <DatabaseBackup className="text-destructive size-5 shrink-0" />
      <div className="min-w-0 flex-1 text-sm">
        <p className="font-medium">{alert.title}</p>
        <p className="text-muted-foreground">{alert.description}</p>
        {alert.lastError ? (
          <p className="text-muted-foreground mt-1 break-words font-mono text-xs">Galat terakhir: {alert.lastError}</p>
        ) : null}
      </div>
    </Card>
  );
}
