import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, unwrap } from "@/lib/api";
import type { Customer, CustomerCreate, CustomerInvoice, CustomerPage, CustomerQuery, CustomerUpdate } from "./types";

export const customerKeys = {
  all: ["customers"] as const,
  list: (q: CustomerQuery) => ["customers", "list", q] as const,
  detail: (id: string) => ["customers", "detail", id] as const,
  invoices: (id: string) => ["customers", "detail", id, "invoices"] as const,
};

export const customerListQueryOptions = (query: CustomerQuery) =>
  queryOptions({
    queryKey: customerKeys.list(query),
    queryFn: async () => (await unwrap(api.GET("/api/customers", { params: { query } }))) as CustomerPage,
    placeholderData: keepPreviousData,
  });

export const customerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: customerKeys.detail(id),
    queryFn: async () =>
      (await unwrap(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } } }))) as Customer,
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
  });

/** The customer's latest invoices, newest period first. */
export const customerInvoicesQueryOptions = (id: string) =>
  queryOptions({
    queryKey: customerKeys.invoices(id),
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/invoices", { params: { query: { customerId: id, sort: "-period", perPage: 12 } } }),
      );
      return (page.items ?? []) as CustomerInvoice[];
    },
    retry: false,
  });

/** Everyone who can own customers (superadmin and mitra), for the owner select and the area filter. */
export const ownerOptionsQueryOptions = () =>
  queryOptions({
    queryKey: ["users", "list", { role: "all", perPage: 100 }] as const,
    queryFn: () => unwrap(api.GET("/api/users", { params: { query: { role: "all", perPage: 100 } } })),
    staleTime: 60_000,
    select: (page) =>
      (page.items ?? []).map((u) => ({
        id: u.id!,
        name: u.name ?? "",
        businessName: u.businessName ?? "",
        role: u.role,
        isActive: u.isActive ?? true,
      })),
  });

export type OwnerOption = { id: string; name: string; businessName: string; role?: string; isActive: boolean };

function useInvalidateCustomers() {
  const queryClient = useQueryClient();
  return () => {
    queryClient.invalidateQueries({ queryKey: customerKeys.all });
    queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    queryClient.invalidateQueries({ queryKey: ["users"] });
  };
}

export function useSaveCustomerMutation() {
  const invalidate = useInvalidateCustomers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: { id: string; update: CustomerUpdate } | { id?: undefined; create: CustomerCreate }) =>
      ("update" in v
        ? await unwrap(api.PATCH("/api/customers/{customer_id}", { params: { path: { customer_id: v.id } }, body: v.update }))
        : await unwrap(api.POST("/api/customers", { body: v.create }))) as Customer,
    onSuccess: (saved) => {
      queryClient.setQueryData(customerKeys.detail(saved.id), saved);
      invalidate();
    },
  });
}

export function useToggleIsolationMutation() {
  const invalidate = useInvalidateCustomers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      (await unwrap(api.PATCH("/api/customers/{customer_id}/isolate", { params: { path: { customer_id: id } } }))) as Customer,
    onSuccess: (saved) => {
      queryClient.setQueryData(customerKeys.detail(saved.id), saved);
      invalidate();
    },
  });
}

export function useDeleteCustomerMutation() {
  const invalidate = useInvalidateCustomers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/customers/{customer_id}", { params: { path: { customer_id: id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: customerKeys.detail(id) });
      invalidate();
    },
  });
}

/** The server's message plus its hint (e.g. 409 "ubah status menjadi nonaktif"), for dialogs and toasts. */
export function errorWithHint(err: unknown): string {
  if (!(err instanceof Error)) return "Terjadi kesalahan.";
  const hint = err instanceof ApiError && typeof err.details.hint === "string" ? err.details.hint : null;
  return hint ? `${err.message} ${hint}` : err.message;
}
