import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BackupAlertCard } from "./BackupAlertCard";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLDivElement;

async function renderWith(backup: Record<string, unknown>) {
  const health = { status: "degraded", database: "ok", redis: "ok", version: "1", parts: { database: { status: "ok" }, backup } };
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify(health), { status: 200, headers: { "Content-Type": "application/json" } })),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () => {
    root.render(
      <QueryClientProvider client={client}>
        <BackupAlertCard />
      </QueryClientProvider>,
    );
  });
  for (let i = 0; i < 20 && !client.getQueryData(["health"]); i++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
  expect(client.getQueryData(["health"])).toBeTruthy();
  await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

const card = () => container.querySelector('[data-testid="backup-alert"]');

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

describe("BackupAlertCard", () => {
  it("warns with the last good backup's time and the last error when backups are over 36 h old", async () => {
    await renderWith({
      status: "down",
      lastSuccessAt: "2026-11-29T19:30:00Z",
      staleAfterHours: 36,
      lastError: "pg_dump failed: connection refused",
    });
    expect(card()?.textContent).toContain("Cadangan database lebih dari 36 jam tidak berhasil");
    expect(card()?.textContent).toContain("30 November 2026, 02:30 WIB");
    expect(card()?.textContent).toContain("Galat terakhir: pg_dump failed: connection refused");
  });

  it("shows nothing while backups are fresh", async () => {
    await renderWith({ status: "ok", lastSuccessAt: "2026-12-01T19:30:00Z" });
    expect(card()).toBeNull();
  });

  it("shows nothing while no backup was ever recorded (make run)", async () => {
    await renderWith({ status: "unknown", lastSuccessAt: null });
    expect(card()).toBeNull();
  });
});
