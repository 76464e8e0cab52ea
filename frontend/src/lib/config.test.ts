import { afterEach, describe, expect, it, vi } from "vitest";
import { apiBase, apiUrl, appName, assetUrl, socketTarget } from "./config";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.resetModules();
  vi.doUnmock("socket.io-client");
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

describe("build-time settings", () => {
  it("default to this page's origin and the product's name", () => {
    expect(apiBase("")).toBe(window.location.origin);
    expect(socketTarget("", "")).toEqual({ url: undefined, path: "/socket.io" });
    expect(appName(" ")).toBe("FiberNode Internet");
    expect(apiUrl("/api/exports/1/download", apiBase(""))).toBe(`${window.location.origin}/api/exports/1/download`);
  });

  it("take VITE_API_URL with or without its /api, and keep a path prefix", () => {
    expect(apiBase("https://api.example.id/api")).toBe("https://api.example.id");
    expect(apiBase("https://api.example.id/api/")).toBe("https://api.example.id");
    expect(apiBase("https://api.example.id")).toBe("https://api.example.id");
    expect(apiBase("https://example.id/backend/api")).toBe("https://example.id/backend");
  });

  it("point Socket.IO at VITE_WS_URL, else at VITE_API_URL's origin", () => {
    expect(socketTarget("https://ws.example.id", "https://api.example.id/api")).toEqual({ url: "https://ws.example.id", path: "/socket.io" });
    expect(socketTarget("", "https://api.example.id/api")).toEqual({ url: "https://api.example.id", path: "/socket.io" });
    expect(socketTarget("wss://api.example.id/backend", "")).toEqual({ url: "https://api.example.id", path: "/backend/socket.io" });
  });

  it("load uploaded images from the API and the PWA's own files from here", () => {
    expect(assetUrl("/uploads/logo-1a2b.webp", "https://api.example.id")).toBe("https://api.example.id/uploads/logo-1a2b.webp");
    expect(assetUrl("/logo.svg", "https://api.example.id")).toBe("/logo.svg");
    expect(assetUrl("https://cdn.example.id/x.png", "https://api.example.id")).toBe("https://cdn.example.id/x.png");
    // On the page's own origin an upload keeps its stored path.
    expect(assetUrl("/uploads/logo-1a2b.webp", globalThis.location.origin)).toBe("/uploads/logo-1a2b.webp");
  });
});

describe("the API client with VITE_API_URL", () => {
  it("calls the configured API, with credentials so the device cookie travels cross-origin", async () => {
    vi.stubEnv("VITE_API_URL", "https://api.example.id/api");
    vi.resetModules();
    const seen: Request[] = [];
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      seen.push(req);
      return json({ accessToken: "a1", refreshToken: "r1", user: { id: "u1" } });
    }));
    const { login, api, API_BASE } = await import("./api");
    expect(API_BASE).toBe("https://api.example.id");
    await login("superadmin", "x", false);
    await api.GET("/api/settings/branding");
    expect(seen.map((r) => r.url)).toEqual(["https://api.example.id/api/auth/login", "https://api.example.id/api/settings/branding"]);
    expect(seen.every((r) => r.credentials === "include")).toBe(true);
  });

  it("refreshes the session against the configured API too", async () => {
    vi.stubEnv("VITE_API_URL", "https://api.example.id");
    vi.resetModules();
    const urls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => {
      urls.push(req.url);
      if (req.url.endsWith("/api/auth/refresh")) return json({ accessToken: "a2", refreshToken: "r2" });
      return urls.length === 1 ? new Response(null, { status: 401 }) : json({ ok: true });
    }));
    const { api, setTokens } = await import("./api");
    setTokens("a1", "r1", false);
    await api.GET("/api/settings/branding");
    expect(urls).toEqual([
      "https://api.example.id/api/settings/branding",
      "https://api.example.id/api/auth/refresh",
      "https://api.example.id/api/settings/branding",
    ]);
  });

  it("stays on this page's origin without it", async () => {
    vi.stubEnv("VITE_API_URL", "");
    vi.resetModules();
    // No session: with a refresh token and no access token the client refreshes before the first call.
    localStorage.clear();
    sessionStorage.clear();
    const seen: Request[] = [];
    vi.stubGlobal("fetch", vi.fn(async (req: Request) => (seen.push(req), json({}))));
    const { api } = await import("./api");
    await api.GET("/api/settings/branding");
    expect(seen[0].url).toBe(`${window.location.origin}/api/settings/branding`);
    expect(seen[0].credentials).toBe("same-origin");
  });

  it("opens Socket.IO on VITE_WS_URL", async () => {
    vi.stubEnv("VITE_WS_URL", "https://ws.example.id");
    vi.resetModules();
    const fake = { on: vi.fn(), off: vi.fn(), connect: vi.fn(), disconnect: vi.fn(), active: true };
    const io = vi.fn(() => fake);
    vi.doMock("socket.io-client", () => ({ io }));
    // Imported after the reset, from one module registry: the hook and the renderer share one React.
    const [{ createElement, act }, { createRoot }, { QueryClient, QueryClientProvider }, { useWaLive }, { hideSplash }] =
      await Promise.all([
        import("react"),
        import("react-dom/client"),
        import("@tanstack/react-query"),
        import("@/features/whatsapp/socket"),
        import("@/components/layout/splash-state"),
      ]);
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const container = document.createElement("div");
    const root = createRoot(container);
    function Live() {
      useWaLive();
      return null;
    }
    await act(async () => root.render(createElement(QueryClientProvider, { client: new QueryClient() }, createElement(Live))));
    expect(io).not.toHaveBeenCalled(); // not under the app-open splash
    await act(async () => hideSplash());
    expect(io).toHaveBeenCalledWith("https://ws.example.id", expect.objectContaining({ path: "/socket.io" }));
    await act(async () => root.unmount());
    expect(fake.disconnect).toHaveBeenCalled();
  });
});
