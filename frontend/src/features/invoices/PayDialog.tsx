import { AlertTriangle, Banknote, Building2, CheckCircle2, Loader2, QrCode, RefreshCw, Wallet, type LucideIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { Button } from "@/components/ui/button";
import { RupiahInput } from "@/components/common/RupiahInput";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api";
import { formatDateShort, formatDateTime, formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { formatPeriod } from "./period";
import { PaymentList } from "./PaymentList";
import { fetchInvoice, useRecordPaymentMutation } from "./queries";
import { PAYMENT_METHODS, paymentMethodLabel, type Invoice, type PaymentMethod } from "./types";

const METHOD_ICONS: Record<PaymentMethod, LucideIcon> = {
  cash: Banknote,
  transfer: Building2,
  qris: QrCode,
  ewallet: Wallet,
  other: CheckCircle2,
};

/** Short vibration on a recorded payment, where the device supports it (spec: haptic feedback). */
function haptic() {
  try {
    navigator.vibrate?.(40);
  } catch {
    /* not supported */
  }
}

type Props = { invoice: Invoice | null; onOpenChange: (open: boolean) => void };

/** Why an amount cannot be paid now, or null when it can. */
export function amountError(amount: number | null, remaining: number): string | null {
  if (!amount || amount <= 0) return `Jumlah bayar harus lebih dari ${formatRupiah(0)}.`;
  if (amount > remaining) return `Jumlah bayar melebihi sisa tagihan (${formatRupiah(remaining)}).`;
  return null;
}

/**
 * Record a payment: amount (default: all that is left; less makes the invoice partial), method and
 * note, sent with the invoice's `version`. Earlier payments are listed with "Batalkan". A 409 (another
 * admin was faster) shows the server's message and "Muat ulang", which fetches the invoice afresh.
 */
export function PayDialog({ invoice: initial, onOpenChange }: Props) {
  const [invoice, setInvoice] = useState<Invoice | null>(initial);
  const [method, setMethod] = useState<PaymentMethod>("cash");
  const [note, setNote] = useState("");
  const [amount, setAmount] = useState<number | null>(initial?.remainingAmount ?? null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);
  const pay = useRecordPaymentMutation();

  useEffect(() => {
    if (!initial) return;
    setInvoice(initial);
    setAmount(initial.remainingAmount);
    setMethod("cash");
    setNote("");
    setConflict(null);
    pay.reset();
  }, [initial]); // eslint-disable-line react-hooks/exhaustive-deps

  const shown = invoice ?? initial;
  const alreadyPaid = shown?.status === "paid";
  const remaining = shown?.remainingAmount ?? 0;
  const invalid = shown && !alreadyPaid ? amountError(amount, remaining) : null;
  const partialPay = !invalid && amount != null && amount < remaining;

  /** A newer copy of the invoice (after an undo or a reload): the amount starts again at what is left. */
  const replace = (next: Invoice) => {
    setInvoice(next);
    setAmount(next.remainingAmount);
  };

  const submit = async () => {
    if (!shown || invalid || amount == null) return;
    setConflict(null);
    try {
      const saved = await pay.mutateAsync({
        id: shown.id,
        body: { version: shown.version, amount, paymentMethod: method, paymentNote: note.trim() || null },
      });
      haptic();
      if (saved.status === "paid") {
        toast.success(`Pembayaran ${saved.customer.name} dicatat`, { description: `${formatPeriod(saved.period)} · ${formatRupiah(amount)} · lunas` });
      } else {
        toast.success(`Pembayaran sebagian ${saved.customer.name} dicatat`, {
          description: `${formatRupiah(amount)} diterima · sisa ${formatRupiah(saved.remainingAmount)}`,
        });
      }
      onOpenChange(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
      else toast.error(e instanceof Error ? e.message : "Pembayaran gagal dicatat.");
    }
  };

  const reload = async () => {
    if (!shown) return;
    setReloading(true);
    try {
      replace(await fetchInvoice(shown.id));
      setConflict(null);
    } catch (e) {
      toast.error(e instanceof Error ? e.message : "Gagal memuat ulang tagihan.");
    } finally {
      setReloading(false);
    }
  };

  const busy = pay.isPending || reloading;
  return (
    <ResponsiveDialog
      open={!!initial}
      onOpenChange={(o) => !busy && onOpenChange(o)}
      title="Catat Pembayaran"
      description="Catat uang yang diterima dari pelanggan, seluruhnya atau sebagian."
      className="sm:max-w-md"
      footer={
        <div className="flex w-full gap-2 sm:justify-end">
          <Button variant="outline" className="flex-1 sm:flex-none" onClick={() => onOpenChange(false)} disabled={busy}>
            {alreadyPaid ? "Tutup" : "Batal"}
          </Button>
          {!alreadyPaid && (
            <Button className="flex-1 sm:flex-none" onClick={submit} disabled={busy || !!invalid} data-testid="pay-confirm">
              {pay.isPending ? <Loader2 className="animate-spin" /> : <CheckCircle2 />}
              {partialPay ? "Catat Bayar Sebagian" : "Konfirmasi Bayar"}
            </Button>
          )}
        </div>
      }
    >
      {shown && (
        <div className="grid gap-4" data-testid="pay-dialog">
          <div className="bg-muted/50 rounded-xl border p-4">
            <p className="font-semibold">{shown.customer.name}</p>
            <p className="text-muted-foreground text-sm">
              {formatPeriod(shown.period)} · jatuh tempo {formatDateShort(shown.dueDate)}
            </p>
            <div className="mt-3 flex items-end justify-between gap-2">
              <span className="text-muted-foreground text-sm">
                {shown.packageName}
                {shown.discount > 0 ? ` · diskon ${formatRupiah(shown.discount)}` : ""}
              </span>
              <span className="text-2xl font-bold tabular-nums" data-testid="pay-total">
                {formatRupiah(shown.totalAmount)}
              </span>
            </div>
            {shown.status === "partial" && (
              <p className="mt-2 flex justify-between gap-2 border-t pt-2 text-sm tabular-nums" data-testid="pay-paid-so-far">
                <span>Sudah dibayar {formatRupiah(shown.paidAmount)}</span>
                <span className="font-semibold text-amber-700 dark:text-amber-400">Sisa tagihan {formatRupiah(remaining)}</span>
              </p>
            )}
          </div>

          {conflict && (
            <div role="alert" data-testid="pay-conflict" className="border-destructive/40 bg-destructive/10 text-destructive flex flex-col gap-2 rounded-lg border p-3 text-sm sm:flex-row sm:items-center">
              <p className="flex flex-1 items-start gap-2">
                <AlertTriangle className="mt-0.5 size-4 shrink-0" />
                {conflict}
              </p>
              <Button size="sm" variant="outline" className="border-destructive/40 self-start sm:self-auto" onClick={reload} disabled={reloading}>
                {reloading ? <Loader2 className="animate-spin" /> : <RefreshCw />} Muat ulang
              </Button>
            </div>
          )}

          {alreadyPaid ? (
            <p className="bg-accent/10 text-accent dark:text-green-400 flex items-start gap-2 rounded-lg p-3 text-sm" data-testid="pay-already-paid">
              <CheckCircle2 className="mt-0.5 size-4 shrink-0" />
              Sudah lunas{shown.paidByName ? `, dicatat oleh ${shown.paidByName}` : ""} pada {formatDateTime(shown.paidAt)} ({paymentMethodLabel(shown.paymentMethod)}).
            </p>
          ) : (
            <>
              <div className="grid gap-1.5">
                <Label htmlFor="pay-amount">Jumlah dibayar</Label>
                <RupiahInput
                  id="pay-amount"
                  value={amount}
                  onValueChange={setAmount}
                  aria-invalid={!!invalid || undefined}
                  aria-describedby="pay-amount-hint"
                  data-testid="pay-amount"
                />
                <p id="pay-amount-hint" className={cn("text-xs tabular-nums", invalid ? "text-destructive" : "text-muted-foreground")} data-testid="pay-remaining">
                  {invalid ?? (partialPay ? `Bayar sebagian · Sisa: ${formatRupiah(remaining - (amount ?? 0))}` : `Lunas · Sisa: ${formatRupiah(0)}`)}
                </p>
              </div>
              <fieldset className="grid gap-2">
                <legend className="mb-2 text-sm font-medium">Metode pembayaran</legend>
                <div role="radiogroup" aria-label="Metode pembayaran" className="grid grid-cols-3 gap-2 sm:grid-cols-5">
                  {PAYMENT_METHODS.map((m) => {
                    const Icon = METHOD_ICONS[m.value];
                    const selected = method === m.value;
                    return (
                      <button
                        key={m.value}
                        type="button"
                        role="radio"
                        aria-checked={selected}
                        onClick={() => setMethod(m.value)}
                        className={cn(
                          "flex flex-col items-center gap-1 rounded-lg border px-2 py-2.5 text-xs font-medium transition-colors",
                          selected ? "border-primary bg-primary/10 text-primary ring-primary/30 ring-2" : "hover:bg-muted",
                        )}
                      >
                        <Icon className="size-5" />
                        {m.label}
                      </button>
                    );
                  })}
                </div>
              </fieldset>
              <div className="grid gap-1.5">
                <Label htmlFor="pay-note">
                  Catatan <span className="text-muted-foreground font-normal">(opsional)</span>
                </Label>
                <textarea
                  id="pay-note"
                  rows={2}
                  maxLength={500}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  placeholder="Mis. transfer BCA a.n. pelanggan"
                  className="border-input bg-transparent placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 w-full rounded-md border px-3 py-2 text-base shadow-xs outline-none focus-visible:ring-[3px] md:text-sm dark:bg-input/30"
                />
              </div>
            </>
          )}

          <PaymentList invoice={shown} onChanged={replace} onConflict={setConflict} disabled={busy} />
        </div>
      )}
    </ResponsiveDialog>
  );
}
