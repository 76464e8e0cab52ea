import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectionTab } from "./ConnectionTab";
import type { WaStatus } from "./types";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// The first connect: no session has beaten yet, so the old per-session `workerAlive` was false.
const firstConnect: WaStatus = {
  sessionId: "s1",
  status: "connecting",
  phoneNumber: null,
  lastConnectedAt: null,
  reason: null,
  pausedUntil: null,
  pauseReason: null,
  transport: "simulator",
  workerAlive: false,
  qr: "2@qr",
};

const health = (wa: "ok" | "down" | "unknown") => ({
  status: wa === "ok" ? "ok" : "degraded",
  database: "ok",
  redis: "ok",
  version: "1",
  parts: { database: { status: "ok" }, redis: { status: "ok" }, wa: { status: wa, alive: wa === "ok" ? 1 : 0, owned: 0 } },
});

let root: Root;
let container: HTMLDivElement;

async function renderWith(wa: "ok" | "down" | "unknown") {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname;
      const body = path === "/api/health" ? health(wa) : { qr: "2@qr", updatedAt: null, status: "connecting" };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () => {
    root.render(
      <QueryClientProvider client={client}>
        <ConnectionTab status={firstConnect} loading={false} error={null} live={false} />
      </QueryClientProvider>,
    );
  });
  // Let the health query answer.
  for (let i = 0; i < 20 && !client.getQueryData(["health"]); i++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
  expect(client.getQueryData(["health"])).toBeTruthy();
  await act(() => new Promise((resolve) => setTimeout(resolve, 0))); // and the screen show it
}

const warning = () => container.querySelector('[data-testid="wa-worker-down"]');

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

describe("ConnectionTab worker warning", () => {
  it("shows no red card on the first connect while health says a WA worker is alive", async () => {
    await renderWith("ok");
    expect(container.querySelector('[data-testid="wa-qr"]')).toBeTruthy();
    expect(warning()).toBeNull();
  });

  it("shows the red card when health says the WA worker is down", async () => {
    await renderWith("down");
    expect(warning()?.textContent).toContain("WA worker tidak berjalan");
  });

  it("stays quiet when health cannot tell (the database is down)", async () => {
    await renderWith("unknown");
    expect(warning()).toBeNull();
  });
});
