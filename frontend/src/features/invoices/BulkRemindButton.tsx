import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { BellRing, MessageCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { Button } from "@/components/ui/button";
import { useSendBulkMutation } from "@/features/whatsapp/queries";
import { PACING_NOTE, useBulkSendFeedback } from "@/features/whatsapp/BulkSelectionActions";
import type { WaBulkFilter, WaBulkResult } from "@/features/whatsapp/types";
import { api, unwrap } from "@/lib/api";
import type { Invoice } from "./types";
import { formatDateTime } from "@/lib/format";
import { isNotConnected } from "@/features/whatsapp/use-send-feedback";

/** WhatsApp reminders for every unpaid invoice of the list's due month (or day), queued and paced. */
export function BulkRemindButton({ filter, unpaidCount, label, className }: { filter: WaBulkFilter; unpaidCount: number | undefined; label: string; className?: string }) {
  const [open, setOpen] = useState(false);
  const send = useSendBulkMutation();
  const navigate = useNavigate();
  return (
    <>
      <Button variant="outline" className={className} disabled={!unpaidCount} onClick={() => setOpen(true)} data-testid="invoice-bulk-remind">
        <MessageCircle /> Kirim Pengingat
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Kirim pengingat ke ${unpaidCount ?? 0} tagihan belum bayar?`}
        description={`Untuk tagihan jatuh tempo ${label}. Pesan dikirim bertahap lewat WhatsApp (jeda 8–15 detik, paling banyak 50 per jam) untuk melindungi nomor Anda; pantau di WhatsApp → Antrian.`}
        confirmLabel="Kirim bertahap"
        onConfirm={async () => {
          try {
            const r = await send.mutateAsync({ filter, template: "reminder" });
            toast.success(`${r.queued} pengingat masuk antrian${r.skipped ? `, ${r.skipped} dilewati` : ""}`, {
              description: r.firstAt ? `Dikirim bertahap mulai ${formatDateTime(r.firstAt)}.` : undefined,
              action: { label: "Antrian", onClick: () => navigate({ to: "/whatsapp", search: { tab: "antrian" } }) },
            });
          } catch (e) {
            if (isNotConnected(e)) {
              setOpen(false);
              toast.error("Hubungkan WhatsApp terlebih dahulu", {
                action: { label: "Koneksi", onClick: () => navigate({ to: "/whatsapp" }) },
              });
              return;
            }
            throw e;
          }
        }}
      />
    </>
  );
}

/** `POST /api/wa/remind-invoices`: one paced reminder per picked invoice (paid ones are skipped by the server). */
export function useRemindInvoicesMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (invoiceIds: string[]) =>
      (await unwrap(api.POST("/api/wa/remind-invoices", { body: { invoiceIds } }))) as WaBulkResult,
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: ["wa", "queue"] });
      queryClient.invalidateQueries({ queryKey: ["wa", "logs"] });
    },
  });
}

/** "Kirim pengingat" for the invoices ticked on the list, after a confirmation that counts the unpaid ones. */
export function RemindSelectedButton({ invoices, onDone }: { invoices: Invoice[]; onDone?: () => void }) {
  const [open, setOpen] = useState(false);
  const remind = useRemindInvoicesMutation();
  const feedback = useBulkSendFeedback();
  const unpaid = invoices.filter((inv) => inv.status !== "paid").length;
  const paid = invoices.length - unpaid;
  return (
    <>
      <Button size="sm" disabled={unpaid === 0} onClick={() => setOpen(true)} data-testid="bulk-remind" title={unpaid === 0 ? "Semua yang dipilih sudah lunas" : undefined}>
        <BellRing /> Kirim pengingat
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Kirim pengingat untuk ${unpaid.toLocaleString("id-ID")} tagihan belum bayar?`}
        description={`${paid ? `${paid.toLocaleString("id-ID")} tagihan yang sudah lunas dilewati. ` : ""}${PACING_NOTE}`}
        confirmLabel="Kirim bertahap"
        onConfirm={async () => {
          const ids = invoices.filter((inv) => inv.status !== "paid").map((inv) => inv.id);
          const r = await feedback(() => remind.mutateAsync(ids), "pengingat", () => setOpen(false));
          if (r) onDone?.();
        }}
      />
    </>
  );
}
