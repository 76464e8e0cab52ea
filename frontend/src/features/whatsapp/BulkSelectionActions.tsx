import { useNavigate } from "@tanstack/react-router";
import { BellRing, MessageCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/lib/format";
import { BulkSendForm } from "./BulkSendForm";
import type { PickedCustomer } from "./CustomerPicker";
import { describeBulkResult } from "./bulk-result";
import { useSendBulkMutation } from "./queries";
import type { WaBulkResult } from "./types";
import { isNotConnected } from "./use-send-feedback";

export const PACING_NOTE =
  "Pesan dikirim bertahap lewat WhatsApp (jeda 8–15 detik, paling banyak 50 per jam) untuk melindungi nomor Anda; pantau di WhatsApp → Antrian.";

/**
 * Runs a bulk send from a list's selection and reports it: "3 pengingat masuk antrian · 1 dilewati: …" with a way to
 * the queue; not connected closes the dialog with a way to the Koneksi tab. Other errors stay in the dialog.
 */
export function useBulkSendFeedback() {
  const navigate = useNavigate();
  return async (send: () => Promise<WaBulkResult>, what: string, close: () => void): Promise<WaBulkResult | null> => {
    try {
      const r = await send();
      const message = describeBulkResult(r, what);
      (r.queued > 0 ? toast.success : toast.warning)(message, {
        description: r.firstAt ? `Dikirim bertahap mulai ${formatDateTime(r.firstAt)}.` : undefined,
        action: { label: "Antrian", onClick: () => navigate({ to: "/whatsapp", search: { tab: "antrian" } }) },
      });
      return r;
    } catch (e) {
      if (isNotConnected(e)) {
        close();
        toast.error("Hubungkan WhatsApp terlebih dahulu", {
          action: { label: "Koneksi", onClick: () => navigate({ to: "/whatsapp" }) },
        });
        return null;
      }
      throw e;
    }
  };
}

/** "Kirim WhatsApp": the bulk-send form of the WhatsApp page, opened on the picked customers. */
export function BulkWhatsAppButton({ customers, size = "sm" }: { customers: PickedCustomer[]; size?: "sm" | "default" }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  return (
    <>
      <Button size={size} variant="outline" disabled={customers.length === 0} onClick={() => setOpen(true)} data-testid="bulk-whatsapp">
        <MessageCircle /> Kirim WhatsApp
      </Button>
      <ResponsiveDialog
        open={open}
        onOpenChange={setOpen}
        title={`Kirim WhatsApp ke ${customers.length.toLocaleString("id-ID")} pelanggan`}
        description="Pengingat tagihan atau pesan bebas, dikirim bertahap dari nomor WhatsApp Anda."
      >
        {/* Remounted on every open, so it starts on the current selection. */}
        {open && <BulkSendForm initialCustomers={customers} onGoToConnect={() => navigate({ to: "/whatsapp" })} />}
      </ResponsiveDialog>
    </>
  );
}

/** "Kirim pengingat" for picked customers: each one's latest unpaid invoice, after a confirmation. */
export function BulkRemindCustomersButton({ customerIds, onDone }: { customerIds: string[]; onDone?: () => void }) {
  const [open, setOpen] = useState(false);
  const send = useSendBulkMutation();
  const feedback = useBulkSendFeedback();
  const n = customerIds.length;
  return (
    <>
      <Button size="sm" disabled={n === 0} onClick={() => setOpen(true)} data-testid="bulk-remind">
        <BellRing /> Kirim pengingat
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Kirim pengingat ke ${n.toLocaleString("id-ID")} pelanggan?`}
        description={`Untuk tagihan belum bayar terakhir tiap pelanggan; yang tidak punya tagihan belum bayar atau sedang diisolir dilewati. ${PACING_NOTE}`}
        confirmLabel="Kirim bertahap"
        onConfirm={async () => {
          const r = await feedback(() => send.mutateAsync({ customerIds, template: "reminder" }), "pengingat", () => setOpen(false));
          if (r) onDone?.();
        }}
      />
    </>
  );
}
