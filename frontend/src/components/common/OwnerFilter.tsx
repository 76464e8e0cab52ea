import { queryOptions, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { api, unwrap } from "@/lib/api";
import { cn } from "@/lib/utils";

const ALL = "all";

/** Every owner of customers (superadmin + mitra), for "per mitra" filters. Same cache entry as the customer filters. */
const ownersQueryOptions = () =>
  queryOptions({
    queryKey: ["users", "list", { role: "all", perPage: 100 }] as const,
    queryFn: () => unwrap(api.GET("/api/users", { params: { query: { role: "all", perPage: 100 } } })),
    staleTime: 60_000,
  });

type Props = {
  value: string | undefined;
  onChange: (ownerId: string | undefined) => void;
  className?: string;
};

/** Superadmin's "Semua mitra / one owner" select; `undefined` means everyone. */
export function OwnerFilter({ value, onChange, className }: Props) {
  const owners = useQuery(ownersQueryOptions());
  // A closed Radix select still renders every item (to find the chosen one's label): with 100 owners that was a
  // ~45 ms task (4x CPU) on the dashboard's start, under the splash. Closed, only the chosen label is rendered
  // (SelectValue's children); the items render when it opens. The list itself still goes to a background render.
  const [open, setOpen] = useState(false);
  const owned = useDeferredValue(owners.data);
  const items = [...(owned?.items ?? [])].sort(
    (a, b) => Number(b.role === "superadmin") - Number(a.role === "superadmin") || (a.businessName ?? "").localeCompare(b.businessName ?? ""),
  );
  const label = (u: (typeof items)[number]) => `${u.businessName || u.name}${u.role === "superadmin" ? " (pusat)" : ""}`;
  const chosen = value ? items.find((u) => u.id === value) : undefined;
  const shown = !value ? "Semua mitra" : chosen ? label(chosen) : owned ? "Mitra tidak ditemukan" : "Memuat…";
  return (
    <Select value={value ?? ALL} onValueChange={(v) => onChange(v === ALL ? undefined : v)} open={open} onOpenChange={setOpen}>
      <SelectTrigger aria-label="Filter mitra" className={cn("w-full sm:w-56", className)} data-testid="owner-filter">
        <SelectValue placeholder="Semua mitra">{shown}</SelectValue>
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>Semua mitra</SelectItem>
        {open
          ? items.map((u) => (
              <SelectItem key={u.id} value={u.id!}>
                {label(u)}
              </SelectItem>
            ))
          : null}
      </SelectContent>
    </Select>
  );
}
