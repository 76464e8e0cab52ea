import { cn } from "@/lib/utils";

type Props = {
  /** 0..100 */
  value: number;
  label?: string;
  className?: string;
  /** Tailwind background class of the filled part. */
  barClassName?: string;
};

/** Thin horizontal progress bar (collection rate, job progress). */
export function ProgressBar({ value, label, className, barClassName }: Props) {
  const pct = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
      className={cn("bg-muted h-2 w-full overflow-hidden rounded-full", className)}
    >
      <div className={cn("bg-primary h-full rounded-full transition-[width] duration-500", barClassName)} style={{ width: `${pct}%` }} />
    </div>
  );
}
