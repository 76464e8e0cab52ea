import { act } from "react";
import { describe, expect, it } from "vitest";
import { useDomRoot } from "@/test/dom-root";
import { amountError } from "./PayDialog";
import { PaidProgress } from "./PaidProgress";

const dom = useDomRoot();

describe("PaidProgress", () => {
  it("a partial invoice says how much of the total is paid, with a progress bar", () => {
    act(() => dom.root.render(<PaidProgress inv={{ status: "partial", paidAmount: 50_000, totalAmount: 150_000 }} />));
    expect(dom.container.textContent).toBe("Dibayar Rp\u00a050.000 dari Rp\u00a0150.000");
    expect(dom.container.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow")).toBe("33");
  });

  it("shows nothing for unpaid or paid invoices", () => {
    act(() => dom.root.render(<PaidProgress inv={{ status: "paid", paidAmount: 150_000, totalAmount: 150_000 }} />));
    expect(dom.container.textContent).toBe("");
    act(() => dom.root.render(<PaidProgress inv={{ status: "unpaid", paidAmount: 0, totalAmount: 150_000 }} />));
    expect(dom.container.textContent).toBe("");
  });
});

describe("amountError", () => {
  it("refuses nothing, zero and more than what is left, in Indonesian", () => {
    expect(amountError(null, 100_000)).toBe("Jumlah bayar harus lebih dari Rp\u00a00.");
    expect(amountError(0, 100_000)).toBe("Jumlah bayar harus lebih dari Rp\u00a00.");
    expect(amountError(100_001, 100_000)).toBe("Jumlah bayar melebihi sisa tagihan (Rp\u00a0100.000).");
    expect(amountError(100_000, 100_000)).toBeNull();
    expect(amountError(1, 100_000)).toBeNull();
  });
});
