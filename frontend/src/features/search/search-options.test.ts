import { describe, expect, it } from "vitest";
import { searchOptions } from "./HeaderSearch";
import type { SearchResults } from "./queries";

const results = {
  q: "budi",
  customers: { items: [{ id: "c1", name: "Budi", phone: "6281234567890", area: "Net Sukamaju", status: "active" }], total: 1 },
  invoices: {
    items: [{ id: "i1", customer: { name: "Budi" }, period: "2026-12", dueDate: "2026-11-05", totalAmount: 150000, status: "unpaid" }],
    total: 3,
  },
} as unknown as SearchResults;

describe("searchOptions", () => {
  it("walks customers first, then invoices, with what each row shows", () => {
    const options = searchOptions(results);
    expect(options.map((o) => `${o.kind}:${o.id}`)).toEqual(["customer:c1", "invoice:i1"]);
    expect(options[0]!.detail).toBe("0812-3456-7890 · Net Sukamaju");
    expect(options[1]!.detail).toContain("jatuh tempo 5 Nov 2026");
  });
  it("is empty before any answer", () => {
    expect(searchOptions(undefined)).toEqual([]);
  });
});
