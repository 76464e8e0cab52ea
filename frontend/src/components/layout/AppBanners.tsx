import { RefreshCw, WifiOff } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useAutoUpdate } from "@/features/branding/use-auto-update";
import { useOnline } from "@/hooks/use-online";

/** True while the user is typing in a form or has a dialog open: an update banner could cost them data. */
function useBusyWithForm(): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const check = () => {
      const el = document.activeElement;
      const typing = !!el && (el.matches("input, textarea, select, [contenteditable=true]") || !!el.closest("form"));
      setBusy(typing || !!document.querySelector("[role=dialog], [role=alertdialog]"));
    };
    check();
    const id = setInterval(check, 2000);
    document.addEventListener("focusin", check);
    document.addEventListener("focusout", check);
    return () => {
      clearInterval(id);
      document.removeEventListener("focusin", check);
      document.removeEventListener("focusout", check);
    };
  }, []);
  return busy;
}

export function OfflineBanner() {
  const online = useOnline();
  if (online) return null;
  return (
    <div role="status" className="bg-warning text-warning-foreground sticky top-0 z-50 flex items-center justify-center gap-2 px-4 py-1.5 text-sm font-medium">
      <WifiOff className="size-4" /> Anda sedang offline — menampilkan data terakhir yang tersimpan.
    </div>
  );
}

export function UpdateBanner() {
  const { showUpdateBanner, latestVersion, currentVersion, update, dismiss } = useAutoUpdate();
  const busy = useBusyWithForm();
  if (busy || !showUpdateBanner) return null;

  return (
    <div role="alert" className="bg-primary text-primary-foreground sticky top-0 z-50 px-4 py-2 text-sm shadow">
      <div className="mx-auto flex max-w-[1440px] flex-wrap items-center gap-x-4 gap-y-2">
        <RefreshCw className="size-4 shrink-0" />
        <div className="min-w-0 flex-1">
          <p className="font-medium">Versi baru tersedia{latestVersion ? ` (v${latestVersion})` : ""}</p>
          <p className="text-primary-foreground/80 text-xs">
            Anda menggunakan v{currentVersion}. Perbarui untuk memuat versi terbaru.
          </p>
        </div>
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" className="hover:bg-white/15 hover:text-white" onClick={dismiss}>
            Nanti
          </Button>
          <Button size="sm" variant="secondary" onClick={() => void update()}>
            Perbarui
          </Button>
        </div>
      </div>
    </div>
  );
}

export function AppBanners() {
  return (
    <>
      <OfflineBanner />
      <UpdateBanner />
    </>
  );
}
