import { createFileRoute } from "@tanstack/react-router";
import { InvoicesPage } from "@/features/invoices/InvoicesPage";
import type { InvoiceSearch } from "@/features/invoices/InvoicesPage";
import { isMonth } from "@/features/invoices/period";

const STATUSES = ["unpaid", "paid", "partial"] as const;
const SORTS = ["dueDate", "-dueDate", "customerName", "-paidAt", "-totalAmount", "totalAmount"] as const;
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const oneOf = <T extends string>(list: readonly T[], v: unknown) => (list.includes(v as T) ? (v as T) : undefined);

/** Filters live in the URL (shareable, survive the back button); no month means this month. */
function validateSearch(raw: Record<string, unknown>): InvoiceSearch {
  const day = Number(raw.day);
  const page = Number(raw.page);
  return {
    month: isMonth(raw.month) ? raw.month : undefined,
    status: oneOf(STATUSES, raw.status),
    day: Number.isInteger(day) && day >= 1 && day <= 31 ? day : undefined,
    ownerId: str(raw.ownerId),
    q: str(raw.q),
    sort: oneOf(SORTS, raw.sort),
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  };
}

export const Route = createFileRoute("/_auth/invoices")({
  staticData: { title: "Tagihan" },
  validateSearch,
  component: InvoicesPage,
});
