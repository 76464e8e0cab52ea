import { useQuery } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { SearchInput } from "@/components/common/SearchInput";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { customerListQueryOptions } from "@/features/customers/queries";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { formatPhone } from "@/lib/format";
import { cn } from "@/lib/utils";

export type PickedCustomer = { id: string; name: string; phone: string };

/** Search customers by name or phone and pick one (or several with `multiple`). */
export function CustomerPicker({
  value,
  onChange,
  multiple = false,
  id,
}: {
  value: PickedCustomer[];
  onChange: (v: PickedCustomer[]) => void;
  multiple?: boolean;
  id: string;
}) {
  const [text, setText] = useState("");
  const q = useDebouncedValue(text.trim(), 300);
  const open = multiple || value.length === 0;
  const list = useQuery({ ...customerListQueryOptions({ q: q || undefined, perPage: 6, sort: "name" }), enabled: open });
  const picked = new Set(value.map((c) => c.id));

  const toggle = (c: PickedCustomer) => {
    if (!multiple) return onChange([c]);
    onChange(picked.has(c.id) ? value.filter((v) => v.id !== c.id) : [...value, c]);
  };

  return (
    <div className="space-y-2">
      {value.length > 0 && (
        <div className="flex flex-wrap gap-1.5" data-testid={`${id}-picked`}>
          {value.map((c) => (
            <Badge key={c.id} variant="secondary" className="gap-1 py-1 pr-1 text-sm">
              {c.name}
              <span className="text-muted-foreground tabular-nums">{formatPhone(c.phone)}</span>
              <button
                type="button"
                aria-label={`Hapus ${c.name}`}
                className="hover:bg-muted rounded p-0.5"
                onClick={() => onChange(value.filter((v) => v.id !== c.id))}
              >
                <X className="size-3.5" />
              </button>
            </Badge>
          ))}
        </div>
      )}
      {open && (
        <>
          <SearchInput id={id} value={text} onValueChange={setText} placeholder="Cari nama atau nomor…" aria-label="Cari pelanggan" />
          <ul className="divide-y rounded-md border" role="listbox" aria-multiselectable={multiple}>
            {list.isPending ? (
              <li className="p-2">
                <Skeleton className="h-8 w-full" />
              </li>
            ) : list.isError ? (
              <li className="text-destructive p-3 text-sm">{list.error.message}</li>
            ) : list.data.items.length === 0 ? (
              <li className="text-muted-foreground p-3 text-sm">Pelanggan tidak ditemukan.</li>
            ) : (
              list.data.items.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    role="option"
                    aria-selected={picked.has(c.id)}
                    onClick={() => toggle({ id: c.id, name: c.name, phone: c.phone })}
                    className={cn("hover:bg-muted/60 flex w-full items-center justify-between gap-2 px-3 py-2 text-left text-sm", picked.has(c.id) && "bg-primary/5")}
                  >
                    <span className="min-w-0">
                      <span className="block truncate font-medium">{c.name}</span>
                      <span className="text-muted-foreground block truncate text-xs">
                        {formatPhone(c.phone)} · {c.area}
                      </span>
                    </span>
                    {picked.has(c.id) && <Check className="text-primary size-4 shrink-0" />}
                  </button>
                </li>
              ))
            )}
          </ul>
        </>
      )}
    </div>
  );
}
