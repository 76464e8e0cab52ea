/**
 * Build-time settings (Vite env, read when `npm run build` runs), each with a same-origin default:
 *
 * - `VITE_API_URL`: where the API lives when it is not this page's origin, e.g. `https://api.example.id/api`
 *   (the spec's form) or `https://api.example.id`. The API's paths already carry `/api`, so a trailing `/api` is
 *   dropped from the base. The API must list this PWA's origin in its CORS_ORIGINS.
 * - `VITE_WS_URL`: Socket.IO's server, e.g. `https://api.example.id`; unset, VITE_API_URL's origin, else this page.
 * - `VITE_APP_NAME`: the app's name (title, manifest, fallbacks before the branding setting loads).
 *
 * Links to the PWA's own pages (receipts) stay on this page's origin: those pages are the PWA.
 */

export const DEFAULT_APP_NAME = "FiberNode Internet";

type Env = Partial<Record<"VITE_API_URL" | "VITE_WS_URL" | "VITE_APP_NAME", string>>;

function env(): Env {
  return import.meta.env as Env;
}

function pageOrigin(): string {
  const o = globalThis.location?.origin;
  return o && o !== "null" ? o : "http://localhost";
}

function clean(value: string | undefined): string {
  return (value ?? "").trim();
}

/** The API's base for `/api/...` paths: VITE_API_URL without its trailing `/api`, else this page's origin. */
export function apiBase(value: string | undefined = env().VITE_API_URL): string {
  const given = clean(value);
  if (!given) return pageOrigin();
  const url = new URL(given, pageOrigin());
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
  return `${url.origin}${path}`;
}

/** True when the API is on another origin than this page (cookies then need `credentials: "include"`). */
export function isCrossOrigin(base: string = apiBase()): boolean {
  return new URL(base).origin !== pageOrigin();
}

/** An absolute URL for an API-served path (`/api/...`, `/uploads/...`); other values are returned unchanged. */
export function apiUrl(path: string, base: string = apiBase()): string {
  if (!path.startsWith("/") || path.startsWith("//")) return path;
  return `${base}${path}`;
}

/** Images the API stores (`/uploads/logo-….webp`) are served by the API; the PWA's own files (`/logo.svg`) here. */
export function assetUrl(src: string | undefined, base: string = apiBase()): string | undefined {
  // Same origin: the stored path as it is (what the settings and receipt previews show too).
  return src?.startsWith("/uploads/") && isCrossOrigin(base) ? apiUrl(src, base) : src;
}

export type SocketTarget = { url: string | undefined; path: string };

/**
 * Socket.IO's server: `url` undefined means this page's origin. A path in the URL is a prefix in front of
 * `/socket.io` (socket.io-client would read it as a namespace otherwise); ws(s) schemes are taken as http(s).
 */
export function socketTarget(ws: string | undefined = env().VITE_WS_URL, api: string | undefined = env().VITE_API_URL): SocketTarget {
  const given = clean(ws) || (clean(api) ? new URL(clean(api), pageOrigin()).origin : "");
  if (!given) return { url: undefined, path: "/socket.io" };
  const url = new URL(given.replace(/^ws(s?):/i, "http$1:"), pageOrigin());
  const prefix = url.pathname.replace(/\/+$/, "").replace(/\/socket\.io$/, "");
  return { url: url.origin, path: `${prefix}/socket.io` };
}

/** VITE_APP_NAME, else "FiberNode Internet". */
export function appName(value: string | undefined = env().VITE_APP_NAME): string {
  return clean(value) || DEFAULT_APP_NAME;
}

export const APP_NAME = appName();
