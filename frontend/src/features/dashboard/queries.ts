import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { DashboardStats } from "@/lib/api-types";

/** Dashboard figures; `ownerId` (superadmin only) narrows them to one mitra. */
export const dashboardStatsQueryOptions = (ownerId?: string) =>
  queryOptions({
    queryKey: ["dashboard", "stats", { ownerId: ownerId ?? null }] as const,
    queryFn: async () =>
      (await unwrap(api.GET("/api/dashboard/stats", { params: { query: ownerId ? { ownerId } : {} } }))) as DashboardStats,
    placeholderData: keepPreviousData,
  });
