import { useEffect, useState } from "react";
import { Logo } from "@/components/common/Logo";
import { APP_VERSION, useBranding } from "@/features/branding/queries";

export const SPLASH_MS = 3000;
const FADE_MS = 400;

/** Shown on every app open for 3 s (spec "Splash Screen"), over the route that loads beneath it. */
export function SplashScreen({ onDone }: { onDone: () => void }) {
  const { appName, splashLogoUrl, splashBgColor } = useBranding();
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    const fade = setTimeout(() => setLeaving(true), SPLASH_MS - FADE_MS);
    const done = setTimeout(onDone, SPLASH_MS);
    return () => {
      clearTimeout(fade);
      clearTimeout(done);
    };
  }, [onDone]);

  return (
    <div
      role="status"
      aria-label={`Memuat ${appName}`}
      data-testid="splash"
      // A plain join, not cn(): the splash is the app's first paint, and tailwind-merge builds its class map
      // (~80 ms on a 4x-throttled CPU) on its first call; the page beneath pays that instead.
      className={`fixed inset-0 z-[100] flex flex-col items-center justify-center gap-5 text-white transition-opacity ${
        leaving ? "opacity-0" : "opacity-100"
      }`}
      style={{
        transitionDuration: `${FADE_MS}ms`,
        background: splashBgColor
          ? `linear-gradient(160deg, ${splashBgColor}, color-mix(in oklab, ${splashBgColor} 70%, black))`
          : "linear-gradient(160deg, hsl(217 91% 62%) 0%, hsl(221 83% 50%) 60%, hsl(224 76% 40%) 100%)",
      }}
    >
      <div className="animate-splash-in flex flex-col items-center gap-5">
        <div className="rounded-3xl bg-white/15 p-5 shadow-2xl ring-1 ring-white/25 backdrop-blur-sm">
          <Logo src={splashLogoUrl} alt={appName} className="size-24" />
        </div>
        <p className="text-2xl font-semibold tracking-tight">{appName}</p>
      </div>
      <p className="absolute bottom-[calc(2rem+env(safe-area-inset-bottom))] text-xs text-white/75">v{APP_VERSION}</p>
    </div>
  );
}
