/**
 * The customer list's URL (filters, search, page) and the desktop side panel: `/customers/$id` opened from the
 * list on a desktop shows the detail beside the list. The list's filters ride along in the detail's URL, so a
 * shared link or a reload shows the same; a link from elsewhere (an invoice, a shared URL) opens the full page.
 */
import { SORT_LABELS, type CustomerFilterValues } from "./sort";
import type { CustomerSort, CustomerStatus } from "./types";

declare module "@tanstack/history" {
  interface HistoryState {
    /** Set when the detail was opened from the list on a desktop: show it in the side panel. */
    customerPanel?: boolean;
  }
}

export type CustomerSearch = CustomerFilterValues & { q?: string; page?: number };

const STATUSES: CustomerStatus[] = ["active", "isolated", "inactive"];
const SORTS = Object.keys(SORT_LABELS) as CustomerSort[];
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** Filters live in the URL, so the back button from a customer's page returns to the same list. */
export function validateCustomerSearch(raw: Record<string, unknown>): CustomerSearch {
  const billingDate = Number(raw.billingDate);
  const page = Number(raw.page);
  return {
    q: str(raw.q),
    status: STATUSES.includes(raw.status as CustomerStatus) ? (raw.status as CustomerStatus) : undefined,
    packageId: str(raw.packageId),
    ownerId: str(raw.ownerId),
    billingDate: Number.isInteger(billingDate) && billingDate >= 1 && billingDate <= 28 ? billingDate : undefined,
    sort: SORTS.includes(raw.sort as CustomerSort) ? (raw.sort as CustomerSort) : undefined,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  };
}

/** History state for opening a customer from the list: the side panel on a desktop, the full page on a phone. */
export function panelState(isMobile: boolean): { customerPanel?: boolean } {
  return isMobile ? {} : { customerPanel: true };
}

/** How `/customers/...` lays out: the list alone, the list with the detail beside it, or the detail alone. */
export type CustomersLayout = "list" | "panel" | "detail";

export function customersLayout({ detailOpen, isMobile, fromList }: { detailOpen: boolean; isMobile: boolean; fromList: boolean }): CustomersLayout {
  if (!detailOpen) return "list";
  return !isMobile && fromList ? "panel" : "detail";
}
