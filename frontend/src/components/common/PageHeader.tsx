import type { ReactNode } from "react";

type Props = { title: string; description?: ReactNode; actions?: ReactNode };

/** In-page heading with actions on the right (desktop "Tambah" buttons live here; mobile uses a Fab). */
export function PageHeader({ title, description, actions }: Props) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight md:text-2xl">{title}</h1>
        {description ? <p className="text-muted-foreground mt-1 text-sm">{description}</p> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </div>
  );
}
