import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act } from "react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useDomRoot } from "@/test/dom-root";
import { OwnerFilter } from "./OwnerFilter";

const dom = useDomRoot();

const OWNERS = {
  items: [
    { id: "m-2", role: "mitra", name: "Budi", businessName: "WiFi Sukamaju" },
    { id: "sa", role: "superadmin", name: "Super Admin", businessName: "FiberNode Pusat" },
    { id: "m-1", role: "mitra", name: "Ani", businessName: "Ani Net" },
  ],
  total: 3,
  page: 1,
  perPage: 100,
};

beforeAll(() => {
  // Radix Select measures and captures the pointer; jsdom has neither.
  Element.prototype.scrollIntoView ??= () => {};
  Element.prototype.hasPointerCapture ??= () => false;
  Element.prototype.releasePointerCapture ??= () => {};
});

function render(value: string | undefined, onChange = vi.fn(), data: unknown = OWNERS) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  if (data) client.setQueryData(["users", "list", { role: "all", perPage: 100 }], data);
  act(() =>
    dom.root.render(
      <QueryClientProvider client={client}>
        <OwnerFilter value={value} onChange={onChange} />
      </QueryClientProvider>,
    ),
  );
  return onChange;
}

const trigger = () => document.querySelector<HTMLButtonElement>("[data-testid=owner-filter]")!;
const options = () => [...document.querySelectorAll("[role=option]")].map((o) => o.textContent);

describe("OwnerFilter", () => {
  it("closed, shows the chosen owner's label (from the loaded list, not from rendered items)", () => {
    render("m-2");
    expect(trigger().textContent).toBe("WiFi Sukamaju");
    render(undefined);
    expect(trigger().textContent).toBe("Semua mitra");
    render("sa");
    expect(trigger().textContent).toBe("FiberNode Pusat (pusat)");
    render("gone");
    expect(trigger().textContent).toBe("Mitra tidak ditemukan");
  });

  it("an owner chosen before the list has loaded reads as loading", () => {
    render("m-2", vi.fn(), null);
    expect(trigger().textContent).toBe("Memuat…");
  });

  it("open, lists everyone: the centre first, then the mitra by name; a pick reports its id", async () => {
    const onChange = render(undefined);
    await act(async () => {
      trigger().focus();
      trigger().dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    });
    expect(options()).toEqual(["Semua mitra", "FiberNode Pusat (pusat)", "Ani Net", "WiFi Sukamaju"]);
    const sukamaju = [...document.querySelectorAll<HTMLElement>("[role=option]")].find((o) => o.textContent === "WiFi Sukamaju")!;
    await act(async () => {
      sukamaju.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    });
    expect(onChange).toHaveBeenCalledWith("m-2");
  });
});
