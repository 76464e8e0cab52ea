import { Download, X } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { useLocalStorage } from "@/hooks/use-local-storage";

type BeforeInstallPromptEvent = Event & {
  prompt: () => Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
};

/** "Install FiberNode" banner on mobile, from the browser's beforeinstallprompt; dismissal is remembered. */
export function InstallPrompt() {
  const isMobile = useIsMobile();
  const [dismissed, setDismissed] = useLocalStorage("fibernode:install-dismissed", false);
  const [event, setEvent] = useState<BeforeInstallPromptEvent | null>(null);

  useEffect(() => {
    const onPrompt = (e: Event) => {
      e.preventDefault();
      setEvent(e as BeforeInstallPromptEvent);
    };
    const onInstalled = () => setEvent(null);
    window.addEventListener("beforeinstallprompt", onPrompt);
    window.addEventListener("appinstalled", onInstalled);
    return () => {
      window.removeEventListener("beforeinstallprompt", onPrompt);
      window.removeEventListener("appinstalled", onInstalled);
    };
  }, []);

  if (!isMobile || dismissed || !event) return null;

  const install = async () => {
    await event.prompt();
    const choice = await event.userChoice;
    setEvent(null);
    if (choice.outcome === "dismissed") setDismissed(true);
  };

  return (
    <div className="bg-card fixed inset-x-3 bottom-[calc(4.5rem+env(safe-area-inset-bottom))] z-40 flex items-center gap-3 rounded-xl border p-3 shadow-lg">
      <img src="/pwa-192x192.png" alt="" className="size-10 rounded-lg" />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold">Install FiberNode</p>
        <p className="text-muted-foreground text-xs">Buka lebih cepat langsung dari layar utama.</p>
      </div>
      <Button size="sm" onClick={install}>
        <Download /> Install
      </Button>
      <Button size="icon" variant="ghost" aria-label="Tutup" onClick={() => setDismissed(true)}>
        <X />
      </Button>
    </div>
  );
}
