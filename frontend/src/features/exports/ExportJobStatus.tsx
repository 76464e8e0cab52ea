import { CircleAlert, CircleCheck, Download, Loader2 } from "lucide-react";
import { useEffect, useState } from "react";
import { JobNotice } from "@/components/common/JobNotice";
import { ProgressBar } from "@/components/common/ProgressBar";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { ExportJobHandle } from "./use-export-job";

/** True once `iso` has passed (re-rendering at that moment). */
function useExpired(iso: string | undefined): boolean {
  const [expired, setExpired] = useState(() => !!iso && Date.parse(iso) <= Date.now());
  useEffect(() => {
    if (!iso) return;
    const left = Date.parse(iso) - Date.now();
    setExpired(left <= 0);
    if (left <= 0) return;
    const timer = setTimeout(() => setExpired(true), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [iso]);
  return expired;
}

/** Progress of an export job, then "Unduh lagi" until the file expires. Renders nothing before the first run. */
export function ExportJobStatus({ handle, className }: { handle: ExportJobHandle; className?: string }) {
  const { job, label, starting, pollError, download, downloading } = handle;
  const result = job?.state === "done" ? job.result : null;
  const expired = useExpired(result?.expiresAt);
  if (!starting && !job && !pollError) return null;

  const state = starting ? "queued" : (job?.state ?? "queued");
  const progress = state === "done" ? 100 : (job?.progress ?? 0);
  return (
    <Card className={cn("gap-2 p-4", className)} data-testid="export-status" data-state={pollError ? "failed" : state} aria-live="polite">
      <div className="flex items-center gap-2 text-sm">
        {pollError || state === "failed" ? (
          <CircleAlert className="text-destructive size-4 shrink-0" />
        ) : state === "done" ? (
          <CircleCheck className="text-accent size-4 shrink-0" />
        ) : (
          <Loader2 className="text-primary size-4 shrink-0 animate-spin" />
        )}
        <span className="font-medium">{label}</span>
        <span className="text-muted-foreground ml-auto text-xs tabular-nums">
          {state === "queued" ? "Menunggu antrian…" : state === "running" ? `Menyiapkan file… ${progress}%` : state === "done" ? "Selesai" : "Gagal"}
        </span>
      </div>
      {state !== "failed" && !pollError ? (
        <ProgressBar value={progress} label={`Progres ${label}`} barClassName={state === "done" ? "bg-accent" : undefined} />
      ) : null}
      <JobNotice notice={job?.notice} />
      {pollError ? <p className="text-destructive text-sm">{pollError.message}</p> : null}
      {state === "failed" ? <p className="text-destructive text-sm">{job?.error || "Ekspor gagal. Coba lagi."}</p> : null}
      {result ? (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-muted-foreground min-w-0 text-xs">
            <span className="text-foreground font-medium break-all">{result.filename}</span> · {result.rows.toLocaleString("id-ID")} baris
            <br />
            {expired ? "File sudah kedaluwarsa, buat ulang untuk mengunduh." : `Tersedia sampai ${formatDateTime(result.expiresAt)}`}
          </p>
          {!expired ? (
            <Button size="sm" variant="outline" onClick={() => download(result)} disabled={downloading} data-testid="export-download-again">
              {downloading ? <Loader2 className="animate-spin" /> : <Download />} Unduh lagi
            </Button>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
