/**
 * Typed API client (openapi-fetch over the generated `api-schema.d.ts`) plus the session:
 * access token in memory, refresh token in Web Storage, one refresh at a time on 401.
 */
import { forgetCacheUser, rememberCacheUser } from "./api-cache-user";
import createClient from "openapi-fetch";
import type { paths } from "./api-schema";
import type { SecurityNotice, User } from "./api-types";
import { apiBase, isCrossOrigin } from "./config";

/**
 * Every call goes to `<base>/api/...`. The backend's OpenAPI paths already carry the `/api` prefix
 * (flask-smorest blueprints), so the base is this page's origin, or VITE_API_URL's (without its `/api`)
 * when the API lives elsewhere (lib/config.ts); absolute so `Request` also works under jsdom in unit tests.
 */
export const API_BASE = apiBase();
/** Cross-origin, the login's HttpOnly device cookie only travels with `credentials: "include"` (and the API's
 * CORS_ORIGINS granting this origin with credentials). Same-origin, the browser's default sends it anyway. */
const CREDENTIALS: RequestCredentials = isCrossOrigin(API_BASE) ? "include" : "same-origin";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

/** Every failed call becomes one of these; `message` is Indonesian text fit for a toast. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** `details.fields` from a 400/422: `{field: [messages]}`. */
  get fieldErrors(): FieldErrors {
    const fields = this.details.fields;
    if (!fields || typeof fields !== "object") return {};
    const out: FieldErrors = {};
    for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
      out[key] = Array.isArray(value) ? value.map(String) : [String(value)];
    }
    return out;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "Tidak dapat terhubung ke server. Periksa koneksi internet Anda.",
  400: "Data yang dikirim tidak valid.",
  401: "Sesi Anda telah berakhir. Silakan masuk kembali.",
  403: "Anda tidak memiliki akses untuk tindakan ini.",
  404: "Data tidak ditemukan.",
  409: "Data sudah diubah oleh user lain, silakan refresh.",
  422: "Periksa kembali isian formulir.",
  423: "Akun sedang dikunci sementara.",
  429: "Terlalu banyak percobaan. Coba lagi nanti.",
  503: "Layanan sedang tidak tersedia. Coba lagi nanti.",
};

export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const message =
    typeof err?.message === "string" && err.message
      ? err.message
      : (FALLBACK_MESSAGES[status] ?? "Terjadi kesalahan pada server.");
  const code = typeof err?.code === "string" ? err.code : `http_${status}`;
  const details = err?.details && typeof err.details === "object" ? (err.details as Record<string, unknown>) : {};
  return new ApiError(status, code, message, details);
}

export const networkError = () => new ApiError(0, "network_error", FALLBACK_MESSAGES[0]);

/** Turn an openapi-fetch result into its data, or throw an `ApiError`. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw networkError();
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

// ---------------------------------------------------------------------------------------------
// Session tokens
// ---------------------------------------------------------------------------------------------

const REFRESH_KEY = "fibernode:refreshToken";
/** Runtime cache name of GET /api responses in the service worker (vite.config.ts). */
export const API_CACHE_NAME = "api-get";

// The access token lives only in memory: it is short-lived (15 min) and an XSS payload cannot
// lift it from storage. The refresh token must survive a reload, so it goes to Web Storage —
// localStorage only when the user ticked "Ingat saya" (shared device risk accepted by them),
// otherwise sessionStorage, which dies with the tab. Refresh tokens rotate and reuse revokes the
// whole family server-side, which limits what a stolen one is worth.
let accessToken: string | null = null;

function storages(): Storage[] {
  const out: Storage[] = [];
  try {
    out.push(globalThis.localStorage, globalThis.sessionStorage);
  } catch {
    /* storage disabled (private mode): keep the session in memory only */
  }
  return out.filter(Boolean);
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  for (const s of storages()) {
    const t = s.getItem(REFRESH_KEY);
    if (t) return t;
  }
  return null;
}

function rememberedInLocalStorage(): boolean {
  try {
    return globalThis.localStorage.getItem(REFRESH_KEY) !== null;
  } catch {
    return false;
  }
}

/** Store a fresh pair. `remember` decides the storage; omitted, the current choice is kept. */
export function setTokens(access: string, refresh: string, remember?: boolean): void {
  const persist = remember ?? rememberedInLocalStorage();
  accessToken = access;
  for (const s of storages()) s.removeItem(REFRESH_KEY);
  try {
    (persist ? globalThis.localStorage : globalThis.sessionStorage).setItem(REFRESH_KEY, refresh);
  } catch {
    /* storage disabled: the session lasts as long as this page */
  }
}

const SESSION_EXTRA_KEYS = new Set<string>();

export function clearTokens(): void {
  accessToken = null;
  for (const s of storages()) {
    s.removeItem(REFRESH_KEY);
    for (const k of SESSION_EXTRA_KEYS) s.removeItem(k);
  }
}

/** Keep a small value next to the refresh token (same storage, same lifetime, cleared on logout). */
export function saveWithSession(key: string, value: string): void {
  SESSION_EXTRA_KEYS.add(key);
  try {
    (rememberedInLocalStorage() ? globalThis.localStorage : globalThis.sessionStorage).setItem(key, value);
  } catch {
    /* storage disabled */
  }
}

export function readWithSession(key: string): string | null {
  SESSION_EXTRA_KEYS.add(key);
  for (const s of storages()) {
    const v = s.getItem(key);
    if (v) return v;
  }
  return null;
}

export function hasSession(): boolean {
  return accessToken !== null || getRefreshToken() !== null;
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Called once a refresh has definitely failed (the app then goes to /login). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// Refresh (single-flight)
// ---------------------------------------------------------------------------------------------

type TokenPair = { accessToken: string; refreshToken: string };
let refreshInFlight: Promise<boolean> | null = null;

/** Exchange the refresh token for a new pair. Concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= firstRefresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/**
 * public/theme-init.js starts a signed-in start's refresh before this script has even downloaded (one round trip
 * earlier) and stores the rotated refresh token itself; its access token is taken here, once. Without it (or when
 * it failed: offline, a spent token ...) the refresh runs here as before.
 */
async function firstRefresh(): Promise<boolean> {
  const page = globalThis as { __fibernodeEarlyRefresh?: Promise<string | null> };
  const early = page.__fibernodeEarlyRefresh;
  page.__fibernodeEarlyRefresh = undefined;
  const access = early ? await early.catch(() => null) : null;
  if (access) {
    accessToken = access;
    return true;
  }
  return withCrossTabLock(doRefresh);
}

// Tabs share localStorage: without a lock two tabs could spend the same rotating refresh token,
// which the server treats as theft and revokes the family. Inside the lock we re-read storage,
// so the second tab uses the token the first one just stored.
async function withCrossTabLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks?.request) return fn();
  return locks.request("fibernode-refresh", fn) as Promise<T>;
}

async function doRefresh(retried = false): Promise<boolean> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) return false;
  let res: Response;
  try {
    res = await globalThis.fetch(
      new Request(`${API_BASE}/api/auth/refresh`, {
        method: "POST",
        credentials: CREDENTIALS,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      }),
    );
  } catch {
    return false; // offline: keep the refresh token for the next attempt
  }
  if (!res.ok) {
    // Another tab stored a newer token meanwhile (it refreshed, or logged in again): use that one, and never
    // clear a session this tab did not spend. (Without Web Locks, e.g. on plain http, tabs refresh concurrently;
    // the server answers the same token again within 30 s with the same successor.)
    if (getRefreshToken() !== refreshToken) return retried ? false : doRefresh(true);
    if (res.status >= 400 && res.status < 500) clearTokens();
    return false;
  }
  const pair = (await res.json()) as TokenPair;
  setTokens(pair.accessToken, pair.refreshToken);
  return true;
}

const NO_REFRESH_PATHS = ["/api/auth/login", "/api/auth/refresh", "/api/auth/logout"];

function isNoRefreshPath(url: string): boolean {
  const path = new URL(url, API_BASE).pathname;
  return NO_REFRESH_PATHS.some((p) => path.endsWith(p)); // behind a path prefix too (VITE_API_URL)
}

function send(request: Request, token: string | null): Promise<Response> {
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return globalThis.fetch(request);
}

const staleListeners = new Set<Listener>();

/** Called when the service worker answered from its cache (`X-SW-Cache: stale`, src/lib/sw-api-cache.ts): the
 * data shown may be old, so the app asks again (router.tsx). */
export function onStaleResponse(listener: Listener): () => void {
  staleListeners.add(listener);
  return () => staleListeners.delete(listener);
}

/** `fetch` for openapi-fetch: adds the bearer token, refreshes once on 401 and retries. */
export async function authFetch(request: Request): Promise<Response> {
  // An app start has a refresh token but no access token (it lives in memory only): refresh first instead of
  // sending a request that can only come back 401, which cost every start one round trip before anything showed.
  if (accessToken === null && !isNoRefreshPath(request.url) && getRefreshToken()) await refreshSession();
  const retry = request.clone();
  const usedToken = accessToken;
  const res = await send(request, usedToken);
  if (res.headers.get("X-SW-Cache") === "stale") for (const l of staleListeners) l();
  if (res.status !== 401 || isNoRefreshPath(request.url)) return res;

  // Another call may already have refreshed while this one was in flight.
  const ok = accessToken && accessToken !== usedToken ? true : await refreshSession();
  if (!ok) {
    if (!getRefreshToken()) for (const l of expiredListeners) l();
    return res;
  }
  return send(retry, accessToken);
}

export const api = createClient<paths>({
  baseUrl: API_BASE,
  credentials: CREDENTIALS,
  fetch: (request) => authFetch(request),
});

// ---------------------------------------------------------------------------------------------
// Auth calls
// ---------------------------------------------------------------------------------------------

export type LoginResult = { user: User; securityNotice: SecurityNotice | null };

/** Log in; the server also sets its HttpOnly device cookie (cross-origin too), which spares this browser lockouts
 * caused by other people's failed attempts. `securityNotice` is for a one-time warning to the owner. */
export async function login(username: string, password: string, remember: boolean): Promise<LoginResult> {
  const data = await unwrap(api.POST("/api/auth/login", { body: { username, password, rememberMe: remember } }));
  // A new session starts with an empty API cache (the last one may have ended without a logout), marked as its own.
  await globalThis.caches?.delete(API_CACHE_NAME).catch(() => false);
  await rememberCacheUser(data.user!.id!);
  setTokens(data.accessToken!, data.refreshToken!, remember);
  return { user: data.user as User, securityNotice: (data.securityNotice as SecurityNotice | null) ?? null };
}

export async function logout(): Promise<void> {
  const refreshToken = getRefreshToken();
  try {
    if (refreshToken) await api.POST("/api/auth/logout", { body: { refreshToken } });
  } catch {
    /* offline: the token simply expires server-side */
  } finally {
    clearTokens();
    // The service worker's API cache is keyed by URL only; the next user must not read this one's data offline.
    await globalThis.caches?.delete(API_CACHE_NAME).catch(() => false);
    await forgetCacheUser();
  }
}
