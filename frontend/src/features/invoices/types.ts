/**
 * Invoice types derived from the generated schema by endpoint (as in `lib/api-types.ts`): response
 * shapes are `Required<>` because marshmallow output schemas list no `required`.
 */
import type { paths } from "@/lib/api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer A } } ? Json<A> : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type InvoiceOut = Required<Ok<paths["/api/invoices/{invoice_id}"]["get"]>>;
export type InvoiceCustomer = Required<NonNullable<InvoiceOut["customer"]>>;
export type Invoice = Omit<InvoiceOut, "customer"> & { customer: InvoiceCustomer };
export type InvoiceStatus = Invoice["status"];
export type InvoicePage = { items: Invoice[]; total: number; totalCapped?: boolean; page: number; perPage: number };
export type InvoiceQuery = Query<paths["/api/invoices"]["get"]>;
export type InvoiceSort = NonNullable<InvoiceQuery["sort"]>;
export type PayBody = Body<paths["/api/invoices/{invoice_id}/pay"]["patch"]>;
export type PaymentMethod = PayBody["paymentMethod"];
export type PaymentBody = Body<paths["/api/invoices/{invoice_id}/payments"]["post"]>;
export type Payment = Required<NonNullable<Invoice["payments"]>[number]>;

/** `result` of the `POST /api/invoices/generate` job. */
export type GenerateResult = { period: string; created: number; skipped: number; isolated: number; inactive: number };

export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  paid: "Lunas",
  unpaid: "Belum Bayar",
  partial: "Sebagian",
};

export const PAYMENT_METHODS: { value: PaymentMethod; label: string }[] = [
  { value: "cash", label: "Tunai" },
  { value: "transfer", label: "Transfer" },
  { value: "qris", label: "QRIS" },
  { value: "ewallet", label: "E-Wallet" },
  { value: "other", label: "Lainnya" },
];

export function paymentMethodLabel(method: string | null | undefined): string {
  return PAYMENT_METHODS.find((m) => m.value === method)?.label ?? method ?? "-";
}
