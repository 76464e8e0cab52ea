import { RotateCcw } from "lucide-react";

/** What a job's state alone does not say, e.g. "Tugas diulang karena worker berhenti." after a worker died. */
export function JobNotice({ notice }: { notice?: string | null }) {
  if (!notice) return null;
  return (
    <p className="text-muted-foreground flex items-start gap-2 text-xs" role="status" data-testid="job-notice">
      <RotateCcw className="mt-0.5 size-3.5 shrink-0" />
      {notice}
    </p>
  );
}
