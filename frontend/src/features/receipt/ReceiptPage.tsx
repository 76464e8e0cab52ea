import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { FileX2, Printer, RefreshCw } from "lucide-react";
import { useEffect, type ReactNode } from "react";
import { Logo } from "@/components/common/Logo";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { formatDate, formatDateTime, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { receiptQueryOptions, type Receipt } from "./queries";

/*
 * Printing: only the paper, black on white, fitting A5 or an 80 mm roll (the paper's width is
 * fluid up to 148 mm). Visibility rather than display, so banners and toasts from the root
 * layout vanish without knowing about them.
 */
const PRINT_CSS = `
@media print {
  @page { margin: 6mm; }
  html, body { background: #fff !important; color: #000 !important; }
  body * { visibility: hidden !important; }
  [data-receipt], [data-receipt] * { visibility: visible !important; color: #000 !important; border-color: #000 !important; }
  [data-receipt] { position: absolute; inset: 0 auto auto 0; width: 100%; max-width: 148mm; margin: 0 !important;
    box-shadow: none !important; border-radius: 0 !important; background: #fff !important; }
  [data-receipt] .receipt-edge, [data-print-hide] { display: none !important; }
  main { padding: 0 !important; background: #fff !important; }
  [data-receipt] img { filter: grayscale(1); }
}`;

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-4 py-1.5 text-sm" data-testid={testId}>
      <dt className="shrink-0 text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-right font-medium break-words text-zinc-900">{children}</dd>
    </div>
  );
}

const has = <K extends keyof Receipt>(r: Receipt, key: K) => Object.prototype.hasOwnProperty.call(r, key);

function Stamp({ status }: { status: Receipt["status"] }) {
  const paid = status === "paid";
  const partial = status === "partial";
  return (
    <div
      data-testid="receipt-stamp"
      aria-label={paid ? "Status: lunas" : partial ? "Status: dibayar sebagian" : "Status: belum dibayar"}
      className={cn(
        "pointer-events-none mt-1 shrink-0 -rotate-[8deg] rounded-md border-[3px] px-2.5 py-1 text-center leading-none font-black tracking-[0.15em] uppercase opacity-90 select-none",
        paid
          ? "border-green-600 text-xl text-green-600 sm:text-2xl"
          : partial
            ? "border-amber-600 text-sm text-amber-700 sm:text-base"
            : "border-red-600 text-sm text-red-600 sm:text-base",
      )}
    >
      {paid ? (
        "Lunas"
      ) : partial ? (
        <>
          Dibayar
          <br />
          sebagian
        </>
      ) : (
        <>
          Belum
          <br />
          dibayar
        </>
      )}
    </div>
  );
}

/** Each payment (date, method when shown, amount): a partial invoice's record of what was paid so far. */
function Payments({ r }: { r: Receipt }) {
  const payments = r.payments ?? [];
  if (payments.length === 0) return null;
  return (
    <section className="mt-5" aria-label="Riwayat pembayaran">
      <p className="text-xs font-semibold tracking-widest text-zinc-500">RIWAYAT PEMBAYARAN</p>
      <ul className="mt-1 divide-y divide-dashed divide-zinc-200" data-testid="receipt-payments">
        {payments.map((p, i) => (
          <li key={i} className="flex items-baseline justify-between gap-4 py-1.5 text-sm" data-testid="receipt-payment">
            <span className="text-zinc-600">
              {formatDateTime(p.paidAt)}
              {p.paymentMethodLabel ? ` · ${p.paymentMethodLabel}` : ""}
            </span>
            <span className="font-medium whitespace-nowrap tabular-nums">{formatRupiah(p.amount)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The paper. A paid invoice is the receipt; any other is a bill: the API sends it without payment or personal
 * fields, and the page says plainly that it is not proof of payment. A partial one also lists what was paid so
 * far and the remaining amount. The footer ("simpan nota ini sebagai bukti pembayaran yang sah") is for a paid
 * receipt only.
 */
export function ReceiptPaper({ r }: { r: Receipt }) {
  const paid = r.status === "paid";
  const partial = r.status === "partial";
  const showLogo = has(r, "logoUrl");
  const company = r.companyName;
  const business = r.businessName && r.businessName !== company ? r.businessName : null;
  return (
    <article
      data-receipt
      data-testid="receipt"
      data-status={r.status}
      className="relative mx-auto w-full max-w-[420px] rounded-t-xl bg-white text-zinc-900 shadow-xl ring-1 shadow-black/10 ring-black/5"
    >
      <div className="px-6 pt-7 pb-6 sm:px-8">
        <header className="flex flex-col items-center gap-2 text-center">
          {showLogo && <Logo src={r.logoUrl ?? undefined} alt={company ?? "Logo"} className="h-14 max-w-[180px]" />}
          {company && <p className="text-lg leading-tight font-bold">{company}</p>}
          {business && <p className="-mt-1 text-sm text-zinc-600">{business}</p>}
        </header>

        <div className="my-5 border-t-2 border-dashed border-zinc-300" />

        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <p className="text-xs font-semibold tracking-[0.15em] text-zinc-500" data-testid="receipt-kind">
              {paid ? "NOTA PEMBAYARAN" : partial ? "TAGIHAN · DIBAYAR SEBAGIAN" : "TAGIHAN"}
            </p>
            <p className="mt-1 font-mono text-sm font-semibold break-all" data-testid="receipt-number">
              {r.invoiceNumber}
            </p>
            <p className="mt-0.5 text-xs text-zinc-500">
              Periode {r.periodLabel} <span className="whitespace-nowrap">(pra-bayar)</span>
            </p>
          </div>
          <Stamp status={r.status} />
        </div>

        <dl className="mt-5 divide-y divide-dashed divide-zinc-200">
          <Row label="Nama" testId="receipt-customer">
            {r.customerName}
          </Row>
          {/* Already masked by the API (last 4 digits), and only ever sent for a paid receipt. */}
          {paid && r.customerPhone && <Row label="No. HP">{r.customerPhone}</Row>}
          {paid && r.nik && <Row label="NIK">{r.nik}</Row>}
          {has(r, "area") && r.area && <Row label="Area">{r.area}</Row>}
          {has(r, "packageName") && r.packageName && (
            <Row label="Paket">
              {r.packageName}
              {r.packageSpeed && !r.packageName.includes(r.packageSpeed) ? ` (${r.packageSpeed})` : ""}
            </Row>
          )}
          <Row label="Periode">{r.periodLabel}</Row>
          <Row label="Jatuh tempo">{formatDate(r.dueDate)}</Row>
          {has(r, "amount") && r.amount != null && <Row label="Harga paket">{formatRupiah(r.amount)}</Row>}
          {has(r, "discount") && r.discount != null && r.discount > 0 && <Row label="Diskon">- {formatRupiah(r.discount)}</Row>}
          {paid && has(r, "paymentMethodLabel") && r.paymentMethodLabel && <Row label="Metode">{r.paymentMethodLabel}</Row>}
          {paid && r.paidAt && <Row label="Tanggal bayar">{formatDateTime(r.paidAt)}</Row>}
          {paid && has(r, "paidByName") && r.paidByName && <Row label="Dicatat oleh">{r.paidByName}</Row>}
        </dl>

        <div className="mt-5 rounded-lg border-2 border-zinc-900 px-4 py-3">
          <p className="text-xs font-semibold tracking-widest text-zinc-500">{paid ? "TOTAL DIBAYAR" : "TOTAL TAGIHAN"}</p>
          <p className="text-3xl font-extrabold tabular-nums" data-testid="receipt-total">
            {formatRupiah(r.totalAmount)}
          </p>
          {partial && (
            <div className="mt-2 space-y-0.5 border-t border-zinc-300 pt-2 text-sm tabular-nums">
              <p className="flex justify-between gap-2" data-testid="receipt-paid-so-far">
                <span className="text-zinc-600">Sudah dibayar</span>
                <span className="font-semibold">{formatRupiah(r.paidAmount)}</span>
              </p>
              <p className="flex justify-between gap-2 text-amber-800" data-testid="receipt-remaining">
                <span className="font-semibold">Sisa tagihan</span>
                <span className="text-lg font-extrabold">{formatRupiah(r.remainingAmount)}</span>
              </p>
            </div>
          )}
          {!paid && (
            <p className="mt-1 text-sm font-semibold text-red-600" data-testid="receipt-unpaid-note">
              {partial ? "Belum lunas" : "Belum dibayar"} · jatuh tempo {formatDate(r.dueDate)}
            </p>
          )}
        </div>

        {(partial || (paid && (r.payments?.length ?? 0) > 1)) && <Payments r={r} />}

        {!paid && (
          <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-xs leading-relaxed text-amber-900" data-testid="receipt-bill-note">
            {partial
              ? "Tagihan ini belum lunas: pembayaran di atas tercatat, sisanya masih harus dibayar. Nota lunas tampil di link yang sama setelah seluruh tagihan dibayar"
              : "Ini tagihan, bukan bukti pembayaran. Nota lunas tampil di link yang sama setelah pembayaran Anda dicatat"}
            {r.businessName ? ` oleh ${r.businessName}` : ""}.
          </p>
        )}

        {paid && r.footerText && <p data-testid="receipt-footer" className="mt-5 text-center text-xs leading-relaxed whitespace-pre-line text-zinc-600">{r.footerText}</p>}
      </div>
      {/* Torn-paper edge. */}
      <div
        aria-hidden
        className="receipt-edge absolute inset-x-0 -bottom-2.5 h-3"
        style={{
          background: "radial-gradient(circle at 8px 0, white 7.5px, transparent 8px) 0 0 / 16px 12px",
          backgroundRepeat: "round no-repeat",
        }}
      />
    </article>
  );
}

function ReceiptSkeleton() {
  return (
    <div aria-busy="true" aria-label="Memuat nota" className="mx-auto w-full max-w-[420px] space-y-4 rounded-t-xl bg-white p-8 shadow-xl">
      <Skeleton className="mx-auto size-14 rounded-full bg-zinc-200" />
      <Skeleton className="mx-auto h-5 w-40 bg-zinc-200" />
      <Skeleton className="h-px w-full bg-zinc-200" />
      {Array.from({ length: 7 }, (_, i) => (
        <Skeleton key={i} className="h-4 w-full bg-zinc-100" />
      ))}
      <Skeleton className="h-16 w-full bg-zinc-200" />
    </div>
  );
}

function Message({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <div className="bg-card mx-auto flex w-full max-w-[420px] flex-col items-center gap-3 rounded-xl border px-6 py-12 text-center shadow-sm" data-testid="receipt-missing">
      <div className="bg-primary/10 text-primary flex size-20 items-center justify-center rounded-full">
        <FileX2 className="size-9" strokeWidth={1.5} />
      </div>
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="text-muted-foreground max-w-xs text-sm">{description}</p>
      {action}
    </div>
  );
}

/** `/receipt/$token`: the public receipt page — looks like paper, prints cleanly, stays light in dark mode. */
export function ReceiptPage() {
  const { token } = useParams({ from: "/receipt/$token" });
  const receipt = useQuery(receiptQueryOptions(token));
  const r = receipt.data;

  useEffect(() => {
    if (r) document.title = `${r.status === "paid" ? "Nota" : "Tagihan"} ${r.invoiceNumber} · ${r.customerName}`;
  }, [r]);

  const notFound = receipt.error instanceof ApiError && receipt.error.status === 404;
  return (
    <main className={cn("bg-muted/50 dark:bg-background min-h-dvh px-4 pt-6 pb-12 sm:pt-10", receipt.isError && "flex flex-col justify-center")}>
      <style>{PRINT_CSS}</style>
      {r && (
        <div className="mx-auto mb-4 flex w-full max-w-[420px] items-center justify-between gap-2" data-print-hide>
          <p className="text-muted-foreground text-sm">{r.status === "paid" ? "Nota pembayaran" : "Tagihan"}</p>
          <Button onClick={() => window.print()} size="sm">
            <Printer /> Cetak
          </Button>
        </div>
      )}
      {receipt.isPending ? (
        <ReceiptSkeleton />
      ) : notFound ? (
        <Message
          title="Nota tidak ditemukan"
          description="Link nota ini salah atau sudah tidak berlaku. Periksa kembali link yang Anda terima, atau hubungi penyedia layanan WiFi Anda."
        />
      ) : receipt.isError ? (
        <Message
          title="Nota belum dapat dimuat"
          description={receipt.error.message}
          action={
            <Button variant="outline" onClick={() => receipt.refetch()}>
              <RefreshCw /> Coba lagi
            </Button>
          }
        />
      ) : (
        <ReceiptPaper r={r!} />
      )}
    </main>
  );
}
