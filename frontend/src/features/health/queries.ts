/** GET /api/health, shared by every screen that warns about the server (WA worker, Redis...). */
import { queryOptions } from "@tanstack/react-query";
import { api, networkError, toApiError } from "@/lib/api";
import type { paths } from "@/lib/api-schema";
import { formatDateTime } from "@/lib/format";

export type Health = paths["/api/health"]["get"]["responses"][200]["content"]["application/json"];
export type PartStatus = "ok" | "degraded" | "down" | "unknown";

export const healthKeys = { all: ["health"] as const };

/** The health report; a 503 (the database is down) still carries one, so it is an answer, not an error. */
export async function fetchHealth(): Promise<Health> {
  const result = await api.GET("/api/health").catch(() => {
    throw networkError();
  });
  if (result.response.ok) return result.data as Health;
  const body = result.error as Health | undefined;
  if (result.response.status === 503 && body?.parts) return body;
  throw toApiError(result.response.status, result.error);
}

export const healthQueryOptions = () =>
  queryOptions({
    queryKey: healthKeys.all,
    queryFn: fetchHealth,
    refetchInterval: 30_000,
  });

/** Only a report that says no WA worker is alive counts: an unknown or unanswered health is not an alarm. */
export function waWorkerDown(health: Health | undefined): boolean {
  return health?.parts?.wa?.status === "down";
}

export type BackupAlert = { title: string; description: string; lastError?: string | null };

/**
 * The superadmin's warning when the newest good backup is over 36 hours old (or none succeeded): the server says
 * so with `parts.backup.status === "down"`; `unknown` (no backup recorded yet, e.g. `make run`) is not an alarm.
 */
export function backupAlert(health: Health | undefined): BackupAlert | null {
  const part = health?.parts?.backup;
  if (part?.status !== "down") return null;
  const hours = part.staleAfterHours ?? 36;
  const last = part.lastSuccessAt
    ? `Cadangan terakhir yang berhasil: ${formatDateTime(part.lastSuccessAt)}.`
    : "Belum ada cadangan yang berhasil.";
  return {
    title: part.lastSuccessAt
      ? `Cadangan database lebih dari ${hours} jam tidak berhasil`
      : "Cadangan database belum pernah berhasil",
    description: `${last} Periksa layanan db-backup di server (lihat README, bagian Backups).`,
    lastError: part.lastError,
  };
}
