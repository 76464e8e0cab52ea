import { useQuery } from "@tanstack/react-query";
import { Eye, Loader2, Users } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { FormField } from "@/components/common/FormField";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { api, unwrap } from "@/lib/api";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { TEXTAREA_CLASS } from "./textarea";
import { describeSkips } from "./bulk-result";
import { CustomerPicker, type PickedCustomer } from "./CustomerPicker";
import { NotConnectedNotice } from "./NotConnectedNotice";
import { usePreviewMutation, useSendBulkMutation, waSendersQueryOptions, type WaSendTarget } from "./queries";
import { SenderNotice } from "./SenderNotice";
import type { WaBulkFilter, WaBulkResult, WaSendBulk } from "./types";
import { isNotConnected, toastSendError } from "./use-send-feedback";

type Audience = "unpaid" | "selected";

/** Unpaid invoices: their count and one customer to render the sample for. */
function useUnpaidSample(enabled: boolean) {
  return useQuery({
    queryKey: ["invoices", "list", { status: "unpaid", page: 1, perPage: 1 }, "wa-sample"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/invoices", { params: { query: { status: "unpaid", page: 1, perPage: 1 } } }));
      const first = page.items?.[0];
      return { total: page.total ?? 0, customerId: first?.customerId ?? null, customerName: first?.customer?.name ?? null };
    },
    enabled,
  });
}

/** Many customers at once: queued and sent gradually under the anti-ban pacing. */
export function BulkSendForm({
  onGoToConnect,
  filter,
  initialCustomers,
}: {
  onGoToConnect?: () => void;
  filter?: WaBulkFilter;
  /** Customers ticked on a list: the form opens on "Pelanggan terpilih" with them. */
  initialCustomers?: PickedCustomer[];
}) {
  const [audience, setAudience] = useState<Audience>(initialCustomers?.length ? "selected" : "unpaid");
  const [picked, setPicked] = useState<PickedCustomer[]>(initialCustomers ?? []);
  const [template, setTemplate] = useState<"reminder" | "custom">("reminder");
  const [message, setMessage] = useState("Halo {nama}, ");
  const [sample, setSample] = useState<string | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [notConnected, setNotConnected] = useState(false);
  const [result, setResult] = useState<WaBulkResult | null>(null);
  const unpaid = useUnpaidSample(audience === "unpaid");
  const preview = usePreviewMutation();
  const send = useSendBulkMutation();

  const count = audience === "selected" ? picked.length : (unpaid.data?.total ?? 0);
  const sampleCustomerId = audience === "selected" ? picked[0]?.id : unpaid.data?.customerId;
  const canSend = count > 0 && (template === "reminder" || message.trim().length > 0);

  const target: WaSendTarget =
    audience === "selected" ? { customerIds: picked.map((c) => c.id) } : { filter: filter ?? { invoiceStatus: "unpaid" } };
  const body: WaSendBulk = { ...target, template, customMessage: template === "custom" ? message : undefined };
  // Each customer's message goes out from its owner's number: say which numbers, and which are not connected.
  const senders = useQuery({ ...waSendersQueryOptions(target), enabled: count > 0 });
  const onlyOwnNumber = !senders.data || senders.data.every((s) => s.isOwn);

  const showSample = () => {
    if (!sampleCustomerId) return;
    preview.mutate(
      { customerId: sampleCustomerId, template, customMessage: template === "custom" ? message : undefined },
      { onSuccess: (p) => setSample(p.message), onError: (e) => toastSendError(e, onGoToConnect) },
    );
  };

  return (
    <div className="space-y-4" data-testid="wa-bulk-form">
      {notConnected && onlyOwnNumber && <NotConnectedNotice onGoToConnect={onGoToConnect} />}
      <div role="radiogroup" aria-label="Penerima" className="grid grid-cols-2 gap-2">
        {(["unpaid", "selected"] as Audience[]).map((a) => (
          <button
            key={a}
            type="button"
            role="radio"
            aria-checked={audience === a}
            onClick={() => {
              setAudience(a);
              setSample(null);
            }}
            className={cn(
              "rounded-lg border px-3 py-2 text-left text-sm transition-colors",
              audience === a ? "border-primary ring-primary/30 ring-2" : "hover:bg-muted/60",
            )}
          >
            <span className="block font-medium">{a === "unpaid" ? "Semua belum bayar" : "Pelanggan terpilih"}</span>
            <span className="text-muted-foreground block text-xs">
              {a === "unpaid" ? (unpaid.isPending && audience === "unpaid" ? "Menghitung…" : `${unpaid.data?.total ?? "–"} tagihan`) : `${picked.length} dipilih`}
            </span>
          </button>
        ))}
      </div>
      {audience === "selected" && <CustomerPicker id="wa-bulk-customers" value={picked} onChange={setPicked} multiple />}
      {count > 0 && <SenderNotice senders={senders.data} mode="paced" loading={senders.isPending} />}

      <FormField id="wa-bulk-template" label="Template">
        <Select value={template} onValueChange={(v) => (setTemplate(v as "reminder" | "custom"), setSample(null))}>
          <SelectTrigger id="wa-bulk-template" className="w-full">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="reminder">Pengingat tagihan</SelectItem>
            <SelectItem value="custom">Pesan bebas</SelectItem>
          </SelectContent>
        </Select>
      </FormField>
      {template === "custom" && (
        <FormField id="wa-bulk-message" label="Isi pesan" hint="{nama} diganti dengan nama tiap pelanggan.">
          <textarea id="wa-bulk-message" rows={5} className={TEXTAREA_CLASS} value={message} onChange={(e) => (setMessage(e.target.value), setSample(null))} />
        </FormField>
      )}

      {sample !== null && (
        <div className="bg-muted/50 rounded-lg border p-3 text-sm" data-testid="wa-bulk-sample">
          <p className="text-muted-foreground mb-1 text-xs">Contoh pesan untuk satu pelanggan</p>
          <p className="whitespace-pre-wrap">{sample}</p>
        </div>
      )}
      {result && (
        <div className="bg-accent/10 rounded-lg border px-3 py-2 text-sm" role="status" data-testid="wa-bulk-result">
          <p className="font-medium">
            {result.queued} pesan masuk antrian{result.skipped ? `, ${result.skipped} dilewati` : ""}.
          </p>
          {result.skipped > 0 && <p className="text-muted-foreground text-xs">{describeSkips(result)}.</p>}
          {result.firstAt && (
            <p className="text-muted-foreground text-xs">
              Dikirim bertahap mulai {formatDateTime(result.firstAt)}
              {result.lastAt ? ` sampai sekitar ${formatDateTime(result.lastAt)}` : ""}.
            </p>
          )}
        </div>
      )}

      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" disabled={!sampleCustomerId || preview.isPending} onClick={showSample}>
          {preview.isPending ? <Loader2 className="animate-spin" /> : <Eye />} Lihat contoh
        </Button>
        <Button type="button" disabled={!canSend || send.isPending} onClick={() => setConfirmOpen(true)} data-testid="wa-bulk-send">
          <Users /> Kirim ke {count} pelanggan
        </Button>
      </div>

      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={`Kirim ke ${count} pelanggan?`}
        description="Pesan dikirim bertahap (jeda 8–15 detik, paling banyak 50 per jam dan 300 per hari) untuk melindungi nomor Anda dari blokir WhatsApp. Anda bisa memantau dan membatalkannya di tab Antrian."
        confirmLabel="Kirim bertahap"
        onConfirm={async () => {
          try {
            const r = await send.mutateAsync(body);
            setResult(r);
            setNotConnected(false);
            toast.success(`${r.queued} pesan masuk antrian`);
          } catch (e) {
            if (isNotConnected(e)) {
              setNotConnected(true);
              if (!onlyOwnNumber) toast.error("Tidak ada nomor pengirim yang terhubung; tidak ada pesan yang masuk antrian.");
              return;
            }
            throw e;
          }
        }}
      />
    </div>
  );
}
