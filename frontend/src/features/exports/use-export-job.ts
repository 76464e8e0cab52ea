import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import {
  downloadExport,
  exportJobQueryOptions,
  useStartExportMutation,
  type ExportJob,
  type ExportKind,
  type ExportParams,
  type ExportResult,
} from "./queries";

export type ExportJobHandle = {
  /** Start an export; `label` names it in the progress card ("Rekap keuangan", ...). */
  run: (kind: ExportKind, params: ExportParams, label: string) => void;
  job: ExportJob | undefined;
  label: string;
  starting: boolean;
  /** A job is being started or is still writing its file. */
  busy: boolean;
  pollError: Error | null;
  download: (result: ExportResult) => Promise<void>;
  downloading: boolean;
};

/** One export at a time: start it, follow its progress, save the file once it is ready. */
export function useExportJob(): ExportJobHandle {
  const [jobId, setJobId] = useState<string | null>(null);
  const [label, setLabel] = useState("");
  const [downloading, setDownloading] = useState(false);
  const start = useStartExportMutation();
  const job = useQuery(exportJobQueryOptions(jobId));
  const settledJob = useRef<string | null>(null);

  const download = useCallback(async (result: ExportResult) => {
    setDownloading(true);
    try {
      await downloadExport(result);
    } catch (e) {
      toast.error((e as Error).message);
    } finally {
      setDownloading(false);
    }
  }, []);

  // Save the file (or report the failure) exactly once per job, when it settles.
  useEffect(() => {
    const data = job.data;
    if (!jobId || !data || settledJob.current === jobId) return;
    if (data.state === "done" && data.result) {
      settledJob.current = jobId;
      toast.success(`File siap: ${data.result.filename}`);
      void download(data.result);
    } else if (data.state === "failed") {
      settledJob.current = jobId;
      toast.error(data.error || "Ekspor gagal. Coba lagi.");
    }
  }, [job.data, jobId, download]);

  const run = useCallback(
    (kind: ExportKind, params: ExportParams, nextLabel: string) => {
      setLabel(nextLabel);
      setJobId(null);
      start.mutate(
        { kind, params },
        {
          onSuccess: (id) => setJobId(id),
          onError: (e) => toast.error(e.message),
        },
      );
    },
    [start],
  );

  const current = jobId ? job.data : undefined;
  const settled = current?.state === "done" || current?.state === "failed";
  return {
    run,
    job: current,
    label,
    starting: start.isPending,
    busy: start.isPending || (!!jobId && !settled && !job.isError),
    pollError: job.isError ? job.error : null,
    download,
    downloading,
  };
}
