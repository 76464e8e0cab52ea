import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { ByDate, ByDateQuery, ByMitra, ByPeriod, FinanceSummary, FinanceSummaryQuery } from "./types";

export const financeKeys = {
  all: ["finance"] as const,
  summary: (q: FinanceSummaryQuery) => ["finance", "summary", q] as const,
  byPeriod: (q: { view: "month" | "year"; year?: number; ownerId?: string }) => ["finance", "by-period", q] as const,
  byDate: (q: ByDateQuery) => ["finance", "by-date", q] as const,
  byMitra: (q: FinanceSummaryQuery) => ["finance", "by-mitra", q] as const,
};

/** Drop `undefined` so cache keys and query strings stay identical for equal filters. */
function clean<T extends object>(q: T): T {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== "")) as T;
}

export const financeSummaryQueryOptions = (query: FinanceSummaryQuery) =>
  queryOptions({
    queryKey: financeKeys.summary(clean(query)),
    queryFn: async () => (await unwrap(api.GET("/api/finance/summary", { params: { query: clean(query) } }))) as FinanceSummary,
    placeholderData: keepPreviousData,
  });

export const byPeriodQueryOptions = (query: { view: "month" | "year"; year?: number; ownerId?: string }) =>
  queryOptions({
    queryKey: financeKeys.byPeriod(clean(query)),
    queryFn: async () => (await unwrap(api.GET("/api/finance/by-period", { params: { query: clean(query) } }))) as ByPeriod,
    placeholderData: keepPreviousData,
  });

export const byDateQueryOptions = (query: ByDateQuery) =>
  queryOptions({
    queryKey: financeKeys.byDate(clean(query)),
    queryFn: async () => (await unwrap(api.GET("/api/finance/by-date", { params: { query: clean(query) } }))) as ByDate,
    placeholderData: keepPreviousData,
  });

export const byMitraQueryOptions = (query: FinanceSummaryQuery) =>
  queryOptions({
    queryKey: financeKeys.byMitra(clean(query)),
    queryFn: async () => (await unwrap(api.GET("/api/finance/by-mitra", { params: { query: clean(query) } }))) as ByMitra,
    placeholderData: keepPreviousData,
  });
