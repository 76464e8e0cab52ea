/**
 * Live WhatsApp updates over Socket.IO (room `user:<id>` on the server). One socket for the whole
 * app, opened while some screen needs it; pushes land in the React Query cache so every screen
 * reading `wa` queries updates at once.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import { useSplashVisible } from "@/components/layout/splash-state";
import { getAccessToken, refreshSession } from "@/lib/api";
import { socketTarget } from "@/lib/config";
import { waKeys } from "./queries";
import type { WaMessageEvent, WaQrEvent, WaStatus, WaStatusEvent } from "./types";

/** The last QR that arrived by push (not by polling), kept apart so the page can tell them apart. */
export type PushedQr = { qr: string; at: number };
export const pushedQrKey = ["wa", "qr-push"] as const;

let socket: Socket | null = null;
let users = 0;
let refusals = 0;
let connected = false;
const connectedListeners = new Set<() => void>();

function setConnected(value: boolean) {
  connected = value;
  for (const l of connectedListeners) l();
}

function open(): Socket {
  // `auth` as a function is read on every (re)connect, so a refreshed access token is used.
  // This page's origin, or VITE_WS_URL (else VITE_API_URL's origin) when the API lives elsewhere (lib/config.ts).
  const { url, path } = socketTarget();
  const options = { path, auth: (cb: (data: object) => void) => cb({ token: getAccessToken() }) };
  const s = url ? io(url, options) : io(options);
  s.on("connect", () => {
    refusals = 0;
    setConnected(true);
  });
  s.on("disconnect", () => setConnected(false));
  s.on("connect_error", () => {
    setConnected(false);
    // `active` is false when the server refused the handshake (expired token): the client will not
    // retry by itself. Refresh the session and reconnect, backing off so a dead session stops trying.
    if (s.active || refusals >= 5) return;
    refusals += 1;
    void refreshSession().then((ok) => {
      if (ok && socket === s) window.setTimeout(() => socket === s && s.connect(), 1_000 * refusals);
    });
  });
  return s;
}

function acquire(): Socket {
  users += 1;
  socket ??= open();
  return socket;
}

function release() {
  users -= 1;
  if (users <= 0 && socket) {
    users = 0;
    socket.disconnect();
    socket = null;
    setConnected(false);
  }
}

export function applyQr(queryClient: QueryClient, event: WaQrEvent) {
  queryClient.setQueryData<PushedQr>(pushedQrKey, { qr: event.qr, at: Date.now() });
  queryClient.setQueryData<WaStatus>(waKeys.status, (old) =>
    old ? { ...old, qr: event.qr, status: old.status === "connected" ? old.status : "connecting" } : old,
  );
}

export function applyStatus(queryClient: QueryClient, event: WaStatusEvent) {
  queryClient.setQueryData<WaStatus>(waKeys.status, (old) =>
    old ? { ...old, ...event, qr: event.status === "connecting" ? old.qr : null } : old,
  );
  if (event.status !== "connecting") queryClient.removeQueries({ queryKey: pushedQrKey });
  // The push has no lastConnectedAt/workerAlive: fetch the full status behind it.
  void queryClient.invalidateQueries({ queryKey: waKeys.status });
}

export function applyMessage(queryClient: QueryClient, event: WaMessageEvent) {
  void queryClient.invalidateQueries({ queryKey: ["wa", "queue"] });
  void queryClient.invalidateQueries({ queryKey: ["wa", "logs"] });
  if (event.queueId) void queryClient.invalidateQueries({ queryKey: waKeys.queueItem(event.queueId) });
}

/**
 * Keep the socket open while mounted; returns whether it is connected (polling covers the rest). On an app open
 * it connects once the splash has gone: the handshake and its long-polls would otherwise compete with the page's
 * own first requests on a slow link, for pushes nobody can see under the splash.
 */
export function useWaLive(): boolean {
  const queryClient = useQueryClient();
  const splash = useSplashVisible();
  useEffect(() => {
    if (splash) return;
    const s = acquire();
    const onQr = (e: WaQrEvent) => applyQr(queryClient, e);
    const onStatus = (e: WaStatusEvent) => applyStatus(queryClient, e);
    const onMessage = (e: WaMessageEvent) => applyMessage(queryClient, e);
    s.on("wa:qr", onQr);
    s.on("wa:status", onStatus);
    s.on("wa:message", onMessage);
    return () => {
      s.off("wa:qr", onQr);
      s.off("wa:status", onStatus);
      s.off("wa:message", onMessage);
      release();
    };
  }, [queryClient, splash]);
  return useSyncExternalStore(
    (l) => {
      connectedListeners.add(l);
      return () => connectedListeners.delete(l);
    },
    () => connected,
  );
}
