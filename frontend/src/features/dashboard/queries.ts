import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { DashboardStats } from "@/lib/api-types";

export const dashboardStatsQueryOptions = () =>
  queryOptions({
    queryKey: ["dashboard", "stats"] as const,
    queryFn: async () => (await unwrap(api.GET("/api/dashboard/stats"))) as DashboardStats,
  });
