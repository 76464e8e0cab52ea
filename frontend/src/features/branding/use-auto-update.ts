import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRegisterSW } from "virtual:pwa-register/react";
import { APP_VERSION, brandingQueryOptions } from "./queries";
import { isNewerVersion } from "./versions";

/**
 * How often an open app asks whether a new build is deployed: 5 minutes, and whenever it comes back to the
 * foreground. VITE_UPDATE_CHECK_MS (build time) shortens it for the browser test of a deploy.
 */
export const CHECK_INTERVAL_MS = Number(import.meta.env.VITE_UPDATE_CHECK_MS) || 5 * 60 * 1000;

const ACTIVATE_TIMEOUT_MS = 10_000;

/**
 * Spec "Auto-Update", two signals of a deploy, checked every CHECK_INTERVAL_MS and on returning to the app:
 * - the API's app_version (stored by each release's start-up step) is newer than this build's VITE_APP_VERSION;
 * - the service worker found a new sw.js (`registration.update()`: browsers only look on navigations otherwise,
 *   and an installed PWA left open on a phone never navigates) and it is installed and waiting.
 * `update()` activates the waiting worker and reloads into the new build; with none waiting yet (the version
 * answered first), it drops the worker and its caches and reloads from the network.
 */
export function useAutoUpdate() {
  const registration = useRef<ServiceWorkerRegistration | undefined>(undefined);
  const [workerWaiting, setWorkerWaiting] = useState(false);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
  } = useRegisterSW({
    onRegisteredSW(_url, reg) {
      if (!reg) return;
      registration.current = reg;
      // Tracked here too: Workbox stops reporting updates to this page after the first one it calls "external".
      const track = () => setWorkerWaiting(!!reg.waiting && !!navigator.serviceWorker.controller);
      track();
      reg.addEventListener("updatefound", () => {
        const worker = reg.installing;
        worker?.addEventListener("statechange", () => worker.state === "installed" && track());
      });
    },
  });
  const { data, refetch } = useQuery({ ...brandingQueryOptions(), refetchInterval: CHECK_INTERVAL_MS });
  const [dismissedVersion, setDismissedVersion] = useState<string | null>(null);
  const latestVersion = data?.app_version ?? null;
  const serverNewer = isNewerVersion(latestVersion, APP_VERSION);

  const checkServiceWorker = useCallback(() => {
    // Offline or mid-deploy the fetch of sw.js fails: the next check tries again.
    registration.current?.update().catch(() => undefined);
  }, []);

  useEffect(() => {
    const id = window.setInterval(checkServiceWorker, CHECK_INTERVAL_MS);
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      checkServiceWorker();
      void refetch();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [checkServiceWorker, refetch]);

  // The API says a newer release is out: fetch its service worker now rather than at the next tick.
  useEffect(() => {
    if (serverNewer) checkServiceWorker();
  }, [serverNewer, latestVersion, checkServiceWorker]);

  const update = useCallback(async () => {
    const waiting = registration.current?.waiting;
    if (!waiting || !navigator.serviceWorker.controller) return hardReload();
    // Activate the new build's worker (its SKIP_WAITING handler), then reload once it controls the page, or after
    // a few seconds whatever happened; not the plugin's updateServiceWorker(), whose reload waits for a Workbox
    // event that Workbox does not raise for updates it considers "external".
    const controlled = new Promise<void>((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true });
      window.setTimeout(resolve, ACTIVATE_TIMEOUT_MS);
    });
    waiting.postMessage({ type: "SKIP_WAITING" });
    await controlled;
    window.location.reload();
  }, []);

  const versionKey = latestVersion ?? "sw";
  return {
    currentVersion: APP_VERSION,
    /** The newer release's version when the API named one; null when only the service worker saw a new build. */
    latestVersion: serverNewer ? latestVersion : null,
    showUpdateBanner: (serverNewer || needRefresh || workerWaiting) && dismissedVersion !== versionKey,
    update,
    // "Nanti": hide until a newer version (or a next service-worker update) comes along.
    dismiss: () => {
      setDismissedVersion(versionKey);
      setNeedRefresh(false);
      setWorkerWaiting(false);
    },
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
