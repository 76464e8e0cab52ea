import { FlaskConical } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { SESSION_STATUS, TONE_CLASSES, type Tone } from "./labels";
import type { WaSessionStatus, WaTransport } from "./types";

/** Shown wherever WhatsApp appears while the transport is the simulator: nothing really leaves. */
export function SimulatorBadge({ transport, className }: { transport: WaTransport | undefined; className?: string }) {
  if (transport !== "simulator") return null;
  return (
    <Badge
      className={cn("border-transparent bg-fuchsia-600 text-white uppercase tracking-wide", className)}
      title="Mode simulasi: pesan tidak benar-benar dikirim ke WhatsApp"
      data-testid="wa-simulator-badge"
    >
      <FlaskConical /> Simulasi
    </Badge>
  );
}

export function ToneBadge({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <Badge className={cn("border-transparent", TONE_CLASSES[tone])} data-testid={testId}>
      {children}
    </Badge>
  );
}

export function SessionStatusBadge({ status }: { status: WaSessionStatus }) {
  const s = SESSION_STATUS[status] ?? { label: status, tone: "muted" as const };
  return (
    <ToneBadge tone={s.tone} testId="wa-status">
      <span className={cn("size-1.5 rounded-full bg-current", status === "connecting" && "animate-pulse")} />
      {s.label}
    </ToneBadge>
  );
}
