import { Moon, Sun } from "lucide-react";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import type { WaSendWindow } from "./types";

/** Waking hours on the queue tab: paced sends (reminders, bulk) go out only inside the superadmin's window. */
export function SendWindowNotice({ sendWindow: window, pending }: { sendWindow: WaSendWindow; pending: number }) {
  const hours = `${window.start}–${window.end} WIB`;
  const Icon = window.open ? Sun : Moon;
  return (
    <Card
      className="text-muted-foreground flex-row items-start gap-3 px-4 py-3 text-sm"
      data-testid="wa-send-window"
      data-open={window.open}
    >
      <Icon className={window.open ? "mt-0.5 size-4 shrink-0 text-amber-600" : "text-primary mt-0.5 size-4 shrink-0"} />
      <p>
        Pengingat dan kirim massal hanya dikirim pada jam bangun, pukul <span className="text-foreground font-medium">{hours}</span>, agar nomor
        WhatsApp tetap aman.
        {!window.open && (
          <span className="text-foreground block font-medium" data-testid="wa-send-window-closed">
            Di luar jam kirim: {pending > 0 ? `${pending} pesan terjadwal menunggu` : "pesan terjadwal menunggu"} sampai {formatDateTime(window.opensAt)}.
          </span>
        )}
      </p>
    </Card>
  );
}
