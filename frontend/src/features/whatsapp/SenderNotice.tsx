import { Smartphone, WifiOff } from "lucide-react";
import { cn } from "@/lib/utils";
import { senderLine, type SendMode } from "./sender";
import type { WaSender } from "./types";

/** One line per sending number: whose it is, and whether the message can go out from it now. */
export function SenderNotice({ senders, mode, loading }: { senders: WaSender[] | undefined; mode: SendMode; loading?: boolean }) {
  if (loading) return <p className="text-muted-foreground text-xs">Memeriksa nomor pengirim…</p>;
  if (!senders?.length) return null;
  return (
    <ul className="space-y-1.5" data-testid="wa-sender">
      {senders.map((sender) => {
        const line = senderLine(sender, mode);
        const Icon = sender.connected ? Smartphone : WifiOff;
        return (
          <li
            key={sender.ownerId}
            data-connected={sender.connected}
            className={cn(
              "flex items-start gap-2 rounded-md border px-3 py-2 text-xs",
              line.tone === "success" ? "bg-accent/10 border-accent/30" : "border-warning/50 bg-warning/10",
            )}
          >
            <Icon className={cn("mt-0.5 size-3.5 shrink-0", line.tone === "success" ? "text-accent" : "text-amber-600")} />
            <span>{line.text}</span>
          </li>
        );
      })}
    </ul>
  );
}
