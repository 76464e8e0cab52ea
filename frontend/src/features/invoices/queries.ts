import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Invoice, InvoicePage, InvoiceQuery, PayBody, PaymentBody } from "./types";

export const invoiceKeys = {
  all: ["invoices"] as const,
  list: (q: InvoiceQuery) => ["invoices", "list", q] as const,
  detail: (id: string) => ["invoices", "detail", id] as const,
};

export const invoiceListQueryOptions = (query: InvoiceQuery) =>
  queryOptions({
    queryKey: invoiceKeys.list(query),
    queryFn: async () => (await unwrap(api.GET("/api/invoices", { params: { query } }))) as InvoicePage,
    placeholderData: keepPreviousData,
  });

const invoiceCountQuery = (query: InvoiceQuery) => ({
  queryKey: invoiceKeys.list({ ...query, page: 1, perPage: 1 }),
  queryFn: async () =>
    (await unwrap(api.GET("/api/invoices", { params: { query: { ...query, page: 1, perPage: 1 } } }))) as InvoicePage,
  placeholderData: keepPreviousData,
});

/** Only the count of a filter (`perPage=1`); a lower bound when the server capped it (see invoiceTotalQueryOptions). */
export const invoiceCountQueryOptions = (query: InvoiceQuery) =>
  queryOptions({ ...invoiceCountQuery(query), select: (page: InvoicePage) => page.total });

/** The count of a filter with whether it is capped, for the status strip above the list ("10.000+"). */
export const invoiceTotalQueryOptions = (query: InvoiceQuery) =>
  queryOptions({ ...invoiceCountQuery(query), select: (page: InvoicePage) => ({ total: page.total, capped: page.totalCapped ?? false }) });

export async function fetchInvoice(id: string): Promise<Invoice> {
  return (await unwrap(api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: id } } }))) as Invoice;
}

/** Everything an invoice's payment changes: lists, customer histories, dashboard and finance figures. */
function useInvalidateMoney() {
  const queryClient = useQueryClient();
  return (saved?: Invoice) => {
    if (saved) queryClient.setQueryData(invoiceKeys.detail(saved.id), saved);
    for (const key of [invoiceKeys.all, ["customers"], ["dashboard"], ["finance"]]) {
      queryClient.invalidateQueries({ queryKey: key });
    }
  };
}

export function usePayInvoiceMutation() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: PayBody }) =>
      (await unwrap(api.PATCH("/api/invoices/{invoice_id}/pay", { params: { path: { invoice_id: id } }, body }))) as Invoice,
    onSuccess: (saved) => invalidate(saved),
    // A conflict means the list is stale too.
    onError: () => invalidate(),
  });
}

/** Record part (or all) of what is left of an invoice; below the remainder the invoice becomes partial. */
export function useRecordPaymentMutation() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: PaymentBody }) =>
      (await unwrap(
        api.POST("/api/invoices/{invoice_id}/payments", { params: { path: { invoice_id: id } }, body }),
      )) as Invoice,
    onSuccess: (saved) => invalidate(saved),
    onError: () => invalidate(),
  });
}

/** Undo one payment (with the invoice's version); the invoice goes back to partial or unpaid. */
export function useUndoPaymentMutation() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, paymentId, version }: { id: string; paymentId: string; version: number }) =>
      (await unwrap(
        api.DELETE("/api/invoices/{invoice_id}/payments/{payment_id}", {
          params: { path: { invoice_id: id, payment_id: paymentId }, query: { version } },
        }),
      )) as Invoice,
    onSuccess: (saved) => invalidate(saved),
    onError: () => invalidate(),
  });
}

export function useUnpayInvoiceMutation() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, version }: { id: string; version: number }) =>
      (await unwrap(
        api.PATCH("/api/invoices/{invoice_id}/unpay", { params: { path: { invoice_id: id } }, body: { version } }),
      )) as Invoice,
    onSuccess: (saved) => invalidate(saved),
    onError: () => invalidate(),
  });
}

/** Superadmin: enqueue generation for a period (and optionally one owner); resolves to the job id. */
export function useGenerateInvoicesMutation() {
  return useMutation({
    mutationFn: async (body: { period: string; ownerId?: string }) =>
      (await unwrap(api.POST("/api/invoices/generate", { body }))).jobId,
  });
}

export function useInvalidateInvoices() {
  return useInvalidateMoney();
}

/** Absolute address of the public receipt page. */
export function receiptLink(invoice: Pick<Invoice, "receiptToken" | "receiptUrl">): string | null {
  const path = invoice.receiptUrl ?? (invoice.receiptToken ? `/receipt/${invoice.receiptToken}` : null);
  return path ? new URL(path, window.location.origin).href : null;
}
