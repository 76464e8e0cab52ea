import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export const dashboardStatsQueryOptions = () =>
  queryOptions({
    queryKey: ["dashboard", "stats"] as const,
    queryFn: () => unwrap(api.GET("/api/dashboard/stats")),
  });
