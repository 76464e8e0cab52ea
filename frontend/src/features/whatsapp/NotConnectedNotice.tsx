import { Link } from "@tanstack/react-router";
import { WifiOff } from "lucide-react";
import { Button } from "@/components/ui/button";

/** 409 `wa_not_connected`: nothing was sent; the way out is the Koneksi tab. */
export function NotConnectedNotice({ onGoToConnect }: { onGoToConnect?: () => void }) {
  return (
    <div className="border-warning/50 bg-warning/10 flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm" role="alert" data-testid="wa-not-connected">
      <WifiOff className="size-5 shrink-0 text-amber-600" />
      <p className="min-w-0 flex-1 font-medium">Hubungkan WhatsApp terlebih dahulu</p>
      {onGoToConnect ? (
        <Button size="sm" variant="outline" onClick={onGoToConnect}>
          Buka Koneksi
        </Button>
      ) : (
        <Button size="sm" variant="outline" asChild>
          <Link to="/whatsapp" search={{ tab: "koneksi" }}>
            Buka Koneksi
          </Link>
        </Button>
      )}
    </div>
  );
}
