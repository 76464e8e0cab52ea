import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { Card } from "@/components/ui/card";
import { healthQueryOptions, waWorkerDown } from "@/features/health/queries";

/** The red card for a WA worker that is not running, as GET /api/health says (not one number's session). */
export function WorkerDownNotice() {
  const health = useQuery(healthQueryOptions());
  if (!waWorkerDown(health.data)) return null;
  return (
    <Card className="border-destructive/40 bg-destructive/5 flex-row items-start gap-3 px-4 py-3 text-sm" role="alert" data-testid="wa-worker-down">
      <AlertTriangle className="text-destructive mt-0.5 size-5 shrink-0" />
      <div>
        <p className="text-destructive font-medium">WA worker tidak berjalan</p>
        <p className="text-muted-foreground">Koneksi dan pengiriman menunggu sampai worker aktif kembali. Hubungi admin server.</p>
      </div>
    </Card>
  );
}
