import type { paths } from "@/lib/api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer A } } ? Json<A> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Rows<T> = T extends { items?: (infer R)[] } ? Required<R>[] : never;

// marshmallow output schemas list no `required`: the API always sends every field (null where nullable).
export type FinanceSummary = Required<Ok<paths["/api/finance/summary"]["get"]>>;
export type FinanceSummaryQuery = Query<paths["/api/finance/summary"]["get"]>;

type ByPeriodOut = Ok<paths["/api/finance/by-period"]["get"]>;
export type ByPeriod = Required<Omit<ByPeriodOut, "items">> & { items: Rows<ByPeriodOut> };
export type PeriodRow = ByPeriod["items"][number];

type ByDateOut = Ok<paths["/api/finance/by-date"]["get"]>;
export type ByDate = Required<Omit<ByDateOut, "items" | "summary">> & {
  items: Rows<ByDateOut>;
  summary: Required<NonNullable<ByDateOut["summary"]>>;
};
export type DueInvoice = ByDate["items"][number];
export type ByDateQuery = Query<paths["/api/finance/by-date"]["get"]>;
export type InvoiceStatusFilter = NonNullable<ByDateQuery["status"]>;

type ByMitraOut = Ok<paths["/api/finance/by-mitra"]["get"]>;
export type ByMitra = Required<Omit<ByMitraOut, "items" | "summary">> & {
  items: Rows<ByMitraOut>;
  summary: Required<NonNullable<ByMitraOut["summary"]>>;
};
export type MitraRow = ByMitra["items"][number];
