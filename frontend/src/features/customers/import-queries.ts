import { queryOptions, useMutation } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Job } from "./types";

export const JOB_POLL_MS = 700;

/** A job's state, polled every 700 ms until it is done or failed. */
export const jobQueryOptions = <Result,>(jobId: string | null) =>
  queryOptions({
    queryKey: ["jobs", jobId] as const,
    queryFn: async () =>
      (await unwrap(api.GET("/api/jobs/{job_id}", { params: { path: { job_id: jobId! } } }))) as Job<Result>,
    enabled: !!jobId,
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === "done" || state === "failed" ? false : JOB_POLL_MS;
    },
    refetchIntervalInBackground: true,
    gcTime: 0,
  });

/** Upload a CSV: 202 `{jobId}` of the validation job (too large / not CSV may already fail here). */
export function useUploadImportMutation() {
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      const res = await unwrap(
        api.POST("/api/customers/import", {
          // The generated body type says `string` (binary); the real body is this FormData.
          body: { file: file as unknown as string },
          bodySerializer: () => form,
        }),
      );
      return res.jobId!;
    },
  });
}

export function useConfirmImportMutation() {
  return useMutation({
    mutationFn: async (importId: string) => {
      const res = await unwrap(
        api.POST("/api/customers/import/{import_id}/confirm", { params: { path: { import_id: importId } } }),
      );
      return res.jobId!;
    },
  });
}
