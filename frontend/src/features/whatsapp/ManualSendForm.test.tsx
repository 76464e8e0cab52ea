import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useDomRoot } from "@/test/dom-root";
import { ManualSendForm } from "./ManualSendForm";
import type { WaSendOptions, WaTemplate } from "./types";

const dom = useDomRoot();

const customer = { id: "c1", name: "Budi", phone: "6281211110002" };

function options(defaultTemplate: WaTemplate, reasons: Partial<Record<WaTemplate, string>>, connected: boolean): WaSendOptions {
  return {
    customerId: customer.id,
    defaultTemplate,
    templates: (["reminder", "receipt", "isolation", "custom"] as WaTemplate[]).map((template) => ({
      template,
      available: !reasons[template],
      reason: reasons[template] ?? null,
    })),
    sender: {
      ownerId: "m1",
      ownerName: "Mitra Satu",
      businessName: "WiFi Sukamaju",
      username: "mitra1",
      isOwn: false,
      phoneNumber: "6281299990000",
      status: connected ? "connected" : "disconnected",
      connected,
      customerCount: null,
    },
  };
}

let requests: { path: string; body: unknown }[] = [];

async function render(answer: WaSendOptions) {
  requests = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname;
      const body = req.method === "POST" ? await req.json() : null;
      requests.push({ path, body });
      const reply = path.endsWith("/send-options") ? answer : { message: "🔔 Pengingat untuk Budi", phone: customer.phone, customerName: "Budi" };
      return new Response(JSON.stringify(reply), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await act(async () => {
    dom.root.render(
      <QueryClientProvider client={client}>
        <ManualSendForm customer={customer} />
      </QueryClientProvider>,
    );
  });
  for (let i = 0; i < 20 && !dom.container.querySelector('[data-testid="wa-sender"]'); i++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
  await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
}

const text = (testId: string) => dom.container.querySelector(`[data-testid="${testId}"]`)?.textContent ?? "";

afterEach(() => vi.unstubAllGlobals());

describe("ManualSendForm", () => {
  it("starts a customer with nothing unpaid on the custom text and says why the reminder is off", async () => {
    await render(options("custom", { reminder: "Tidak ada tagihan yang belum dibayar.", isolation: "Pelanggan tidak sedang diisolir." }, false));
    expect(text("wa-manual-template")).toContain("Pesan bebas");
    expect(text("wa-template-reasons")).toContain("Pengingat tagihan tidak tersedia: Tidak ada tagihan yang belum dibayar.");
    expect(text("wa-template-reasons")).toContain("Pemberitahuan isolir tidak tersedia: Pelanggan tidak sedang diisolir.");
    // Never asked for a reminder that would only fail.
    expect(requests.filter((r) => r.path === "/api/wa/preview")).toEqual([]);
    expect(text("wa-sender")).toContain("Dikirim dari nomor mitra1 · WiFi Sukamaju (0812-9999-0000) — tidak terhubung: pesan akan gagal");
  });

  it("starts a customer who owes on the reminder, filled from the preview", async () => {
    await render(options("reminder", { receipt: "Belum ada tagihan yang lunas." }, true));
    expect(text("wa-manual-template")).toContain("Pengingat tagihan");
    const previews = requests.filter((r) => r.path === "/api/wa/preview");
    expect(previews.map((r) => r.body)).toEqual([{ customerId: "c1", template: "reminder" }]);
    expect((dom.container.querySelector('[data-testid="wa-manual-message"]') as HTMLTextAreaElement).value).toBe("🔔 Pengingat untuk Budi");
    expect(text("wa-sender")).toContain("— terhubung");
  });
});
