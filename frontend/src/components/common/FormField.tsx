import type { ReactNode } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

type Props = {
  id: string;
  label: ReactNode;
  /** Messages from `ApiError.fieldErrors[field]` or client-side validation. */
  errors?: string[];
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
};

/** Label + control + the field's error messages underneath (inputs get `aria-invalid` from the caller). */
export function FormField({ id, label, errors, hint, className, children }: Props) {
  const hasError = !!errors?.length;
  return (
    <div className={cn("grid gap-1.5", className)}>
      <Label htmlFor={id} className={cn(hasError && "text-destructive")}>
        {label}
      </Label>
      {children}
      {hasError ? (
        <p id={`${id}-error`} className="text-destructive text-xs" role="alert">
          {errors!.join(" ")}
        </p>
      ) : hint ? (
        <p className="text-muted-foreground text-xs">{hint}</p>
      ) : null}
    </div>
  );
}
