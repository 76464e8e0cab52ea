import { Undo2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/api";
import { formatDateTime, formatRupiah } from "@/lib/format";
import { useUndoPaymentMutation } from "./queries";
import { paymentMethodLabel, type Invoice, type Payment } from "./types";

type Props = {
  invoice: Invoice;
  /** The invoice after an undo (new version, status and payments). */
  onChanged: (invoice: Invoice) => void;
  /** A 409: someone else changed the invoice meanwhile. */
  onConflict: (message: string) => void;
  disabled?: boolean;
};

/** An invoice's payments, oldest first, each with "Batalkan" behind a confirmation. */
export function PaymentList({ invoice, onChanged, onConflict, disabled }: Props) {
  const payments = (invoice.payments ?? []) as Payment[];
  const [undoing, setUndoing] = useState<Payment | null>(null);
  const undo = useUndoPaymentMutation();
  if (payments.length === 0) return null;

  const confirm = async () => {
    if (!undoing) return;
    try {
      const saved = await undo.mutateAsync({ id: invoice.id, paymentId: undoing.id, version: invoice.version });
      toast.success(`Pembayaran ${formatRupiah(undoing.amount)} dibatalkan`, {
        description: saved.status === "unpaid" ? "Tagihan kembali belum dibayar." : `Sisa tagihan ${formatRupiah(saved.remainingAmount)}.`,
      });
      onChanged(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        onConflict(e.message);
        return;
      }
      throw e; // shown inside the confirmation dialog
    }
  };

  return (
    <section className="grid gap-2" aria-label="Riwayat pembayaran">
      <h3 className="text-sm font-medium">Riwayat pembayaran</h3>
      <ul className="divide-y rounded-lg border" data-testid="payment-list">
        {payments.map((p) => (
          <li key={p.id} className="flex items-center gap-3 px-3 py-2 text-sm" data-testid="payment-row">
            <div className="min-w-0 flex-1">
              <p className="font-medium whitespace-nowrap tabular-nums">{formatRupiah(p.amount)}</p>
              <p className="text-muted-foreground truncate text-xs">
                {formatDateTime(p.paidAt)} · {paymentMethodLabel(p.paymentMethod)}
                {p.paidByName ? ` · ${p.paidByName}` : ""}
              </p>
              {p.paymentNote && <p className="text-muted-foreground truncate text-xs">{p.paymentNote}</p>}
            </div>
            <Button
              size="sm"
              variant="ghost"
              className="text-destructive hover:text-destructive shrink-0"
              onClick={() => setUndoing(p)}
              disabled={disabled}
              aria-label={`Batalkan pembayaran ${formatRupiah(p.amount)}`}
            >
              <Undo2 /> Batalkan
            </Button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={!!undoing}
        onOpenChange={(o) => !o && setUndoing(null)}
        title="Batalkan pembayaran ini?"
        description={
          undoing ? `Pembayaran ${formatRupiah(undoing.amount)} pada ${formatDateTime(undoing.paidAt)} dihapus dan sisa tagihan bertambah.` : undefined
        }
        confirmLabel="Ya, batalkan"
        destructive
        onConfirm={confirm}
      />
    </section>
  );
}
