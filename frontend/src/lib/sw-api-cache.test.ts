import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { API_USER_CACHE, API_USER_KEY, apiCacheKey, isCacheableApiGet, staleOnFirstLoad } from "./sw-api-cache";

const ORIGIN = "https://fibernode.test";

/** A JWT-shaped bearer token for user `sub` (the worker only reads the payload). */
function bearer(sub: string): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `Bearer ${b64({ alg: "HS256" })}.${b64({ sub, type: "access" })}.sig`;
}

function get(path: string, token: string | null = bearer("u1"), method = "GET"): { url: URL; request: Request } {
  const url = new URL(path, ORIGIN);
  const headers = new Headers();
  if (token) headers.set("Authorization", token);
  return { url, request: new Request(url, { method, headers }) };
}

describe("which API calls the service worker caches", () => {
  it("caches the app's own data reads", () => {
    for (const path of ["/api/customers?page=1", "/api/invoices?from=2026-11-01", "/api/dashboard/summary", "/api/finance/by-period?view=month", "/api/wa/logs"]) {
      expect(isCacheableApiGet(get(path)), path).toBe(true);
    }
  });

  it("never caches auth, refresh, receipts, jobs, exports, downloads, health or the live WhatsApp state", () => {
    for (const path of [
      "/api/auth/me",
      "/api/auth/refresh",
      "/api/receipt/abc123token",
      "/api/jobs/1",
      "/api/exports/7/download",
      "/api/customers/export?format=csv",
      "/api/invoices/export",
      "/api/finance/export",
      "/api/customers/import/template",
      "/api/health",
      "/api/wa/qr",
      "/api/wa/status",
      "/api/wa/queue/42",
    ]) {
      expect(isCacheableApiGet(get(path)), path).toBe(false);
    }
  });

  it("never caches writes or other paths", () => {
    expect(isCacheableApiGet(get("/api/customers", bearer("u1"), "POST"))).toBe(false);
    expect(isCacheableApiGet(get("/assets/app.js"))).toBe(false);
  });
});

describe("per-user cache keys", () => {
  /** Cache Storage as the page leaves it: `user` marked, or nobody. */
  function storage(user: string | null) {
    const marker = user === null ? undefined : new Response(user);
    vi.stubGlobal("caches", {
      open: async (name: string) => ({
        match: async (key: string) => (name === API_USER_CACHE && key === API_USER_KEY ? marker?.clone() : undefined),
      }),
    });
  }
  afterEach(() => vi.unstubAllGlobals());

  it("gives two users on one phone different entries for the same URL, with or without a token", async () => {
    storage("user-a");
    const a = await apiCacheKey({ request: get("/api/customers?page=1").request });
    expect(a).toBe(`${ORIGIN}/api/customers?page=1&__user=user-a`);
    // Offline after a reload the request carries no token: the marker still says whose data it is.
    expect(await apiCacheKey({ request: get("/api/customers?page=1", null).request })).toBe(a);
    storage("user-b");
    expect(await apiCacheKey({ request: get("/api/customers?page=1").request })).not.toBe(a);
  });

  it("keys nobody's entries apart when no one is signed in, or the marker is not an id", async () => {
    storage(null);
    expect(await apiCacheKey({ request: get("/api/customers").request })).toBe(`${ORIGIN}/api/customers?__user=anon`);
    storage("../../etc");
    expect(await apiCacheKey({ request: get("/api/customers").request })).toBe(`${ORIGIN}/api/customers?__user=anon`);
  });
});

describe("stale-while-revalidate on first load", () => {
  beforeEach(() => {
    delete (globalThis as { fibernodeApiSeen?: Set<string> }).fibernodeApiSeen;
  });
  const cached = () => new Response('{"items":[]}', { status: 200, headers: { "Content-Type": "application/json" } });

  it("answers a page's first request from the cache, marked stale, and later ones from the network", async () => {
    const { request } = get("/api/customers");
    const first = await staleOnFirstLoad({ request, event: { clientId: "tab-1" }, cachedResponse: cached() });
    expect(first?.headers.get("X-SW-Cache")).toBe("stale");
    expect(await first?.json()).toEqual({ items: [] });
    // The refetch after a payment (same page) must not get the old answer.
    expect(await staleOnFirstLoad({ request, event: { clientId: "tab-1" }, cachedResponse: cached() })).toBeNull();
    // A new page (the app reopened) paints from the cache again.
    expect(await staleOnFirstLoad({ request, event: { clientId: "tab-2" }, cachedResponse: cached() })).not.toBeNull();
  });

  it("keeps answering from the cache while offline", async () => {
    const { request } = get("/api/customers");
    const nav = Object.getOwnPropertyDescriptor(globalThis.navigator, "onLine");
    Object.defineProperty(globalThis.navigator, "onLine", { configurable: true, get: () => false });
    try {
      await staleOnFirstLoad({ request, event: { clientId: "tab-1" }, cachedResponse: cached() });
      expect(await staleOnFirstLoad({ request, event: { clientId: "tab-1" }, cachedResponse: cached() })).not.toBeNull();
    } finally {
      if (nav) Object.defineProperty(globalThis.navigator, "onLine", nav);
      else delete (globalThis.navigator as { onLine?: boolean }).onLine;
    }
  });

  it("has nothing to give on a cache miss", async () => {
    expect(await staleOnFirstLoad({ request: get("/api/customers").request, event: { clientId: "t" }, cachedResponse: null })).toBeNull();
  });
});
