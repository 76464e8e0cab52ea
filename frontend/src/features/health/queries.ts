/** GET /api/health, shared by every screen that warns about the server (WA worker, Redis...). */
import { queryOptions } from "@tanstack/react-query";
import { api, networkError, toApiError } from "@/lib/api";
import type { paths } from "@/lib/api-schema";

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
