import { Plus, type LucideIcon } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

type Props = ComponentProps<"button"> & { label: string; icon?: LucideIcon };

/** Floating add button above the bottom navigation; hidden from 768 px up (desktop uses a header button). */
export function Fab({ label, icon: Icon = Plus, className, ...props }: Props) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={cn(
        "bg-primary text-primary-foreground fixed right-4 bottom-[calc(4.5rem+env(safe-area-inset-bottom))] z-30 flex size-14 items-center justify-center rounded-full shadow-lg transition-transform active:scale-95 md:hidden",
        className,
      )}
      {...props}
    >
      <Icon className="size-6" />
    </button>
  );
}
