import { queryOptions } from "@tanstack/react-query";
import { api, ApiError, unwrap } from "@/lib/api";
import type { paths } from "@/lib/api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
/**
 * `GET /api/receipt/{token}`: the always-present fields are required; the ones behind the
 * superadmin's `receipt_*` toggles are absent when switched off, and the payment ones (paidAt,
 * method, who recorded it) only come with a paid invoice, so they stay optional here.
 */
type ReceiptOut = Json<paths["/api/receipt/{token}"]["get"]["responses"][200]>;
type Always =
  | "invoiceNumber"
  | "period"
  | "periodLabel"
  | "dueDate"
  | "totalAmount"
  | "paidAmount"
  | "remainingAmount"
  | "payments"
  | "status"
  | "customerName"
  | "receiptUrl"
  | "footerText";
export type Receipt = Required<Pick<ReceiptOut, Always>> & Omit<ReceiptOut, Always>;

export const receiptQueryOptions = (token: string) =>
  queryOptions({
    queryKey: ["receipt", token] as const,
    queryFn: async () =>
      (await unwrap(api.GET("/api/receipt/{token}", { params: { path: { token } } }))) as Receipt,
    // An unknown token stays unknown; only network trouble is worth retrying.
    retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    staleTime: 60_000,
  });
