import { useState } from "react";
import { toast } from "sonner";
import { useNavigate } from "@tanstack/react-router";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { useResendInvoiceMutation } from "@/features/whatsapp/queries";
import { followSend, toastSendError } from "@/features/whatsapp/use-send-feedback";
import { ApiError } from "@/lib/api";
import { formatRupiah } from "@/lib/format";
import { PayDialog } from "./PayDialog";
import { formatPeriod } from "./period";
import { fetchInvoice, receiptLink, useUnpayInvoiceMutation } from "./queries";
import type { Invoice } from "./types";

export type InvoiceRowActions = {
  onPay: (i: Invoice) => void;
  onUnpay: (i: Invoice) => void;
  onOpenReceipt: (i: Invoice) => void;
  onCopyReceipt: (i: Invoice) => void;
  onOpenCustomer: (i: Invoice) => void;
  /** WhatsApp: a reminder for an unpaid invoice, the receipt again for a paid one (sent at once). */
  onSendWa: (i: Invoice) => void;
};

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older WebViews or an insecure origin: the classic selection fallback.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy failed");
  }
}

/** Pay, unpay and receipt actions for invoice rows, with the dialogs they open. */
export function useInvoiceActions(onOpenCustomer: (i: Invoice) => void) {
  const navigate = useNavigate();
  const goToConnect = () => navigate({ to: "/whatsapp" });
  const [paying, setPaying] = useState<Invoice | null>(null);
  const [unpaying, setUnpaying] = useState<Invoice | null>(null);
  const unpay = useUnpayInvoiceMutation();
  const resend = useResendInvoiceMutation();

  const actions: InvoiceRowActions = {
    onPay: setPaying,
    onUnpay: setUnpaying,
    onOpenReceipt: (i) => {
      const link = receiptLink(i);
      if (link) window.open(link, "_blank", "noopener");
    },
    onCopyReceipt: async (i) => {
      const link = receiptLink(i);
      if (!link) return;
      try {
        await copyText(link);
        toast.success("Link nota disalin", { description: link });
      } catch {
        toast.error("Gagal menyalin link nota.", { description: link });
      }
    },
    onOpenCustomer,
    onSendWa: (i) => {
      const kind = i.status === "paid" ? "receipt" : "reminder";
      const what = kind === "receipt" ? `Nota ${i.customer.name}` : `Pengingat ${i.customer.name}`;
      resend.mutate(
        { invoiceId: i.id, kind },
        { onSuccess: (queued) => void followSend(queued, what), onError: (e) => toastSendError(e, goToConnect) },
      );
    },
  };

  const dialogs = (
    <>
      <PayDialog invoice={paying} onOpenChange={(o) => !o && setPaying(null)} />
      <ConfirmDialog
        open={!!unpaying}
        onOpenChange={(o) => !o && setUnpaying(null)}
        title="Batalkan pembayaran?"
        description={
          unpaying ? (
            <>
              Tagihan <strong>{unpaying.customer.name}</strong> {formatPeriod(unpaying.period)} ({formatRupiah(unpaying.totalAmount)})
              akan kembali berstatus Belum Bayar.
            </>
          ) : null
        }
        confirmLabel="Batalkan Pembayaran"
        cancelLabel="Kembali"
        destructive
        onConfirm={async () => {
          try {
            const saved = await unpay.mutateAsync({ id: unpaying!.id, version: unpaying!.version });
            toast.success(`Pembayaran ${saved.customer.name} dibatalkan`);
          } catch (e) {
            // Stale version: keep the server's message, but let a second try use the fresh invoice.
            if (e instanceof ApiError && e.status === 409) {
              const fresh = await fetchInvoice(unpaying!.id).catch(() => null);
              if (fresh) setUnpaying(fresh);
            }
            throw e;
          }
        }}
      />
    </>
  );

  return { actions, dialogs };
}
