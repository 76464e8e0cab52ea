/**
 * The customer list's sort labels and filter values, apart from the filter components: the `/customers` route's
 * search validation (panel.ts) runs in the entry chunk, and importing CustomerFilters.tsx there pulled Select,
 * Sheet and their Radix/floating-ui code into every first load, /login's too.
 */
import type { CustomerSort, CustomerStatus } from "./types";

export type CustomerFilterValues = {
  status?: CustomerStatus;
  packageId?: string;
  ownerId?: string;
  billingDate?: number;
  sort?: CustomerSort;
};

export const SORT_LABELS: Record<CustomerSort, string> = {
  name: "Nama A–Z",
  "-name": "Nama Z–A",
  "-createdAt": "Terbaru ditambahkan",
  createdAt: "Terlama ditambahkan",
  billingDate: "Tanggal tagihan (awal bulan)",
  "-billingDate": "Tanggal tagihan (akhir bulan)",
  "-totalBill": "Tagihan terbesar",
  totalBill: "Tagihan terkecil",
};
