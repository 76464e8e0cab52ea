import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, FilePlus2, Loader2, XCircle } from "lucide-react";
import { useEffect, useState } from "react";
import { JobNotice } from "@/components/common/JobNotice";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { jobQueryOptions } from "@/features/customers/import-queries";
import { ownerOptionsQueryOptions } from "@/features/customers/queries";
import { MonthPicker } from "./MonthPicker";
import { addMonths, currentMonth, formatMonth, formatPeriod } from "./period";
import { useGenerateInvoicesMutation, useInvalidateInvoices } from "./queries";
import type { GenerateResult } from "./types";

const ALL = "all";

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** After a run: show the due month of the generated period. */
  onShowMonth?: (dueMonth: string) => void;
};

/** Superadmin: generate a period's prepaid invoices (default next month) as a job with progress. */
export function GenerateDialog({ open, onOpenChange, onShowMonth }: Props) {
  const [period, setPeriod] = useState(() => addMonths(currentMonth(), 1));
  const [ownerId, setOwnerId] = useState<string>(ALL);
  const [jobId, setJobId] = useState<string | null>(null);
  const generate = useGenerateInvoicesMutation();
  const invalidate = useInvalidateInvoices();
  const owners = useQuery({ ...ownerOptionsQueryOptions(), enabled: open });
  const job = useQuery(jobQueryOptions<GenerateResult>(jobId));

  useEffect(() => {
    if (!open) return;
    setPeriod(addMonths(currentMonth(), 1));
    setOwnerId(ALL);
    setJobId(null);
    generate.reset();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const state = job.data?.state;
  const done = state === "done";
  const failed = state === "failed" || job.isError;
  const running = !!jobId && !done && !failed;

  useEffect(() => {
    if (done) invalidate();
  }, [done]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = async () => {
    setJobId(await generate.mutateAsync({ period, ownerId: ownerId === ALL ? undefined : ownerId }));
  };

  const result = done ? job.data?.result : null;
  const ownerName = owners.data?.find((o) => o.id === ownerId)?.businessName;
  const progress = done ? 100 : Math.max(5, job.data?.progress ?? 0);

  return (
    <ResponsiveDialog
      open={open}
      onOpenChange={(o) => !running && onOpenChange(o)}
      title="Buat Tagihan"
      description="Tagihan pra-bayar dibuat untuk pelanggan aktif; yang sudah ada tidak digandakan."
      className="sm:max-w-md"
      footer={
        jobId ? (
          <div className="flex w-full gap-2 sm:justify-end">
            {done && onShowMonth && (
              <Button
                variant="outline"
                className="flex-1 sm:flex-none"
                onClick={() => {
                  onShowMonth(addMonths(period, -1));
                  onOpenChange(false);
                }}
              >
                Lihat tagihan
              </Button>
            )}
            <Button className="flex-1 sm:flex-none" onClick={() => onOpenChange(false)} disabled={running}>
              {running ? <Loader2 className="animate-spin" /> : null}
              {running ? "Memproses…" : "Selesai"}
            </Button>
          </div>
        ) : (
          <div className="flex w-full gap-2 sm:justify-end">
            <Button variant="outline" className="flex-1 sm:flex-none" onClick={() => onOpenChange(false)}>
              Batal
            </Button>
            <Button className="flex-1 sm:flex-none" onClick={start} disabled={generate.isPending} data-testid="generate-start">
              {generate.isPending ? <Loader2 className="animate-spin" /> : <FilePlus2 />}
              Buat Tagihan
            </Button>
          </div>
        )
      }
    >
      {!jobId ? (
        <div className="grid gap-4" data-testid="generate-form">
          <div className="grid gap-1.5">
            <Label htmlFor="generate-period">Periode (bulan layanan)</Label>
            <MonthPicker id="generate-period" value={period} onChange={setPeriod} past={2} future={3} label="Periode tagihan" />
            <p className="text-muted-foreground text-xs">
              Tagihan {formatPeriod(period)} jatuh tempo pada tanggal tagihan pelanggan di bulan {formatMonth(addMonths(period, -1))}.
            </p>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="generate-owner">Mitra / area</Label>
            <Select value={ownerId} onValueChange={setOwnerId}>
              <SelectTrigger id="generate-owner" className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent position="popper" className="max-h-72">
                <SelectItem value={ALL}>Semua mitra</SelectItem>
                {(owners.data ?? []).map((o) => (
                  <SelectItem key={o.id} value={o.id}>
                    {o.businessName}
                    {o.role === "superadmin" ? " (superadmin)" : ""}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          {generate.isError && (
            <p role="alert" className="text-destructive text-sm">
              {generate.error.message}
            </p>
          )}
        </div>
      ) : (
        <div className="grid gap-4" data-testid="generate-progress" aria-live="polite">
          <p className="text-sm">
            {formatPeriod(period)} · {ownerId === ALL ? "semua mitra" : ownerName}
          </p>
          <div
            className="bg-muted h-2.5 overflow-hidden rounded-full"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress}
            aria-label="Progres pembuatan tagihan"
          >
            <div
              className={failed ? "bg-destructive h-full transition-all" : done ? "bg-accent h-full transition-all" : "bg-primary h-full transition-all"}
              style={{ width: `${failed ? 100 : progress}%` }}
            />
          </div>
          {running && <p className="text-muted-foreground text-sm">Membuat tagihan… {job.data?.progress ?? 0}%</p>}
          <JobNotice notice={job.data?.notice} />
          {failed && (
            <p role="alert" className="text-destructive flex items-start gap-2 text-sm">
              <XCircle className="mt-0.5 size-4 shrink-0" />
              {job.data?.error || job.error?.message || "Pembuatan tagihan gagal."}
            </p>
          )}
          {result && (
            <div className="grid gap-2" data-testid="generate-result">
              <p className="flex items-start gap-2 font-medium">
                <CheckCircle2 className="text-accent mt-0.5 size-5 shrink-0" />
                {result.created} tagihan dibuat, {result.skipped} sudah ada
              </p>
              {(result.isolated > 0 || result.inactive > 0) && (
                <p className="text-muted-foreground text-sm">
                  Tidak ditagih: {result.isolated} pelanggan diisolir dan {result.inactive} pelanggan nonaktif.
                </p>
              )}
            </div>
          )}
        </div>
      )}
    </ResponsiveDialog>
  );
}
