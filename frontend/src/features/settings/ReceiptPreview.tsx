import { BadgeCheck } from "lucide-react";
import { Logo } from "@/components/common/Logo";
import { APP_NAME } from "@/lib/config";
import { formatDate, formatDateTime, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { Settings } from "./queries";

/**
 * Made-up payment the preview renders; only the toggles and branding come from settings. Phone and NIK
 * as the public web receipt shows them (last 4 digits, shared/services/receipts.mask_digits).
 */
const SAMPLE = {
  invoiceNumber: "INV-202612-1A2B3C4D",
  customerName: "Budi Santoso",
  customerNameMasked: "Bu***i Sa***o", // as shared/services/receipts.mask_name writes it
  phone: "*********7890",
  nik: "************0001",
  area: "Net Sukamaju",
  packageName: "Paket Keluarga",
  packageSpeed: "20 Mbps",
  periodLabel: "Desember 2026 (pra-bayar)",
  dueDate: "2026-11-10",
  amount: 200_000,
  discount: 25_000,
  paymentMethod: "Tunai",
  paidAt: "2026-11-09T10:15:00+07:00",
  paidBy: "Siti Rahma",
};

type Values = Pick<
  Settings,
  | "app_name"
  | "logo_url"
  | "receipt_logo_enabled"
  | "receipt_show_company_name"
  | "receipt_show_customer_phone"
  | "receipt_show_nik"
  | "receipt_show_area"
  | "receipt_show_package"
  | "receipt_show_discount"
  | "receipt_show_payment_method"
  | "receipt_show_paid_by"
  | "receipt_mask_customer_name"
  | "receipt_footer_text"
>;

function Row({ field, label, value, strong }: { field: string; label: string; value: string; strong?: boolean }) {
  return (
    <div className="flex justify-between gap-3 py-1" data-field={field}>
      <dt className="text-muted-foreground shrink-0">{label}</dt>
      <dd className={cn("text-right", strong && "font-semibold")}>{value}</dd>
    </div>
  );
}

/** A sample receipt drawn with the current (unsaved) toggles: fields switched off disappear at once. */
export function ReceiptPreview({ values, className }: { values: Values; className?: string }) {
  const on = (k: keyof Values) => values[k] === "true";
  const total = SAMPLE.amount - SAMPLE.discount;
  return (
    <div className={cn("bg-muted/40 rounded-xl border p-3 sm:p-5", className)}>
      <p className="text-muted-foreground mb-3 text-center text-xs font-medium tracking-wide uppercase">Pratinjau nota (contoh data)</p>
      <article
        className="relative mx-auto max-w-sm overflow-hidden rounded-lg bg-white text-[13px] text-slate-900 shadow-md"
        data-testid="receipt-preview"
      >
        <div className="h-1.5 bg-[var(--fibernode-primary)]" />
        <header className="flex flex-col items-center gap-1 px-5 pt-5 pb-3 text-center">
          {on("receipt_logo_enabled") ? (
            <div data-field="logo">
              <Logo key={values.logo_url} src={values.logo_url || undefined} alt="Logo" className="mb-1 h-12 w-auto max-w-40" />
            </div>
          ) : null}
          {on("receipt_show_company_name") ? (
            <div data-field="company_name">
              <p className="text-base font-bold">{values.app_name || APP_NAME}</p>
              <p className="text-xs text-slate-500">{SAMPLE.area}</p>
            </div>
          ) : null}
          <p className="mt-1 text-xs font-semibold tracking-[0.2em] text-slate-500">NOTA PEMBAYARAN</p>
          <p className="font-mono text-xs text-slate-500">{SAMPLE.invoiceNumber}</p>
        </header>
        <div className="mx-5 flex items-center justify-center gap-1.5 rounded-md bg-emerald-50 py-1.5 font-semibold text-emerald-700">
          <BadgeCheck className="size-4" /> LUNAS
        </div>
        <dl className="divide-y divide-dashed divide-slate-200 px-5 py-3 [&_dt]:text-slate-500">
          <Row field="customer_name" label="Nama" value={on("receipt_mask_customer_name") ? SAMPLE.customerNameMasked : SAMPLE.customerName} />
          {on("receipt_show_customer_phone") ? <Row field="customer_phone" label="No. HP" value={SAMPLE.phone} /> : null}
          {on("receipt_show_nik") ? <Row field="nik" label="NIK" value={SAMPLE.nik} /> : null}
          {on("receipt_show_area") ? <Row field="area" label="Area" value={SAMPLE.area} /> : null}
          {on("receipt_show_package") ? (
            <Row field="package" label="Paket" value={`${SAMPLE.packageName} · ${SAMPLE.packageSpeed}`} />
          ) : null}
          <Row field="period" label="Periode" value={SAMPLE.periodLabel} />
          <Row field="due_date" label="Jatuh tempo" value={formatDate(SAMPLE.dueDate)} />
          {on("receipt_show_discount") ? (
            <>
              <Row field="amount" label="Harga paket" value={formatRupiah(SAMPLE.amount)} />
              <Row field="discount" label="Diskon" value={`- ${formatRupiah(SAMPLE.discount)}`} />
            </>
          ) : null}
          <Row field="total" label="Total Bayar" value={formatRupiah(total)} strong />
          {on("receipt_show_payment_method") ? <Row field="payment_method" label="Metode" value={SAMPLE.paymentMethod} /> : null}
          <Row field="paid_at" label="Tanggal bayar" value={formatDateTime(SAMPLE.paidAt)} />
          {on("receipt_show_paid_by") ? <Row field="paid_by" label="Dicatat oleh" value={SAMPLE.paidBy} /> : null}
        </dl>
        <footer className="border-t border-dashed border-slate-300 px-5 py-3 text-center text-xs whitespace-pre-line text-slate-500" data-field="footer">
          {values.receipt_footer_text || "Terima kasih atas pembayaran Anda."}
        </footer>
      </article>
    </div>
  );
}
