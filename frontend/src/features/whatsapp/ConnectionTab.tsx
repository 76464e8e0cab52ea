import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Loader2, LogOut, PauseCircle, QrCode, ScanLine, Search, Send, Smartphone } from "lucide-react";
import { QRCodeSVG } from "qrcode.react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { FormField } from "@/components/common/FormField";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api";
import { formatDateTime, formatPhone } from "@/lib/format";
import { SessionStatusBadge, SimulatorBadge } from "./badges";
import { SESSION_STATUS, cleanPhoneInput, isPaused } from "./labels";
import {
  useCheckNumberMutation,
  useConnectMutation,
  useDisconnectMutation,
  useSendTestMutation,
  useSimulateScanMutation,
  waQrQueryOptions,
} from "./queries";
import { pushedQrKey, type PushedQr } from "./socket";
import type { WaNumberCheck, WaStatus } from "./types";
import { TEXTAREA_CLASS } from "./textarea";
import { followSend, toastSendError } from "./use-send-feedback";
import { WorkerDownNotice } from "./WorkerDownNotice";

function QrPanel({ status, live }: { status: WaStatus; live: boolean }) {
  const pushed = useQuery({ queryKey: pushedQrKey, queryFn: () => null as PushedQr | null, enabled: false }).data;
  // Polling is the fallback: only while the socket is down or has not pushed a QR yet.
  const polled = useQuery(waQrQueryOptions(!live || !pushed));
  const simulate = useSimulateScanMutation();
  const qr = pushed?.qr ?? polled.data?.qr ?? status.qr;
  const source = pushed ? "socket" : "poll";

  return (
    <div className="flex flex-col items-center gap-4 md:flex-row md:items-start">
      <div className="rounded-xl border bg-white p-3" data-testid="wa-qr" data-source={qr ? source : undefined}>
        {qr ? (
          <QRCodeSVG value={qr} size={216} marginSize={1} title="QR WhatsApp" />
        ) : (
          <div className="text-muted-foreground flex size-[216px] flex-col items-center justify-center gap-2 text-sm" aria-busy="true">
            <Loader2 className="size-6 animate-spin" /> Menyiapkan QR…
          </div>
        )}
      </div>
      <div className="max-w-sm space-y-3 text-sm">
        <p className="font-medium">Scan QR dengan WhatsApp di HP Anda</p>
        <ol className="text-muted-foreground list-decimal space-y-1 pl-5">
          <li>Buka WhatsApp di HP nomor usaha Anda.</li>
          <li>Ketuk menu ⋮ atau Setelan, lalu Perangkat tertaut.</li>
          <li>Ketuk Tautkan perangkat dan arahkan kamera ke QR ini.</li>
        </ol>
        <p className="text-muted-foreground text-xs">QR diperbarui otomatis setiap beberapa detik.</p>
        {status.transport === "simulator" && (
          <Button
            variant="outline"
            disabled={!qr || simulate.isPending}
            onClick={() =>
              simulate.mutate(undefined, {
                onSuccess: () => toast.success("Scan simulasi dikirim"),
                onError: (e) => toast.error(e.message),
              })
            }
            data-testid="wa-simulate-scan"
          >
            {simulate.isPending ? <Loader2 className="animate-spin" /> : <ScanLine />} Simulasikan scan
          </Button>
        )}
      </div>
    </div>
  );
}

function TestSendForm({ connected }: { connected: boolean }) {
  const [phone, setPhone] = useState("");
  const [message, setMessage] = useState("");
  const send = useSendTestMutation();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    send.mutate(
      { phone, message: message.trim() || undefined },
      {
        onSuccess: (queued) => void followSend(queued, "Pesan tes"),
        onError: (err) => (err instanceof ApiError && err.status === 422 ? setErrors(err.fieldErrors) : toastSendError(err)),
      },
    );
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      <FormField id="wa-test-phone" label="Nomor tujuan" errors={errors.phone}>
        <Input id="wa-test-phone" inputMode="tel" placeholder="0812…" value={phone} onChange={(e) => setPhone(cleanPhoneInput(e.target.value))} required />
      </FormField>
      <FormField id="wa-test-message" label="Pesan (opsional)" errors={errors.message} hint="Kosongkan untuk pesan tes bawaan.">
        <textarea id="wa-test-message" rows={2} className={TEXTAREA_CLASS} value={message} onChange={(e) => setMessage(e.target.value)} />
      </FormField>
      <Button type="submit" disabled={!connected || !phone || send.isPending}>
        {send.isPending ? <Loader2 className="animate-spin" /> : <Send />} Kirim pesan tes
      </Button>
    </form>
  );
}

function CheckNumberForm({ connected }: { connected: boolean }) {
  const [phone, setPhone] = useState("");
  const check = useCheckNumberMutation();
  const [result, setResult] = useState<WaNumberCheck | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    check.mutate(phone, { onSuccess: setResult, onError: (err) => toastSendError(err) });
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      <FormField id="wa-check-phone" label="Nomor yang dicek">
        <Input id="wa-check-phone" inputMode="tel" placeholder="0812…" value={phone} onChange={(e) => setPhone(cleanPhoneInput(e.target.value))} required />
      </FormField>
      <Button type="submit" variant="outline" disabled={!connected || !phone || check.isPending}>
        {check.isPending ? <Loader2 className="animate-spin" /> : <Search />} Cek nomor
      </Button>
      {result && (
        <p className={result.onWhatsapp ? "text-accent text-sm dark:text-green-400" : "text-destructive text-sm"} role="status" data-testid="wa-check-result">
          {formatPhone(result.phone)} {result.onWhatsapp ? "terdaftar di WhatsApp." : "tidak terdaftar di WhatsApp."}
        </p>
      )}
    </form>
  );
}

export function ConnectionTab({ status, loading, error, live }: { status: WaStatus | undefined; loading: boolean; error: Error | null; live: boolean }) {
  const connect = useConnectMutation();
  const disconnect = useDisconnectMutation();
  const [confirmOpen, setConfirmOpen] = useState(false);

  if (loading) return <Skeleton className="h-64 w-full" />;
  if (error || !status) return <Card className="text-destructive px-6 text-sm">{error?.message ?? "Status WhatsApp tidak dapat dimuat."}</Card>;

  const connected = status.status === "connected";
  const connecting = status.status === "connecting";
  const info = SESSION_STATUS[status.status];
  const rescan = ["logged_out", "banned", "outdated"].includes(status.status) || (status.status === "disconnected" && !!status.lastConnectedAt);
  const doConnect = () =>
    connect.mutate(undefined, { onError: (e) => toast.error(e.message) });

  return (
    <div className="space-y-4">
      <WorkerDownNotice />
      {isPaused(status) && (
        <Card className="border-warning/50 bg-warning/10 flex-row items-start gap-3 px-4 py-3 text-sm" role="alert" data-testid="wa-paused">
          <PauseCircle className="mt-0.5 size-5 shrink-0 text-amber-600" />
          <div>
            <p className="font-medium">Pengiriman terjadwal dijeda sampai {formatDateTime(status.pausedUntil)}</p>
            <p className="text-muted-foreground">
              {status.pauseReason ?? "WhatsApp menolak pesan dari nomor ini untuk sementara."} Pengingat dan kirim massal dilanjutkan otomatis; nota tetap dicoba.
            </p>
          </div>
        </Card>
      )}

      <Card className="gap-4">
        <CardHeader>
          <div className="flex flex-wrap items-center gap-2">
            <CardTitle className="flex items-center gap-2">
              <Smartphone className="size-5" /> Nomor WhatsApp
            </CardTitle>
            <SessionStatusBadge status={status.status} />
            <SimulatorBadge transport={status.transport} />
          </div>
          <CardDescription>{status.reason || info?.hint}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-muted-foreground text-xs">Nomor</dt>
              <dd className="font-medium tabular-nums" data-testid="wa-phone">{status.phoneNumber ? formatPhone(status.phoneNumber) : "-"}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground text-xs">Terakhir terhubung</dt>
              <dd className="font-medium">{status.lastConnectedAt ? formatDateTime(status.lastConnectedAt) : "Belum pernah"}</dd>
            </div>
          </dl>

          {connecting && <QrPanel status={status} live={live} />}

          <div className="flex flex-wrap gap-2">
            {!connected && !connecting && (
              <Button onClick={doConnect} disabled={connect.isPending} data-testid="wa-connect">
                {connect.isPending ? <Loader2 className="animate-spin" /> : <QrCode />}
                {rescan ? "Scan ulang" : "Hubungkan WhatsApp"}
              </Button>
            )}
            {connected && (
              <span className="text-accent flex items-center gap-1.5 text-sm font-medium dark:text-green-400">
                <CheckCircle2 className="size-4" /> Siap mengirim pesan
              </span>
            )}
            {(connected || connecting) && (
              <Button variant="outline" className="text-destructive hover:text-destructive" onClick={() => setConfirmOpen(true)} data-testid="wa-disconnect">
                <LogOut /> {connecting ? "Batalkan" : "Putuskan"}
              </Button>
            )}
          </div>
        </CardContent>
      </Card>

      <div className="grid gap-4 md:grid-cols-2">
        <Card className="gap-3">
          <CardHeader>
            <CardTitle>Kirim pesan tes</CardTitle>
            <CardDescription>{connected ? "Pastikan pesan sampai ke HP tujuan." : "Hubungkan WhatsApp terlebih dahulu."}</CardDescription>
          </CardHeader>
          <CardContent>
            <TestSendForm connected={connected} />
          </CardContent>
        </Card>
        <Card className="gap-3">
          <CardHeader>
            <CardTitle>Cek nomor</CardTitle>
            <CardDescription>Apakah nomor pelanggan terdaftar di WhatsApp? Nomor yang tidak terdaftar tidak dikirimi pesan.</CardDescription>
          </CardHeader>
          <CardContent>
            <CheckNumberForm connected={connected} />
          </CardContent>
        </Card>
      </div>

      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={connecting ? "Batalkan menghubungkan?" : "Putuskan WhatsApp?"}
        description="Perangkat ini akan dilepas dari WhatsApp. Nota, pengingat dan pesan lain tidak terkirim sampai Anda scan QR lagi."
        confirmLabel={connecting ? "Batalkan" : "Putuskan"}
        destructive
        onConfirm={async () => {
          await disconnect.mutateAsync();
          toast.success("WhatsApp diputuskan");
        }}
      />
    </div>
  );
}
