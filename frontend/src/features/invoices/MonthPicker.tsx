import { CalendarDays, ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { cn } from "@/lib/utils";
import { addMonths, currentMonth, formatMonth } from "./period";

type Props = {
  value: string;
  onChange: (month: string) => void;
  /** Months offered in the list, relative to this month. */
  past?: number;
  future?: number;
  label?: string;
  className?: string;
  id?: string;
};

/** ‹ November 2026 › with a list of nearby months; "bulan ini" is marked. */
export function MonthPicker({ value, onChange, past = 12, future = 3, label = "Pilih bulan", className, id }: Props) {
  const now = currentMonth();
  const months = Array.from({ length: past + future + 1 }, (_, i) => addMonths(now, future - i));
  if (!months.includes(value)) months.push(value);
  return (
    <div className={cn("flex items-center gap-1", className)} data-testid="month-picker">
      <Button variant="outline" size="icon" aria-label="Bulan sebelumnya" onClick={() => onChange(addMonths(value, -1))}>
        <ChevronLeft />
      </Button>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger id={id} aria-label={label} className="min-w-0 flex-1 justify-center gap-2 font-medium sm:w-48 sm:flex-none">
          <CalendarDays className="size-4" />
          <SelectValue />
        </SelectTrigger>
        <SelectContent position="popper" className="max-h-72">
          {months.map((m) => (
            <SelectItem key={m} value={m}>
              {formatMonth(m)}
              {m === now ? " (bulan ini)" : ""}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Button variant="outline" size="icon" aria-label="Bulan berikutnya" onClick={() => onChange(addMonths(value, 1))}>
        <ChevronRight />
      </Button>
    </div>
  );
}
