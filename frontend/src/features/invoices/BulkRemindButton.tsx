import { useNavigate } from "@tanstack/react-router";
import { MessageCircle } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { Button } from "@/components/ui/button";
import { useSendBulkMutation } from "@/features/whatsapp/queries";
import type { WaBulkFilter } from "@/features/whatsapp/types";
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
