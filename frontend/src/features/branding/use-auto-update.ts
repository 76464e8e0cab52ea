import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { APP_VERSION, brandingQueryOptions } from "./queries";

export const CHECK_INTERVAL_MS = 5 * 60 * 1000;

function parse(v: string): number[] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Server version newer than the bundle? Unparseable versions fall back to "differs". */
export function isNewerVersion(server: string | null | undefined, current: string): boolean {
  if (!server || server === current) return false;
  const a = parse(server);
  const b = parse(current);
  if (!a || !b) return true;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** Spec "Auto-Update": compare the build's VITE_APP_VERSION with settings.app_version every 5 minutes. */
export function useAutoUpdate() {
  const { data } = useQuery({ ...brandingQueryOptions(), refetchInterval: CHECK_INTERVAL_MS });
  const [dismissedVersion, setDismissedVersion] = useState<string | null>(null);
  const latestVersion = data?.app_version ?? null;
  const available = isNewerVersion(latestVersion, APP_VERSION);
  return {
    currentVersion: APP_VERSION,
    latestVersion,
    showUpdateBanner: available && dismissedVersion !== latestVersion,
    // "Nanti": hide until the next check brings a (re)confirmed version.
    dismiss: () => setDismissedVersion(latestVersion),
  };
}

/** Unregister service workers, drop caches, reload: the next open gets the new bundle. */
export async function hardReload(): Promise<void> {
  try {
    if ("serviceWorker" in navigator) {
      const regs = await navigator.serviceWorker.getRegistrations();
      await Promise.all(regs.map((r) => r.unregister()));
    }
    if ("caches" in window) {
      const names = await caches.keys();
      await Promise.all(names.map((n) => caches.delete(n)));
    }
  } finally {
    window.location.reload();
  }
}
