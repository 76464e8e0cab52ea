import { useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircle, CheckCircle2, Download, FileSpreadsheet, FileUp, Loader2, XCircle } from "lucide-react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { toast } from "sonner";
import { JobNotice } from "@/components/common/JobNotice";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { formatPhone, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { downloadImportTemplate, IMPORT_FIELD_LABELS, IMPORT_LIMITS_TEXT, importFileProblem, type TemplateFormat } from "./import-example";
import { jobQueryOptions, useConfirmImportMutation, useUploadImportMutation } from "./import-queries";
import { customerKeys } from "./queries";
import type { ImportPreview, ImportResult, ImportRow } from "./types";

type Step = "choose" | "validating" | "preview" | "importing" | "done";
const ROWS_SHOWN = 200;

function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="grid gap-2 py-6" data-testid="import-progress">
      <div className="flex items-center justify-between text-sm">
        <span className="flex items-center gap-2">
          <Loader2 className="text-primary size-4 animate-spin" /> {label}
        </span>
        <span className="text-muted-foreground tabular-nums">{pct}%</span>
      </div>
      <div className="bg-muted h-2.5 overflow-hidden rounded-full" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="bg-primary h-full rounded-full transition-[width] duration-500" style={{ width: `${Math.max(pct, 4)}%` }} />
      </div>
    </div>
  );
}

/** A preview cell by its CSV column, tolerating English keys. */
function cell(row: ImportRow, ...keys: string[]): string {
  for (const k of keys) {
    const v = row.data[k];
    if (v !== undefined && v !== null && v !== "") return String(v);
  }
  return "";
}
/** A normalised phone as the UI shows phones (0812-3456-7890); what was written, when it is not one. */
function phone(row: ImportRow): string {
  const v = cell(row, "telepon", "phone");
  return v ? formatPhone(v) : "";
}
function money(row: ImportRow, ...keys: string[]): string {
  const v = cell(row, ...keys);
  return /^\d+$/.test(v) ? formatRupiah(Number(v)) : v || "-";
}

function RowErrors({ row }: { row: ImportRow }) {
  return (
    <ul className="text-destructive space-y-0.5 text-xs">
      {row.errors.map((e, i) => (
        <li key={i}>
          <span className="font-medium">{IMPORT_FIELD_LABELS[e.field] ?? e.field}:</span> {e.message}
        </li>
      ))}
    </ul>
  );
}

function PreviewRows({ rows, invalid }: { rows: ImportRow[]; invalid: boolean }) {
  const isMobile = useIsMobile();
  const shown = rows.slice(0, ROWS_SHOWN);
  if (rows.length === 0) {
    return (
      <p className="text-muted-foreground py-8 text-center text-sm">
        {invalid ? "Tidak ada baris error. Semua baris siap diimpor." : "Tidak ada baris valid."}
      </p>
    );
  }
  const more = rows.length - shown.length;
  return (
    <>
      {isMobile ? (
        <ul className="min-w-0 space-y-2" data-testid={invalid ? "import-error-rows" : "import-valid-rows"}>
          {shown.map((r) => (
            <li
              key={r.line}
              className={cn(
                "min-w-0 rounded-lg border border-l-4 p-3 text-sm",
                invalid ? "border-l-destructive bg-destructive/5" : "border-l-accent bg-accent/5",
              )}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="truncate font-medium">{cell(r, "nama", "name") || "(tanpa nama)"}</span>
                <span className="text-muted-foreground shrink-0 text-xs">Baris {r.line}</span>
              </div>
              <p className="text-muted-foreground mt-0.5 text-xs break-words">
                {[phone(r), cell(r, "area"), cell(r, "paket_nama", "packageName"), money(r, "total_bayar", "totalBill")]
                  .filter((v) => v && v !== "-")
                  .join(" · ")}
              </p>
              {invalid ? <div className="mt-1.5"><RowErrors row={r} /></div> : null}
            </li>
          ))}
        </ul>
      ) : (
        <div className="max-h-[45vh] overflow-auto rounded-lg border">
          <Table data-testid={invalid ? "import-error-rows" : "import-valid-rows"}>
            <TableHeader className="bg-card sticky top-0">
              <TableRow>
                <TableHead className="w-16 pl-3">Baris</TableHead>
                <TableHead>Nama</TableHead>
                <TableHead>Telepon</TableHead>
                <TableHead>Area</TableHead>
                {invalid ? (
                  <TableHead className="w-1/2">Alasan</TableHead>
                ) : (
                  <>
                    <TableHead>Paket</TableHead>
                    <TableHead className="text-right">Total</TableHead>
                    <TableHead>Tgl</TableHead>
                  </>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((r) => (
                <TableRow key={r.line} className={invalid ? "bg-destructive/5" : "bg-accent/5"}>
                  <TableCell className="pl-3 tabular-nums">{r.line}</TableCell>
                  <TableCell className="max-w-48 truncate font-medium">{cell(r, "nama", "name") || "-"}</TableCell>
                  <TableCell className="whitespace-nowrap tabular-nums">{phone(r) || "-"}</TableCell>
                  <TableCell className="max-w-48 truncate">{cell(r, "area") || "-"}</TableCell>
                  {invalid ? (
                    <TableCell className="whitespace-normal">
                      <RowErrors row={r} />
                    </TableCell>
                  ) : (
                    <>
                      <TableCell>{cell(r, "paket_nama", "packageName") || "-"}</TableCell>
                      <TableCell className="text-right tabular-nums">{money(r, "total_bayar", "totalBill")}</TableCell>
                      <TableCell className="tabular-nums">{cell(r, "tanggal", "billingDate")}</TableCell>
                    </>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {more > 0 && <p className="text-muted-foreground pt-2 text-xs">…dan {more.toLocaleString("id-ID")} baris lainnya.</p>}
    </>
  );
}

type Props = { open: boolean; onOpenChange: (open: boolean) => void };

/** Superadmin's CSV/XLSX import: choose file → validation progress → preview (valid/error) → confirm → result. */
export function ImportWizard({ open, onOpenChange }: Props) {
  const queryClient = useQueryClient();
  const isMobile = useIsMobile();
  const inputRef = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>("choose");
  const [fileName, setFileName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [validateJobId, setValidateJobId] = useState<string | null>(null);
  const [confirmJobId, setConfirmJobId] = useState<string | null>(null);
  const [tab, setTab] = useState<"valid" | "error">("valid");
  const [templateBusy, setTemplateBusy] = useState<TemplateFormat | null>(null);
  const upload = useUploadImportMutation();
  const confirm = useConfirmImportMutation();
  const validateJob = useQuery(jobQueryOptions<ImportPreview>(validateJobId));
  const confirmJob = useQuery(jobQueryOptions<ImportResult>(confirmJobId));

  const reset = () => {
    setStep("choose");
    setFileName(null);
    setError(null);
    setValidateJobId(null);
    setConfirmJobId(null);
    upload.reset();
    confirm.reset();
    if (inputRef.current) inputRef.current.value = "";
  };

  // Every opening starts from step 1.
  useEffect(() => {
    if (open) reset();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const preview = validateJob.data?.state === "done" ? (validateJob.data.result ?? null) : null;
  const result = confirmJob.data?.state === "done" ? (confirmJob.data.result ?? null) : null;

  // Validation job finished or failed.
  useEffect(() => {
    if (step !== "validating") return;
    const job = validateJob.data;
    if (validateJob.isError) {
      setError(validateJob.error.message);
      setStep("choose");
    } else if (job?.state === "failed") {
      setError(job.error || "Validasi file gagal.");
      setStep("choose");
    } else if (job?.state === "done" && job.result) {
      setTab(job.result.invalidCount > 0 ? "error" : "valid");
      setStep("preview");
    }
  }, [step, validateJob.data, validateJob.isError, validateJob.error]);

  // Confirmation job finished or failed.
  useEffect(() => {
    if (step !== "importing") return;
    const job = confirmJob.data;
    if (confirmJob.isError || job?.state === "failed") {
      setError(confirmJob.error?.message ?? job?.error ?? "Impor gagal.");
      setStep("preview");
    } else if (job?.state === "done") {
      setStep("done");
      queryClient.invalidateQueries({ queryKey: customerKeys.all });
      queryClient.invalidateQueries({ queryKey: ["dashboard"] });
      queryClient.invalidateQueries({ queryKey: ["users"] });
      const r = job.result;
      if (r) toast.success(`${r.imported} pelanggan berhasil diimpor`);
    }
  }, [step, confirmJob.data, confirmJob.isError, confirmJob.error, queryClient]);

  const choose = (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setFileName(file.name);
    // Forget the previous (possibly failed) job, or its state would end the new validation at once.
    setValidateJobId(null);
    setConfirmJobId(null);
    if (inputRef.current) inputRef.current.value = "";
    const problem = importFileProblem(file.name, file.type);
    if (problem) {
      setError(problem);
      return;
    }
    setStep("validating");
    upload.mutate(file, {
      onSuccess: (jobId) => setValidateJobId(jobId),
      onError: (e) => {
        setError(e.message);
        setStep("choose");
      },
    });
  };

  const downloadTemplate = async (format: TemplateFormat) => {
    setTemplateBusy(format);
    try {
      await downloadImportTemplate(format);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : "Template gagal diunduh.");
    } finally {
      setTemplateBusy(null);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files?.[0]);
  };

  const startImport = () => {
    if (!preview) return;
    setError(null);
    setStep("importing");
    confirm.mutate(preview.importId, {
      onSuccess: (jobId) => setConfirmJobId(jobId),
      onError: (e) => {
        setError(e.message);
        setStep("preview");
      },
    });
  };

  const validRows = preview?.rows.filter((r) => r.errors.length === 0) ?? [];
  const errorRows = preview?.rows.filter((r) => r.errors.length > 0) ?? [];
  const busy = step === "validating" || step === "importing";

  const footer =
    step === "preview" && preview ? (
      <>
        <Button variant="outline" onClick={reset}>
          Pilih file lain
        </Button>
        <Button onClick={startImport} disabled={preview.validCount === 0} data-testid="import-confirm">
          Impor {preview.validCount.toLocaleString("id-ID")} pelanggan
        </Button>
      </>
    ) : step === "done" ? (
      <>
        <Button variant="outline" onClick={reset}>
          Impor file lain
        </Button>
        <Button onClick={() => onOpenChange(false)}>Selesai</Button>
      </>
    ) : step === "choose" ? (
      <Button variant="outline" onClick={() => onOpenChange(false)}>
        Batal
      </Button>
    ) : undefined;

  return (
    <ResponsiveDialog
      open={open}
      onOpenChange={(o) => {
        if (!o && busy) toast.info("Proses tetap berjalan di server.");
        onOpenChange(o);
      }}
      title="Impor Pelanggan (CSV/Excel)"
      description={
        step === "preview" || step === "done" ? fileName : "Pelanggan dihubungkan ke mitra berdasarkan kolom area (nama usaha)."
      }
      className="sm:max-w-4xl"
      footer={footer}
    >
      <div data-testid="import-wizard" data-step={step} className="min-w-0">
        {error && (
          <div role="alert" data-testid="import-error" className="border-destructive/40 bg-destructive/10 text-destructive mb-4 flex items-start gap-2 rounded-lg border p-3 text-sm">
            <AlertCircle className="mt-0.5 size-4 shrink-0" />
            <div className="min-w-0 flex-1">
              <p className="font-medium">{step === "preview" ? "Impor gagal" : "File tidak dapat diproses"}</p>
              <p className="mt-0.5 break-words">{error}</p>
            </div>
          </div>
        )}

        {step === "choose" && (
          <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
            <div
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
              onClick={() => inputRef.current?.click()}
              className={cn(
                "flex cursor-pointer flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors",
                dragging ? "border-primary bg-primary/5" : "hover:border-primary/60 hover:bg-muted/50",
              )}
              data-testid="import-dropzone"
            >
              <div className="bg-primary/10 text-primary flex size-14 items-center justify-center rounded-full">
                <FileUp className="size-7" />
              </div>
              <div>
                <p className="font-medium">{isMobile ? "Pilih file CSV atau Excel" : "Tarik file CSV atau Excel ke sini atau klik untuk memilih"}</p>
                <p className="text-muted-foreground mt-1 text-sm">{IMPORT_LIMITS_TEXT}</p>
              </div>
              <Button type="button" variant="secondary" size="sm" onClick={(e) => { e.stopPropagation(); inputRef.current?.click(); }}>
                <FileSpreadsheet /> {error ? "Pilih file lain" : "Pilih file"}
              </Button>
              <input
                ref={inputRef}
                type="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                className="sr-only"
                data-testid="import-file"
                onChange={(e) => choose(e.target.files?.[0])}
              />
            </div>
            <div className="text-muted-foreground grid gap-2 text-sm">
              <p>
                Kolom wajib: <code className="text-foreground text-xs">nama, telepon, diskon, tanggal, area, paket_nama, paket_tarif, total_bayar</code>;
                opsional <code className="text-foreground text-xs">nik, tanggal_register</code> (YYYY-MM-DD atau sel tanggal Excel). Telepon 0812…
                atau 62…, tanggal tagihan 1–28, area = nama usaha mitra.
              </p>
              <div className="flex flex-wrap gap-x-5 gap-y-1">
                {(["csv", "xlsx"] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    onClick={() => downloadTemplate(format)}
                    disabled={templateBusy !== null}
                    data-testid={`import-template-${format}`}
                    className="text-primary inline-flex w-fit items-center gap-1.5 font-medium hover:underline disabled:opacity-60"
                  >
                    {templateBusy === format ? <Loader2 className="size-4 animate-spin" /> : <Download className="size-4" />}
                    {format === "csv" ? "Unduh template CSV" : "Unduh template Excel"}
                  </button>
                ))}
              </div>
            </div>
          </div>
        )}

        {step === "validating" && (
          <ProgressBar
            value={upload.isPending ? 2 : (validateJob.data?.progress ?? 0)}
            label={upload.isPending ? `Mengunggah ${fileName ?? "file"}…` : "Memvalidasi baris…"}
          />
        )}

        {step === "importing" && <ProgressBar value={confirmJob.data?.progress ?? 0} label={`Mengimpor ${preview?.validCount ?? 0} pelanggan…`} />}

        {step === "validating" && <JobNotice notice={validateJob.data?.notice} />}
        {step === "importing" && <JobNotice notice={confirmJob.data?.notice} />}

        {step === "preview" && preview && (
          <div className="grid grid-cols-[minmax(0,1fr)] gap-4" data-testid="import-preview">
            <div className="grid grid-cols-2 gap-3">
              <div className="border-accent/30 bg-accent/10 rounded-xl border p-3">
                <p className="text-accent flex items-center gap-1.5 text-sm font-medium dark:text-green-400">
                  <CheckCircle2 className="size-4" /> Valid
                </p>
                <p className="text-2xl font-semibold tabular-nums" data-testid="import-valid-count">
                  {preview.validCount.toLocaleString("id-ID")}
                </p>
              </div>
              <div className="border-destructive/30 bg-destructive/10 rounded-xl border p-3">
                <p className="text-destructive flex items-center gap-1.5 text-sm font-medium">
                  <XCircle className="size-4" /> Error
                </p>
                <p className="text-2xl font-semibold tabular-nums" data-testid="import-invalid-count">
                  {preview.invalidCount.toLocaleString("id-ID")}
                </p>
              </div>
            </div>
            <Tabs className="min-w-0" value={tab} onValueChange={(v) => setTab(v as "valid" | "error")}>
              <TabsList className="w-full sm:w-fit">
                <TabsTrigger value="valid" className="data-[state=active]:text-accent dark:data-[state=active]:text-green-400">
                  Valid ({preview.validCount.toLocaleString("id-ID")})
                </TabsTrigger>
                <TabsTrigger value="error" className="data-[state=active]:text-destructive">
                  Error ({preview.invalidCount.toLocaleString("id-ID")})
                </TabsTrigger>
              </TabsList>
              <TabsContent value="valid" className="min-w-0">
                <PreviewRows rows={validRows} invalid={false} />
                {(preview.validRowsOmitted ?? 0) > 0 && (
                  <p className="text-muted-foreground pt-1 text-xs">
                    {preview.validRowsOmitted!.toLocaleString("id-ID")} baris valid lainnya tidak ditampilkan, tetapi ikut diimpor.
                  </p>
                )}
              </TabsContent>
              <TabsContent value="error" className="min-w-0">
                <PreviewRows rows={errorRows} invalid />
              </TabsContent>
            </Tabs>
            {preview.invalidCount > 0 && preview.validCount > 0 && (
              <p className="text-muted-foreground text-xs">Baris error akan dilewati. Perbaiki file dan impor ulang untuk baris tersebut.</p>
            )}
          </div>
        )}

        {step === "done" && result && (
          <div className="flex flex-col items-center gap-3 py-8 text-center" data-testid="import-result">
            <div className="bg-accent/15 text-accent flex size-16 items-center justify-center rounded-full dark:text-green-400">
              <CheckCircle2 className="size-8" />
            </div>
            <p className="text-lg font-semibold">
              {result.imported.toLocaleString("id-ID")} berhasil diimpor, {result.skipped.toLocaleString("id-ID")} dilewati
            </p>
            {result.alreadyImported ? (
              <p className="text-muted-foreground text-sm">File ini sudah pernah dikonfirmasi sebelumnya.</p>
            ) : result.skipped > 0 ? (
              <p className="text-muted-foreground max-w-md text-sm">
                Baris dilewati karena datanya berubah sejak validasi (mis. nomor sudah terdaftar atau paket dinonaktifkan).
              </p>
            ) : null}
          </div>
        )}
      </div>
    </ResponsiveDialog>
  );
}
