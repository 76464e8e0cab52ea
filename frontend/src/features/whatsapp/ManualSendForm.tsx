import { Eye, Loader2, Send } from "lucide-react";
import { useEffect, useState } from "react";
import { FormField } from "@/components/common/FormField";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ApiError } from "@/lib/api";
import { formatPhone } from "@/lib/format";
import { TEXTAREA_CLASS } from "./textarea";
import { CustomerPicker, type PickedCustomer } from "./CustomerPicker";
import { NotConnectedNotice } from "./NotConnectedNotice";
import { usePreviewMutation, useSendManualMutation } from "./queries";
import type { WaTemplate } from "./types";
import { followSend, isNotConnected, toastSendError } from "./use-send-feedback";

export const TEMPLATE_LABELS: Record<WaTemplate, string> = {
  reminder: "Pengingat tagihan",
  receipt: "Nota pembayaran",
  isolation: "Pemberitahuan isolir",
  custom: "Pesan bebas",
};

/** One customer: pick a template, preview it, edit the text, send it now (not paced). */
export function ManualSendForm({
  customer: fixedCustomer,
  invoiceId,
  onSent,
  onGoToConnect,
}: {
  customer?: PickedCustomer;
  invoiceId?: string;
  onSent?: () => void;
  onGoToConnect?: () => void;
}) {
  const [picked, setPicked] = useState<PickedCustomer[]>(fixedCustomer ? [fixedCustomer] : []);
  const [template, setTemplate] = useState<WaTemplate>("reminder");
  const [message, setMessage] = useState("");
  const [notConnected, setNotConnected] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const preview = usePreviewMutation();
  const send = useSendManualMutation();
  const customer = picked[0];

  const body = () => ({ customerId: customer!.id, invoiceId, template, message: message.trim() || undefined });

  // A new customer or template starts from its own preview.
  useEffect(() => {
    setMessage("");
    setErrors({});
    if (!customer || template === "custom") return;
    preview.mutate(
      { customerId: customer.id, invoiceId, template },
      {
        onSuccess: (p) => setMessage(p.message),
        onError: (e) => (e instanceof ApiError && e.status === 422 ? setErrors(e.fieldErrors) : setErrors({ message: [e.message] })),
      },
    );
  }, [customer?.id, template]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = () => {
    setErrors({});
    send.mutate(body(), {
      onSuccess: (queued) => {
        setNotConnected(false);
        void followSend(queued, `Pesan ke ${customer!.name}`);
        onSent?.();
      },
      onError: (e) => {
        if (isNotConnected(e)) setNotConnected(true);
        else if (e instanceof ApiError && e.status === 422) setErrors(e.fieldErrors);
        else toastSendError(e);
      },
    });
  };

  return (
    <div className="space-y-4" data-testid="wa-manual-form">
      {notConnected && <NotConnectedNotice onGoToConnect={onGoToConnect} />}
      {!fixedCustomer && (
        <FormField id="wa-manual-customer" label="Pelanggan" errors={errors.customerId}>
          <CustomerPicker id="wa-manual-customer" value={picked} onChange={setPicked} />
        </FormField>
      )}
      <FormField id="wa-manual-template" label="Template" errors={errors.template}>
        <Select value={template} onValueChange={(v) => setTemplate(v as WaTemplate)}>
          <SelectTrigger id="wa-manual-template" className="w-full">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(TEMPLATE_LABELS) as WaTemplate[]).map((t) => (
              <SelectItem key={t} value={t}>
                {TEMPLATE_LABELS[t]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </FormField>
      <FormField
        id="wa-manual-message"
        label={
          <span className="flex items-center gap-2">
            Isi pesan {preview.isPending && <Loader2 className="size-3.5 animate-spin" />}
          </span>
        }
        errors={errors.message}
        hint={customer ? `Dikirim ke ${formatPhone(customer.phone)}. Anda bisa mengubah teksnya sebelum dikirim.` : "Pilih pelanggan untuk melihat pratinjau."}
      >
        <textarea
          id="wa-manual-message"
          rows={8}
          className={TEXTAREA_CLASS}
          value={message}
          placeholder={template === "custom" ? "Tulis pesan untuk pelanggan…" : "Pratinjau pesan muncul di sini."}
          onChange={(e) => setMessage(e.target.value)}
          data-testid="wa-manual-message"
        />
      </FormField>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="outline"
          disabled={!customer || preview.isPending}
          onClick={() => preview.mutate(body(), { onSuccess: (p) => setMessage(p.message), onError: (e) => toastSendError(e) })}
        >
          <Eye /> Pratinjau ulang
        </Button>
        <Button type="button" disabled={!customer || !message.trim() || send.isPending} onClick={submit} data-testid="wa-manual-send">
          {send.isPending ? <Loader2 className="animate-spin" /> : <Send />} Kirim via WhatsApp
        </Button>
      </div>
    </div>
  );
}
