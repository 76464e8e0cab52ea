import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  api,
  clearTokens,
  getAccessToken,
  getRefreshToken,
  login,
  onSessionExpired,
  setTokens,
  unwrap,
} from "./api";

const user = { id: "u1", username: "superadmin", name: "Super Admin", role: "superadmin" };
const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });

type Handler = (req: Request) => Response | Promise<Response>;
let fetchMock: ReturnType<typeof vi.fn<(req: Request) => Promise<Response>>>;

function route(handler: Handler) {
  fetchMock = vi.fn(async (input: Request) => handler(input));
  vi.stubGlobal("fetch", fetchMock);
}
const calls = () => fetchMock.mock.calls.map(([r]) => `${r.method} ${new URL(r.url).pathname}`);

beforeEach(() => {
  clearTokens();
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe("token storage", () => {
  it("keeps the refresh token in sessionStorage unless 'Ingat saya' is ticked", async () => {
    route(() => json(200, { accessToken: "a1", refreshToken: "r1", user }));
    await login("superadmin", "x", false);
    expect(sessionStorage.getItem("fibernode:refreshToken")).toBe("r1");
    expect(localStorage.getItem("fibernode:refreshToken")).toBeNull();
    expect(getAccessToken()).toBe("a1");

    await login("superadmin", "x", true);
    expect(localStorage.getItem("fibernode:refreshToken")).toBe("r1");
    expect(sessionStorage.getItem("fibernode:refreshToken")).toBeNull();
  });

  it("returns the login's security notice, and null when there is none", async () => {
    const securityNotice = {
      failedAttempts: 7,
      lastFailedIp: "203.0.113.5",
      lastFailedAt: "2026-12-02T03:15:00+00:00",
      message: "Ada 7 percobaan login gagal ke akun Anda sejak login terakhir (terakhir dari 203.0.113.5, 2 Des 2026 10.15 WIB).",
    };
    route(() => json(200, { accessToken: "a1", refreshToken: "r1", user, securityNotice }));
    expect(await login("superadmin", "x", false)).toEqual({ user, securityNotice });
    route(() => json(200, { accessToken: "a2", refreshToken: "r2", user, securityNotice: null }));
    expect((await login("superadmin", "x", false)).securityNotice).toBeNull();
  });

  it("never writes the access token to storage", () => {
    setTokens("secret-access", "r", true);
    const all = JSON.stringify({ ...localStorage, ...sessionStorage });
    expect(all).not.toContain("secret-access");
  });
});

describe("401 handling", () => {
  it("refreshes once and retries with the new access token", async () => {
    setTokens("old", "r1", true);
    route(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") {
        expect(await req.json()).toEqual({ refreshToken: "r1" });
        return json(200, { accessToken: "new", refreshToken: "r2", user });
      }
      return req.headers.get("Authorization") === "Bearer new" ? json(200, user) : json(401, {});
    });

    const me = await unwrap(api.GET("/api/auth/me"));
    expect(me).toEqual(user);
    expect(calls()).toEqual(["GET /api/auth/me", "POST /api/auth/refresh", "GET /api/auth/me"]);
    expect(getAccessToken()).toBe("new");
    // Rotation keeps the user's storage choice.
    expect(localStorage.getItem("fibernode:refreshToken")).toBe("r2");
  });

  it("on an app start (refresh token, no access token yet) refreshes before the first call, not after its 401", async () => {
    localStorage.setItem("fibernode:refreshToken", "r1");
    route(async (req) => {
      if (new URL(req.url).pathname === "/api/auth/refresh") return json(200, { accessToken: "new", refreshToken: "r2", user });
      return req.headers.get("Authorization") === "Bearer new" ? json(200, user) : json(401, {});
    });
    const [me] = await Promise.all([unwrap(api.GET("/api/auth/me")), unwrap(api.GET("/api/settings/branding"))]);
    expect(me).toEqual(user);
    // One refresh shared by both calls, and no 401 first.
    expect(calls()).toEqual(["POST /api/auth/refresh", "GET /api/auth/me", "GET /api/settings/branding"]);
    expect(localStorage.getItem("fibernode:refreshToken")).toBe("r2");
  });

  it("shares a single refresh between concurrent 401s (single-flight)", async () => {
    setTokens("old", "r1", false);
    let refreshes = 0;
    route(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        return json(200, { accessToken: "new", refreshToken: "r2", user });
      }
      return req.headers.get("Authorization") === "Bearer new" ? json(200, { items: [], total: 0, page: 1, perPage: 20 }) : json(401, {});
    });

    const results = await Promise.all([
      unwrap(api.GET("/api/users")),
      unwrap(api.GET("/api/packages")),
      unwrap(api.GET("/api/auth/me")),
    ]);
    expect(results).toHaveLength(3);
    expect(refreshes).toBe(1);
  });

  it("re-sends the request body on retry", async () => {
    setTokens("old", "r1", false);
    const bodies: unknown[] = [];
    route(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") return json(200, { accessToken: "new", refreshToken: "r2", user });
      bodies.push(await req.json());
      return req.headers.get("Authorization") === "Bearer new" ? json(201, { id: "p1" }) : json(401, {});
    });
    await unwrap(api.POST("/api/packages", { body: { name: "Home 10", speed: "10 Mbps", price: 150000 } }));
    expect(bodies).toEqual([
      { name: "Home 10", speed: "10 Mbps", price: 150000 },
      { name: "Home 10", speed: "10 Mbps", price: 150000 },
    ]);
  });

  it("ends the session when the refresh is rejected", async () => {
    setTokens("old", "r1", true);
    const expired = vi.fn();
    const off = onSessionExpired(expired);
    route((req) =>
      new URL(req.url).pathname === "/api/auth/refresh"
        ? json(401, { error: { code: "invalid_token", message: "Sesi berakhir" } })
        : json(401, {}),
    );

    await expect(unwrap(api.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(expired).toHaveBeenCalledTimes(1);
    expect(getRefreshToken()).toBeNull();
    expect(getAccessToken()).toBeNull();
    off();
  });

  it("keeps the refresh token when the refresh fails because the network is down", async () => {
    setTokens("old", "r1", true);
    route((req) => {
      if (new URL(req.url).pathname === "/api/auth/refresh") throw new TypeError("Failed to fetch");
      return json(401, {});
    });
    await expect(unwrap(api.GET("/api/auth/me"))).rejects.toBeInstanceOf(ApiError);
    expect(getRefreshToken()).toBe("r1");
  });

  it("does not try to refresh on a failed login", async () => {
    route(() => json(401, { error: { code: "invalid_credentials", message: "Username atau password salah" } }));
    await expect(login("x", "y", false)).rejects.toMatchObject({
      status: 401,
      message: "Username atau password salah",
    });
    expect(calls()).toEqual(["POST /api/auth/login"]);
  });
});

describe("errors", () => {
  it("exposes the server message and field errors", async () => {
    setTokens("a", "r", false);
    route(() =>
      json(422, {
        error: {
          code: "validation_error",
          message: "Periksa kembali isian.",
          details: { fields: { name: ["Wajib diisi."], price: ["Harus lebih dari 0."] } },
        },
      }),
    );
    const err = await unwrap(api.POST("/api/packages", { body: { name: "", speed: "", price: 0 } })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("Periksa kembali isian.");
    expect(err.fieldErrors).toEqual({ name: ["Wajib diisi."], price: ["Harus lebih dari 0."] });
  });

  it("uses an Indonesian fallback when the body is not the error envelope", async () => {
    setTokens("a", "r", false);
    route(() => new Response("Bad gateway", { status: 503 }));
    const err = await unwrap(api.GET("/api/health")).catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/tidak tersedia/);
  });

  it("turns a network failure into a friendly ApiError", async () => {
    route(() => {
      throw new TypeError("Failed to fetch");
    });
    const err = await unwrap(api.GET("/api/settings/branding")).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/koneksi internet/);
  });
});

describe("two tabs", () => {
  // Two module instances share one localStorage, like two tabs; jsdom has no Web Locks, like plain http.
  async function openTab() {
    vi.resetModules();
    return await import("./api");
  }

  it("a tab whose refresh fails after the other tab rotated keeps (and uses) the newer token", async () => {
    const tabA = await openTab();
    const tabB = await openTab();
    tabA.setTokens("a-old", "r1", true);
    tabB.setTokens("b-old", "r1", true);
    const seen: string[] = [];
    route(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/auth/refresh") {
        const { refreshToken } = (await req.json()) as { refreshToken: string };
        seen.push(refreshToken);
        if (refreshToken === "r1" && seen.length === 1) {
          // Tab A's rotation lands in storage while tab B's request with r1 is on its way and is refused.
          tabA.setTokens("a-new", "r2");
          return json(401, { error: { code: "refresh_token_reused", message: "Sesi tidak valid" } });
        }
        return json(200, { accessToken: "b-new", refreshToken: "r3", user });
      }
      return req.headers.get("Authorization") === "Bearer b-new" ? json(200, user) : json(401, {});
    });
    expect(await tabB.unwrap(tabB.api.GET("/api/auth/me"))).toEqual(user);
    expect(seen).toEqual(["r1", "r2"]);
    expect(localStorage.getItem("fibernode:refreshToken")).toBe("r3");
  });
});

