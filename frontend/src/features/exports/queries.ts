import { queryOptions, useMutation } from "@tanstack/react-query";
import { API_BASE, api, authFetch, toApiError, unwrap } from "@/lib/api";

export type ExportKind = "finance" | "invoices" | "customers";
export type ExportFormat = "csv" | "xlsx";
export type ExportParams = {
  format: ExportFormat;
  from?: string;
  to?: string;
  ownerId?: string;
  period?: string;
  status?: "paid" | "unpaid" | "partial";
};

/** `result` of a finished export job. */
export type ExportResult = { downloadUrl: string; filename: string; rows: number; format: ExportFormat; expiresAt: string };
export type JobState = "queued" | "running" | "done" | "failed";
export type ExportJob = {
  id: string;
  state: JobState;
  progress: number;
  result: ExportResult | null;
  error: string | null;
  /** e.g. "Tugas diulang karena worker berhenti." when a worker died and the job was run again. */
  notice?: string | null;
};

function clean<T extends object>(q: T): T {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== "")) as T;
}

/** Ask for an export; the server answers 202 with the job that writes the file. */
export async function startExport(kind: ExportKind, params: ExportParams): Promise<string> {
  const { format, from, to, ownerId, period, status } = params;
  const accepted =
    kind === "finance"
      ? await unwrap(api.GET("/api/finance/export", { params: { query: clean({ format, from, to, ownerId }) } }))
      : kind === "invoices"
        ? await unwrap(api.GET("/api/invoices/export", { params: { query: clean({ format, from, to, ownerId, period, status }) } }))
        : await unwrap(api.GET("/api/customers/export", { params: { query: clean({ format, ownerId }) } }));
  return (accepted as { jobId: string }).jobId;
}

const POLL_MS = 800;

export const exportJobQueryOptions = (jobId: string | null) =>
  queryOptions({
    queryKey: ["jobs", jobId] as const,
    queryFn: async () => (await unwrap(api.GET("/api/jobs/{job_id}", { params: { path: { job_id: jobId! } } }))) as ExportJob,
    enabled: !!jobId,
    // A job is followed until it settles; a settled one never changes.
    refetchInterval: (q) => (q.state.data && (q.state.data.state === "done" || q.state.data.state === "failed") ? false : POLL_MS),
    staleTime: Infinity,
    gcTime: 30 * 60 * 1000,
  });

/**
 * Save a finished export. The download URL needs the bearer token, so a plain link cannot fetch
 * it: fetch it ourselves, then hand the bytes to the browser through an object URL.
 */
export async function downloadExport(result: ExportResult): Promise<void> {
  // The file is on the API (VITE_API_URL's origin when the PWA lives elsewhere).
  const res = await authFetch(new Request(new URL(result.downloadUrl, `${API_BASE}/`)));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = result.filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the save before the bytes are released.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function useStartExportMutation() {
  return useMutation({ mutationFn: (v: { kind: ExportKind; params: ExportParams }) => startExport(v.kind, v.params) });
}
