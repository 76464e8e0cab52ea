import { useQuery } from "@tanstack/react-query";
import { useBlocker } from "@tanstack/react-router";
import { Archive, Clock, Globe, Info, Loader2, Palette, ReceiptText, RotateCcw, Save, ShieldCheck } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { FormField } from "@/components/common/FormField";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { PageHeader } from "@/components/common/PageHeader";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { APP_VERSION, FALLBACK_LOGO } from "@/features/branding/queries";
import { ApiError, type FieldErrors } from "@/lib/api";
import { cn } from "@/lib/utils";
import { CertificateStatus } from "./CertificateStatus";
import { ImageUpload } from "./ImageUpload";
import { settingsQueryOptions, useSaveSettingsMutation, type SettingKey, type Settings, type SettingsPatch } from "./queries";
import { ReceiptPreview } from "./ReceiptPreview";
import { RetentionFields } from "./RetentionFields";
import { SendWindowFields } from "./SendWindowFields";

const RECEIPT_TOGGLES: { key: SettingKey; label: string; hint: string }[] = [
  { key: "receipt_logo_enabled", label: "Tampilkan logo", hint: "Logo perusahaan di atas nota" },
  { key: "receipt_show_company_name", label: "Tampilkan nama perusahaan", hint: "Nama aplikasi dan nama usaha mitra" },
  { key: "receipt_show_customer_phone", label: "Tampilkan nomor HP", hint: "Nomor WhatsApp pelanggan; di nota web hanya 4 digit terakhir, setelah lunas" },
  { key: "receipt_show_nik", label: "Tampilkan NIK", hint: "Nomor induk kependudukan; di nota web hanya 4 digit terakhir, setelah lunas" },
  { key: "receipt_show_area", label: "Tampilkan area", hint: "Area / nama usaha mitra" },
  { key: "receipt_show_package", label: "Tampilkan paket", hint: "Nama dan kecepatan paket" },
  { key: "receipt_show_discount", label: "Tampilkan diskon", hint: "Harga paket dan potongan" },
  { key: "receipt_show_payment_method", label: "Tampilkan metode bayar", hint: "Tunai, transfer, QRIS, ..." },
  { key: "receipt_show_paid_by", label: "Tampilkan pencatat", hint: "Siapa yang menandai lunas" },
  {
    key: "receipt_mask_customer_name",
    label: "Samarkan nama pelanggan",
    hint: "Di halaman nota web (siapa pun yang memegang link bisa membukanya) nama tampil seperti “Bu***i Sa***o”. Pesan WhatsApp ke pelanggan tetap memakai nama lengkap.",
  },
];

const SSL_METHODS: { value: string; label: string; hint: string }[] = [
  { value: "none", label: "Tanpa SSL", hint: "Hanya HTTP. Cocok untuk uji coba di jaringan lokal; jangan dipakai di internet." },
  {
    value: "letsencrypt",
    label: "Let's Encrypt",
    hint: "Sertifikat gratis yang diperbarui otomatis. Domain harus mengarah ke IP server ini dan port 80/443 terbuka.",
  },
  {
    value: "manual",
    label: "Sertifikat sendiri",
    hint: "Taruh fullchain.pem dan privkey.pem milik Anda di volume certs (live/<domain>/); nginx memakainya otomatis.",
  },
  {
    value: "cloudflare",
    label: "Cloudflare",
    hint: "SSL ditangani proxy Cloudflare. Arahkan domain lewat Cloudflare (proxy aktif) dan pilih mode SSL Full (strict).",
  },
];

const DEFAULT_SPLASH = "#3b82f6";
const HEX = /^#[0-9a-fA-F]{6}$/;

function Section({ icon: Icon, title, description, children, id }: { icon: typeof Globe; title: string; description: string; children: ReactNode; id: string }) {
  return (
    <Card className="gap-5 p-4 md:p-6" aria-labelledby={`${id}-title`} data-testid={`settings-${id}`}>
      <div className="flex items-start gap-3">
        <span className="bg-primary/10 text-primary flex size-9 shrink-0 items-center justify-center rounded-lg">
          <Icon className="size-5" />
        </span>
        <div>
          <h2 id={`${id}-title`} className="font-semibold">
            {title}
          </h2>
          <p className="text-muted-foreground text-sm">{description}</p>
        </div>
      </div>
      {children}
    </Card>
  );
}

const textareaClass =
  "border-input placeholder:text-muted-foreground dark:bg-input/30 focus-visible:border-ring focus-visible:ring-ring/50 aria-invalid:border-destructive min-h-20 w-full rounded-md border bg-transparent px-3 py-2 text-base shadow-xs outline-none focus-visible:ring-[3px] md:text-sm";

/** `/admin/settings`: branding, domain & SSL, receipt fields (with a live preview), WhatsApp send hours, data retention and the version. */
export function SettingsPage() {
  const q = useQuery(settingsQueryOptions());
  if (q.isPending) return <ListSkeleton rows={4} />;
  if (q.isError) return <Card className="text-destructive px-6 text-sm">{q.error.message}</Card>;
  return <SettingsForm saved={q.data} />;
}

function SettingsForm({ saved }: { saved: Settings }) {
  // Only what the user changed; everything else reads through to the saved settings, so an
  // upload (which the server saves at once) shows without touching the pending edits.
  const [edits, setEdits] = useState<SettingsPatch>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSaveSettingsMutation();

  const value = (k: SettingKey): string => edits[k] ?? saved[k] ?? "";
  const set = (k: SettingKey, v: string) => {
    setEdits((e) => ({ ...e, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: [] } : e));
  };
  const changed = (Object.keys(edits) as SettingKey[]).filter((k) => edits[k] !== (saved[k] ?? ""));
  const dirty = changed.length > 0;

  const blocker = useBlocker({ shouldBlockFn: () => dirty, enableBeforeUnload: () => dirty, withResolver: true });

  const submit = () => {
    const patch = Object.fromEntries(changed.map((k) => [k, edits[k]])) as SettingsPatch;
    save.mutate(patch, {
      onSuccess: () => {
        setEdits({});
        setErrors({});
        toast.success("Pengaturan disimpan");
      },
      onError: (e) => {
        if (e instanceof ApiError) setErrors(e.fieldErrors);
        toast.error(e.message);
      },
    });
  };

  const current = Object.fromEntries((Object.keys(saved) as SettingKey[]).map((k) => [k, value(k)])) as Settings;
  const splashColor = value("splash_bg_color");
  const ssl = SSL_METHODS.find((m) => m.value === value("ssl_method"));
  const err = (k: SettingKey) => (errors[k]?.length ? errors[k] : undefined);

  return (
    <div className="space-y-4">
      <PageHeader title="Pengaturan" description="Tampilan aplikasi, domain, dan isi nota pembayaran untuk semua mitra." />

      <Section id="branding" icon={Palette} title="Branding" description="Nama, logo, layar pembuka dan favicon. Logo langsung tersimpan setelah diunggah.">
        <FormField id="app_name" label="Nama aplikasi" errors={err("app_name")}>
          <Input id="app_name" value={value("app_name")} maxLength={100} onChange={(e) => set("app_name", e.target.value)} aria-invalid={!!err("app_name")} />
        </FormField>
        <div className="grid gap-5 md:grid-cols-2">
          <ImageUpload
            target="logo"
            label="Logo perusahaan"
            hint="Header, halaman login, nota. PNG/JPEG/WebP, maks 2 MB."
            value={value("logo_url")}
            fallback={FALLBACK_LOGO}
            onClear={() => set("logo_url", "")}
          />
          <ImageUpload
            target="favicon"
            label="Favicon"
            hint="Ikon di tab browser. Persegi, minimal 64×64 px."
            value={value("favicon_url")}
            fallback="/favicon.svg"
            onClear={() => set("favicon_url", "")}
          />
          <ImageUpload
            target="splash"
            label="Logo layar pembuka"
            hint="Kosong: memakai logo perusahaan."
            value={value("splash_logo_url")}
            fallback={value("logo_url") || FALLBACK_LOGO}
            previewStyle={{ background: HEX.test(splashColor) ? splashColor : DEFAULT_SPLASH }}
            onClear={() => set("splash_logo_url", "")}
          />
          <FormField id="splash_bg_color" label="Warna latar layar pembuka" errors={err("splash_bg_color")} hint="Kosong: warna utama (biru).">
            <div className="flex items-center gap-2">
              <input
                type="color"
                aria-label="Pilih warna latar"
                value={HEX.test(splashColor) ? splashColor : DEFAULT_SPLASH}
                onChange={(e) => set("splash_bg_color", e.target.value)}
                className="border-input size-9 shrink-0 cursor-pointer rounded-md border bg-transparent p-0.5"
                data-testid="splash-color-picker"
              />
              <Input
                id="splash_bg_color"
                value={splashColor}
                placeholder={DEFAULT_SPLASH}
                maxLength={20}
                onChange={(e) => set("splash_bg_color", e.target.value.trim())}
                className="w-32 font-mono"
                aria-invalid={!!err("splash_bg_color")}
              />
              {splashColor ? (
                <Button type="button" variant="ghost" size="icon" aria-label="Kembalikan warna bawaan" onClick={() => set("splash_bg_color", "")}>
                  <RotateCcw />
                </Button>
              ) : null}
            </div>
          </FormField>
        </div>
        <FormField
          id="meta_description"
          label="Deskripsi meta"
          errors={err("meta_description")}
          hint={`Ringkasan untuk mesin pencari dan pratinjau tautan. ${value("meta_description").length}/160 karakter disarankan.`}
        >
          <textarea
            id="meta_description"
            className={textareaClass}
            rows={2}
            value={value("meta_description")}
            maxLength={500}
            onChange={(e) => set("meta_description", e.target.value)}
            aria-invalid={!!err("meta_description")}
          />
        </FormField>
      </Section>

      <Section id="domain" icon={Globe} title="Domain & SSL" description="Alamat aplikasi dan cara sertifikat HTTPS dipasang.">
        <div className="grid gap-5 md:grid-cols-2">
          <FormField id="domain" label="Domain" errors={err("domain")} hint="Tanpa http://, contoh: tagihan.netanda.id">
            <Input
              id="domain"
              value={value("domain")}
              placeholder="tagihan.netanda.id"
              inputMode="url"
              autoCapitalize="off"
              onChange={(e) => set("domain", e.target.value.trim())}
              aria-invalid={!!err("domain")}
            />
          </FormField>
          <FormField id="ssl_method" label="Metode SSL" errors={err("ssl_method")}>
            <Select value={value("ssl_method") || "none"} onValueChange={(v) => set("ssl_method", v)}>
              <SelectTrigger id="ssl_method" className="w-full" aria-invalid={!!err("ssl_method")}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {SSL_METHODS.map((m) => (
                  <SelectItem key={m.value} value={m.value}>
                    {m.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </FormField>
        </div>
        {ssl ? (
          <p className="bg-muted/60 text-muted-foreground flex gap-2 rounded-lg p-3 text-sm" data-testid="ssl-hint">
            <ShieldCheck className={cn("mt-0.5 size-4 shrink-0", ssl.value === "none" ? "text-warning" : "text-accent")} />
            <span>
              <strong className="text-foreground">{ssl.label}:</strong> {ssl.hint}
            </span>
          </p>
        ) : null}
        <CertificateStatus savedDomain={saved.domain ?? ""} savedMethod={saved.ssl_method ?? ""} />
      </Section>

      <Section id="receipt" icon={ReceiptText} title="Nota pembayaran" description="Pilih data yang tampil di nota web dan pesan WhatsApp. Nama, periode, total dan tanggal bayar selalu tampil. Tagihan yang belum dibayar hanya menampilkan nama, periode, jumlah dan jatuh tempo, tanpa data pembayaran, nomor HP atau NIK.">
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
          <div className="space-y-5">
            <ul className="divide-y rounded-lg border" data-testid="receipt-toggles">
              {RECEIPT_TOGGLES.map((t) => (
                <li key={t.key} className="flex items-center justify-between gap-3 px-3 py-2.5">
                  <Label htmlFor={t.key} className="flex-col items-start gap-0.5 font-normal">
                    <span className="font-medium">{t.label}</span>
                    <span className="text-muted-foreground text-xs">{t.hint}</span>
                  </Label>
                  <Switch
                    id={t.key}
                    checked={value(t.key) === "true"}
                    onCheckedChange={(on) => set(t.key, on ? "true" : "false")}
                    aria-label={t.label}
                  />
                </li>
              ))}
            </ul>
            <FormField id="receipt_footer_text" label="Teks footer nota" errors={err("receipt_footer_text")} hint="Misalnya ucapan terima kasih atau nomor layanan pelanggan.">
              <textarea
                id="receipt_footer_text"
                className={textareaClass}
                rows={3}
                maxLength={500}
                value={value("receipt_footer_text")}
                onChange={(e) => set("receipt_footer_text", e.target.value)}
                aria-invalid={!!err("receipt_footer_text")}
              />
            </FormField>
          </div>
          <div className="lg:sticky lg:top-20 lg:self-start">
            <ReceiptPreview values={current} />
          </div>
        </div>
      </Section>

      <Section id="send-window" icon={Clock} title="Jam kirim WhatsApp" description="Jam bangun: kapan pengingat dan kirim massal boleh dikirim, untuk semua nomor.">
        <SendWindowFields value={value} set={set} err={err} />
      </Section>

      <Section id="retention" icon={Archive} title="Retensi data" description="Berapa hari data lama disimpan sebelum dihapus otomatis.">
        <RetentionFields value={value} set={set} err={err} />
      </Section>

      <Section id="version" icon={Info} title="Versi" description="Diisi otomatis saat deploy; tidak dapat diubah di sini.">
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField id="app_version" label="Versi server">
            <Input id="app_version" value={saved.app_version || "-"} readOnly disabled className="font-mono" />
          </FormField>
          <FormField id="frontend_version" label="Versi aplikasi (browser ini)">
            <Input id="frontend_version" value={APP_VERSION} readOnly disabled className="font-mono" />
          </FormField>
        </div>
      </Section>

      {/* Save bar: sticks above the bottom navigation on a phone, to the bottom edge on desktop. */}
      <div
        className={cn(
          "bg-card/95 sticky bottom-[calc(4.75rem+env(safe-area-inset-bottom))] z-20 flex items-center gap-3 rounded-xl border p-3 shadow-lg backdrop-blur md:bottom-4",
          dirty && "border-primary/40",
        )}
        data-testid="settings-savebar"
      >
        <p className="text-muted-foreground min-w-0 flex-1 text-sm" data-testid="settings-dirty" data-dirty={dirty}>
          {dirty ? `${changed.length} perubahan belum disimpan` : "Semua perubahan tersimpan"}
        </p>
        {dirty ? (
          <Button variant="ghost" onClick={() => (setEdits({}), setErrors({}))} disabled={save.isPending}>
            Batalkan
          </Button>
        ) : null}
        <Button onClick={submit} disabled={!dirty || save.isPending} data-testid="settings-save">
          {save.isPending ? <Loader2 className="animate-spin" /> : <Save />} Simpan
        </Button>
      </div>

      <ConfirmDialog
        open={blocker.status === "blocked"}
        onOpenChange={(open) => !open && blocker.reset?.()}
        title="Tinggalkan halaman?"
        description="Ada perubahan pengaturan yang belum disimpan. Perubahan itu akan hilang."
        confirmLabel="Tinggalkan"
        cancelLabel="Tetap di sini"
        destructive
        onConfirm={() => blocker.proceed?.()}
      />
    </div>
  );
}
