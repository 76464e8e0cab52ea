/**
 * Customer and import types, derived from the generated schema by endpoint (same approach as
 * `lib/api-types.ts`): response shapes are `Required<>` because marshmallow output schemas list no
 * `required` although the API always sends every field.
 */
import type { paths } from "@/lib/api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer B }
      ? Json<B>
      : R extends { 202: infer C }
        ? Json<C>
        : never
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

type CustomerOut = Required<Ok<paths["/api/customers/{customer_id}"]["get"]>>;
export type CustomerPackage = Required<NonNullable<CustomerOut["package"]>>;
export type Customer = Omit<CustomerOut, "package"> & { package: CustomerPackage };
export type CustomerStatus = Customer["status"];
export type CustomerPage = { items: Customer[]; total: number; totalCapped?: boolean; page: number; perPage: number };
export type CustomerQuery = Query<paths["/api/customers"]["get"]>;
export type CustomerSort = NonNullable<CustomerQuery["sort"]>;
export type CustomerCreate = Body<paths["/api/customers"]["post"]>;
export type CustomerUpdate = Body<paths["/api/customers/{customer_id}"]["patch"]>;

export type JobState = "queued" | "running" | "done" | "failed";
/** `GET /api/jobs/{id}`; `result` depends on the job type. */
export type Job<Result> = {
  id: string;
  type: string;
  state: JobState;
  progress: number;
  result?: Result | null;
  error?: string | null;
  /** e.g. "Tugas diulang karena worker berhenti." when a worker died and the job was run again. */
  notice?: string | null;
  attempts?: number;
};

export type ImportRowError = { field: string; message: string };
/** One CSV line of the preview; `data` keys are the CSV's column names (`nama`, `telepon`, ...). */
export type ImportRow = {
  line: number;
  valid?: boolean;
  data: Record<string, string | number | null>;
  errors: ImportRowError[];
};
export type ImportPreview = {
  importId: string;
  filename: string;
  validCount: number;
  invalidCount: number;
  validRowsOmitted?: number;
  rows: ImportRow[];
};
export type ImportResult = { imported: number; skipped: number; alreadyImported?: boolean };

/** Invoice row as the customer page shows it. */
export type CustomerInvoice = Required<
  Pick<NonNullable<Ok<paths["/api/invoices"]["get"]>["items"]>[number], "id" | "period" | "dueDate" | "totalAmount" | "status" | "paidAt">
>;

export const STATUS_LABELS: Record<CustomerStatus, string> = {
  active: "Aktif",
  isolated: "Isolir",
  inactive: "Nonaktif",
};
