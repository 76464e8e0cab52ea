import { Eye, Loader2, Send } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { FormField } from "@/components/common/FormField";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ApiError } from "@/lib/api";
import { formatPhone } from "@/lib/format";
import { TEXTAREA_CLASS } from "./textarea";
import { CustomerPicker, type PickedCustomer } from "./CustomerPicker";
import { NotConnectedNotice } from "./NotConnectedNotice";
import { usePreviewMutation, useSendManualMutation, waSendOptionsQueryOptions } from "./queries";
import { SenderNotice } from "./SenderNotice";
import type { WaTemplate } from "./types";
import { followSend, isNotConnected, toastSendError } from "./use-send-feedback";

export const TEMPLATE_LABELS: Record<WaTemplate, string> = {
  reminder: "Pengingat tagihan",
  receipt: "Nota pembayaran",
  isolation: "Pemberitahuan isolir",
  custom: "Pesan bebas",
};

/**
 * One customer: pick a template, preview it, edit the text, send it now (not paced) from the customer's owner's
 * number. It starts on the template that fits the customer (the reminder only when something is unpaid) and
 * says why the others are off.
 */
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
  const [chosen, setChosen] = useState<{ customerId: string; template: WaTemplate } | null>(null);
  const [message, setMessage] = useState("");
  const [notConnected, setNotConnected] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const preview = usePreviewMutation();
  const send = useSendManualMutation();
  const customer = picked[0];
  const options = useQuery({ ...waSendOptionsQueryOptions(customer?.id ?? "", invoiceId), enabled: !!customer });
  const offReason = (t: WaTemplate) => options.data?.templates.find((o) => o.template === t)?.reason ?? null;
  // The user's pick for this customer wins; until then (and for another customer) the template that fits.
  const template: WaTemplate | null =
    (chosen && chosen.customerId === customer?.id ? chosen.template : null) ?? options.data?.defaultTemplate ?? null;
  const sender = options.data?.sender;

  const body = () => ({ customerId: customer!.id, invoiceId, template: template!, customMessage: message.trim() || undefined });

  // A new customer or template starts from its own preview.
  useEffect(() => {
    setMessage("");
    setErrors({});
    if (!customer || !template || template === "custom") return;
    preview.mutate(
      { customerId: customer.id, invoiceId, template },
      {
        onSuccess: (p) => setMessage(p.message),
        onError: (e) => (e instanceof ApiError && e.status === 422 ? setErrors(e.fieldErrors) : setErrors({ customMessage: [e.message] })),
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
      {notConnected && sender?.isOwn !== false && <NotConnectedNotice onGoToConnect={onGoToConnect} />}
      {!fixedCustomer && (
        <FormField id="wa-manual-customer" label="Pelanggan" errors={errors.customerId}>
          <CustomerPicker id="wa-manual-customer" value={picked} onChange={setPicked} />
        </FormField>
      )}
      {customer && <SenderNotice senders={sender ? [sender] : undefined} mode="direct" loading={options.isPending} />}
      {options.isError && <p className="text-destructive text-sm">{options.error.message}</p>}
      <FormField id="wa-manual-template" label="Template" errors={errors.template}>
        <Select value={template ?? ""} onValueChange={(v) => customer && setChosen({ customerId: customer.id, template: v as WaTemplate })} disabled={!customer || !options.data}>
          <SelectTrigger id="wa-manual-template" className="w-full" data-testid="wa-manual-template">
            <SelectValue placeholder={customer ? "Memuat…" : "Pilih pelanggan dulu"} />
          </SelectTrigger>
          <SelectContent>
            {(Object.keys(TEMPLATE_LABELS) as WaTemplate[]).map((t) => (
              <SelectItem key={t} value={t} disabled={!!offReason(t)} data-testid={`wa-template-${t}`}>
                <span className="flex flex-col items-start">
                  <span>{TEMPLATE_LABELS[t]}</span>
                  {offReason(t) && <span className="text-muted-foreground text-xs">{offReason(t)}</span>}
                </span>
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {options.data && options.data.templates.some((o) => !o.available) && (
          <ul className="text-muted-foreground mt-1 space-y-0.5 text-xs" data-testid="wa-template-reasons">
            {options.data.templates
              .filter((o) => !o.available)
              .map((o) => (
                <li key={o.template}>
                  {TEMPLATE_LABELS[o.template]} tidak tersedia: {o.reason}
                </li>
              ))}
          </ul>
        )}
      </FormField>
      <FormField
        id="wa-manual-message"
        label={
          <span className="flex items-center gap-2">
            Isi pesan {preview.isPending && <Loader2 className="size-3.5 animate-spin" />}
          </span>
        }
        errors={errors.customMessage ?? errors.message}
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
          disabled={!customer || !template || preview.isPending}
          onClick={() => preview.mutate(body(), { onSuccess: (p) => setMessage(p.message), onError: (e) => toastSendError(e) })}
        >
          <Eye /> Pratinjau ulang
        </Button>
        <Button type="button" disabled={!customer || !template || !message.trim() || send.isPending} onClick={submit} data-testid="wa-manual-send">
          {send.isPending ? <Loader2 className="animate-spin" /> : <Send />} Kirim via WhatsApp
        </Button>
      </div>
    </div>
  );
}
