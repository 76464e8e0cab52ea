import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Receipt } from "./queries";
import { ReceiptPaper } from "./ReceiptPage";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

/** What GET /api/receipt/{token} sends for an unpaid invoice: no payment and no personal field at all. */
const UNPAID: Receipt = {
  invoiceNumber: "INV-203003-1A2B3C4D",
  period: "2030-03",
  periodLabel: "Maret 2030",
  dueDate: "2030-02-07",
  totalAmount: 100_000,
  paidAmount: 0,
  remainingAmount: 100_000,
  payments: [],
  status: "unpaid",
  customerName: "Bu***i Sa***o",
  receiptUrl: "/receipt/abc",
  footerText: "Simpan nota ini sebagai bukti pembayaran yang sah.",
  companyName: "WiFi Kita",
  businessName: "Net Sukamaju",
  logoUrl: null,
  packageName: "Paket 20 Mbps",
  packageSpeed: "20 Mbps",
  amount: 110_000,
  discount: 10_000,
};

const PAID: Receipt = {
  ...UNPAID,
  status: "paid",
  paidAmount: 100_000,
  remainingAmount: 0,
  payments: [{ amount: 100_000, paidAt: "2030-02-05T03:15:00Z", paymentMethodLabel: "QRIS" }],
  customerName: "Budi Santoso",
  paidAt: "2030-02-05T03:15:00Z",
  customerPhone: "*********0001",
  paymentMethod: "qris",
  paymentMethodLabel: "QRIS",
  paidByName: "Siti Rahma",
};

function render(r: Receipt) {
  act(() => dom.root.render(<ReceiptPaper r={r} />));
  const text = (id: string) => dom.container.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
  return { all: dom.container.textContent ?? "", text };
}

describe("ReceiptPaper", () => {
  it("an unpaid invoice is a bill: Belum dibayar, amount due and due date, no payment rows", () => {
    const { all, text } = render(UNPAID);
    expect(text("receipt-kind")).toBe("TAGIHAN");
    expect(text("receipt-stamp")).toBe("Belumdibayar");
    expect(dom.container.querySelector("[data-testid=receipt-stamp]")?.getAttribute("aria-label")).toBe("Status: belum dibayar");
    expect(text("receipt-total")).toBe("Rp\u00a0100.000");
    expect(text("receipt-unpaid-note")).toBe("Belum dibayar · jatuh tempo 7 Februari 2030");
    expect(text("receipt-bill-note")).toContain("Ini tagihan, bukan bukti pembayaran");
    expect(text("receipt-customer")).toContain("Bu***i Sa***o");
    expect(all).toContain("TOTAL TAGIHAN");
    for (const absent of ["Tanggal bayar", "Metode", "Dicatat oleh", "No. HP", "NIK", "LUNAS", "bukti pembayaran yang sah"]) {
      expect(all).not.toContain(absent);
    }
  });

  it("a partial invoice shows each payment, paid so far and Sisa tagihan, and never the paid receipt's footer", () => {
    const { all, text } = render({
      ...UNPAID,
      status: "partial",
      paidAmount: 60_000,
      remainingAmount: 40_000,
      payments: [
        { amount: 50_000, paidAt: "2030-02-01T03:00:00Z", paymentMethodLabel: "Tunai" },
        { amount: 10_000, paidAt: "2030-02-03T03:00:00Z" },
      ],
    });
    expect(text("receipt-kind")).toBe("TAGIHAN · DIBAYAR SEBAGIAN");
    expect(text("receipt-stamp")).toBe("Dibayarsebagian");
    expect(text("receipt-paid-so-far")).toBe("Sudah dibayarRp\u00a060.000");
    expect(text("receipt-remaining")).toBe("Sisa tagihanRp\u00a040.000");
    const rows = [...dom.container.querySelectorAll("[data-testid=receipt-payment]")].map((li) => li.textContent);
    expect(rows).toEqual(["1 Februari 2030, 10:00 WIB · TunaiRp\u00a050.000", "3 Februari 2030, 10:00 WIB" + "Rp\u00a010.000"]);
    expect(text("receipt-unpaid-note")).toBe("Belum lunas · jatuh tempo 7 Februari 2030");
    expect(dom.container.querySelector("[data-testid=receipt-footer]")).toBeNull();
    expect(all).not.toContain("bukti pembayaran yang sah");
    expect(all).not.toContain("NOTA PEMBAYARAN");
  });

  it("a paid invoice is the full receipt: Lunas, payment date in Indonesian, method and who recorded it", () => {
    const { all, text } = render(PAID);
    expect(text("receipt-kind")).toBe("NOTA PEMBAYARAN");
    expect(text("receipt-stamp")).toBe("Lunas");
    expect(text("receipt-total")).toBe("Rp\u00a0100.000");
    expect(all).toContain("TOTAL DIBAYAR");
    expect(all).toContain("5 Februari 2030, 10:15 WIB");
    expect(all).toContain("QRIS");
    expect(all).toContain("Siti Rahma");
    expect(all).toContain("*********0001"); // masked by the API, shown as sent
    expect(dom.container.querySelector("[data-testid=receipt-unpaid-note]")).toBeNull();
    expect(dom.container.querySelector("[data-testid=receipt-bill-note]")).toBeNull();
    expect(text("receipt-footer")).toBe("Simpan nota ini sebagai bukti pembayaran yang sah.");
  });
});
