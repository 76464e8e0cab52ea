import type { LucideIcon } from "lucide-react";
import { Inbox } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

type Props = {
  icon?: LucideIcon;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
};

/** Illustration (icon in a soft circle) + text + optional action, for empty lists and placeholders. */
export function EmptyState({ icon: Icon = Inbox, title, description, action, className }: Props) {
  return (
    <div className={cn("flex flex-col items-center justify-center gap-3 px-6 py-14 text-center", className)}>
      <div className="relative mb-2">
        <div className="bg-primary/10 absolute inset-0 scale-150 rounded-full blur-xl" aria-hidden />
        <div className="bg-primary/10 text-primary relative flex size-20 items-center justify-center rounded-full">
          <Icon className="size-9" strokeWidth={1.5} />
        </div>
      </div>
      <h3 className="text-lg font-semibold">{title}</h3>
      {description ? <p className="text-muted-foreground max-w-sm text-sm">{description}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
