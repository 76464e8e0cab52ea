import type { ComponentProps } from "react";
import { Input } from "@/components/ui/input";
import { formatNumber, parseRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";

type Props = Omit<ComponentProps<"input">, "value" | "onChange" | "type"> & {
  value: number | null;
  onValueChange: (value: number | null) => void;
};

/** Whole-Rupiah input that shows thousand separators while typing (`1.500.000`). */
export function RupiahInput({ value, onValueChange, className, ...props }: Props) {
  return (
    <div className="relative">
      <span className="text-muted-foreground pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm">
        Rp
      </span>
      <Input
        {...props}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={cn("pl-10 tabular-nums", className)}
        value={formatNumber(value)}
        onChange={(e) => onValueChange(parseRupiah(e.target.value))}
      />
    </div>
  );
}
