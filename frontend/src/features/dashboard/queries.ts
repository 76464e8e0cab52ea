import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { paths } from "@/lib/api-schema";
import type { DashboardStats } from "@/lib/api-types";
import type { Invoice } from "@/features/invoices/types";

/** Dashboard figures; `ownerId` (superadmin only) narrows them to one mitra. */
export const dashboardStatsQueryOptions = (ownerId?: string) =>
  queryOptions({
    queryKey: ["dashboard", "stats", { ownerId: ownerId ?? null }] as const,
    queryFn: async () =>
      (await unwrap(api.GET("/api/dashboard/stats", { params: { query: ownerId ? { ownerId } : {} } }))) as DashboardStats,
    placeholderData: keepPreviousData,
  });

type TodayRaw = NonNullable<paths["/api/dashboard/today"]["get"]["responses"][200]["content"]["application/json"]>;
type InvoiceGroup = { count: number; totalAmount: number; items: Invoice[] };
export type CollectorToday = Omit<Required<TodayRaw>, "dueToday" | "overdue" | "collectedToday"> & {
  dueToday: InvoiceGroup;
  overdue: InvoiceGroup;
  collectedToday: { amount: number; count: number };
};

/** A collector's day: unpaid invoices due today and overdue, and money collected today (WIB). */
export const collectorTodayQueryOptions = (ownerId?: string) =>
  queryOptions({
    queryKey: ["dashboard", "today", { ownerId: ownerId ?? null }] as const,
    queryFn: async () =>
      (await unwrap(api.GET("/api/dashboard/today", { params: { query: ownerId ? { ownerId } : {} } }))) as TodayRaw as CollectorToday,
    placeholderData: keepPreviousData,
  });
