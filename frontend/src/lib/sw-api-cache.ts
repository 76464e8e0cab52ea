/**
 * The service worker's API cache (spec "PWA Service Worker": stale-while-revalidate for the API). vite.config.ts
 * puts these into the generated sw.js by their source text, so each function stands alone: no imports, no
 * outside variables; what it keeps lives on the worker's global object. vitest runs them as they are here.
 */

/** Where the page tells the worker whose session this is (Cache Storage, which both can read, and which
 * survives the worker being stopped). Written on login and whenever the current user is loaded, removed on logout. */
export const API_USER_CACHE = "api-user";
export const API_USER_KEY = "/__fibernode/api-user";

/** Routes never served from the cache: auth and token refresh, job polls, export files and downloads, the public
 * receipt (its token is the only key), health, and the WhatsApp session's live state (QR, status, one send). */
export function isCacheableApiGet({ url, request }: { url: URL; request: Request }): boolean {
  if (request.method !== "GET" || !url.pathname.startsWith("/api/")) return false;
  const never = ["/api/auth/", "/api/jobs/", "/api/exports/", "/api/health", "/api/receipt/", "/api/wa/qr", "/api/wa/status", "/api/wa/queue/"];
  if (never.some((prefix) => url.pathname.startsWith(prefix))) return false;
  return !/\/(export|download|template)(\/|$)/.test(url.pathname);
}

/** Cache entries are per user: the key carries the signed-in user's id (from the page's marker, since offline the
 * request has no token to read), so on a shared phone the next user can never be answered with the previous
 * user's data, even before the logout clears the cache. No marker: "anon", which no signed-in user reads. */
export async function apiCacheKey({ request }: { request: Request; mode?: string }): Promise<Request | string> {
  let user = "anon";
  try {
    const marker = await (await caches.open("api-user")).match("/__fibernode/api-user");
    const id = marker ? (await marker.text()).trim() : "";
    if (/^[\w-]{1,64}$/.test(id)) user = id;
  } catch {
    user = "anon";
  }
  const url = new URL(request.url);
  url.searchParams.set("__user", user);
  return url.href;
}

type Scope = { fibernodeApiSeen?: Set<string>; navigator?: { onLine?: boolean } };

/**
 * Stale-while-revalidate where it helps: the first request of a URL by an open page (the app starting, offline or
 * not) is answered from the cache at once, marked `X-SW-Cache: stale` so the page asks again; every later request
 * of that page (a refetch after a payment, a socket event, a poll) waits for the network, so what the user just
 * changed is never shown stale. Offline, the cache answers every time.
 */
export async function staleOnFirstLoad({
  request,
  event,
  cachedResponse,
}: {
  request: Request;
  event?: { clientId?: string; resultingClientId?: string } | null;
  cachedResponse?: Response | null;
}): Promise<Response | null> {
  if (!cachedResponse) return null;
  const scope = globalThis as unknown as Scope;
  const online = scope.navigator?.onLine !== false;
  const seen = (scope.fibernodeApiSeen ??= new Set<string>());
  const key = `${event?.clientId || event?.resultingClientId || "?"} ${request.url}`;
  const first = !seen.has(key);
  if (seen.size > 5000) seen.clear();
  seen.add(key);
  if (online && !first) return null;
  const headers = new Headers(cachedResponse.headers);
  headers.set("X-SW-Cache", "stale");
  return new Response(await cachedResponse.blob(), { status: cachedResponse.status, statusText: cachedResponse.statusText, headers });
}
