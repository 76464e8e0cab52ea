import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { paths } from "@/lib/api-schema";
import type { Customer } from "@/features/customers/types";
import type { Invoice } from "@/features/invoices/types";

export const MIN_QUERY = 2;

type Raw = NonNullable<paths["/api/search"]["get"]["responses"][200]["content"]["application/json"]>;
export type SearchResults = {
  q: string;
  customers: { items: Customer[]; total: number; totalCapped?: boolean };
  invoices: { items: Invoice[]; total: number; totalCapped?: boolean };
};

/** Customers and invoices matching `q` (2+ characters; shorter terms do not ask). */
export const searchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: ["search", q] as const,
    queryFn: async ({ signal }) => (await unwrap(api.GET("/api/search", { params: { query: { q } }, signal }))) as Raw as SearchResults,
    enabled: q.trim().length >= MIN_QUERY,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
