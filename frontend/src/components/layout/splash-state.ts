import { useSyncExternalStore } from "react";

/**
 * Whether the app-open splash is showing. The splash is drawn by the app shell (main.tsx), outside the router, so
 * it paints as soon as the script runs, not after the page's session check and code have arrived (the router
 * renders nothing until then); the root route hides its page from assistive tech while it shows.
 */
let visible = typeof window !== "undefined" && !window.location.pathname.startsWith("/receipt/");
const listeners = new Set<() => void>();

export function hideSplash(): void {
  if (!visible) return;
  visible = false;
  for (const l of listeners) l();
}

export function useSplashVisible(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => visible,
  );
}
