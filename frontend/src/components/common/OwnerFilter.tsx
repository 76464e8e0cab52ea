import { queryOptions, useQuery } from "@tanstack/react-query";
import { useDeferredValue } from "react";
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
  // The list arrives after the page has painted; a query's answer re-renders at once, in one task, and a closed
  // Radix select still renders every item (for the chosen one's label): that goes to a background render instead.
  const owned = useDeferredValue(owners.data);
  const items = [...(owned?.items ?? [])].sort(
    (a, b) => Number(b.role === "superadmin") - Number(a.role === "superadmin") || (a.businessName ?? "").localeCompare(b.businessName ?? ""),
  );
  return (
    <Select value={value ?? ALL} onValueChange={(v) => onChange(v === ALL ? undefined : v)}>
      <SelectTrigger aria-label="Filter mitra" className={cn("w-full sm:w-56", className)} data-testid="owner-filter">
        <SelectValue placeholder="Semua mitra" />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>Semua mitra</SelectItem>
        {items.map((u) => (
          <SelectItem key={u.id} value={u.id!}>
            {u.businessName || u.name}
            {u.role === "superadmin" ? " (pusat)" : ""}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
