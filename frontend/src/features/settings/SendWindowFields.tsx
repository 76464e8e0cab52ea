import { Moon } from "lucide-react";
import { FormField } from "@/components/common/FormField";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { SettingKey } from "./queries";

type Props = {
  value: (key: SettingKey) => string;
  set: (key: SettingKey, value: string) => void;
  err: (key: SettingKey) => string[] | undefined;
};

const FIELDS: { key: SettingKey; label: string; hint: string }[] = [
  { key: "wa_send_window_start", label: "Mulai kirim", hint: "Bawaan 07:00 WIB." },
  { key: "wa_send_window_end", label: "Berhenti kirim", hint: "Bawaan 21:00 WIB. Minimal 3 jam setelah jam mulai." },
];

/** Every half hour of a day, "00:00" … "23:30" (24-hour WIB clock, whatever the browser's locale). */
const HALF_HOURS = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);

/** The choices for one field: the half hours, plus a stored time that is not on one (set through the API). */
export function timeChoices(current: string): string[] {
  return current && !HALF_HOURS.includes(current) ? [...HALF_HOURS, current].sort() : HALF_HOURS;
}

/** Waking hours for every number: reminders and bulk sends go out only between these WIB times. */
export function SendWindowFields({ value, set, err }: Props) {
  return (
    <>
      <p className="bg-muted/60 text-muted-foreground flex gap-2 rounded-lg p-3 text-sm" data-testid="send-window-note">
        <Moon className="text-primary mt-0.5 size-4 shrink-0" />
        <span>
          <strong className="text-foreground">Pengingat tagihan dan kirim massal hanya dikirim di antara jam ini (WIB)</strong>, agar pelanggan
          tidak terganggu malam hari dan nomor WhatsApp tidak dianggap spam. Pesan di luar jam menunggu jam mulai berikutnya. Jam yang lebih
          pendek membuat pengingat dimulai lebih awal (H-2 atau sebelumnya) supaya tetap sampai sebelum jatuh tempo. Nota pembayaran dan pesan
          manual tetap langsung dikirim.
        </span>
      </p>
      <div className="grid gap-5 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <FormField key={f.key} id={f.key} label={f.label} errors={err(f.key)} hint={f.hint}>
            <div className="flex items-center gap-2">
              <Select value={value(f.key)} onValueChange={(v) => set(f.key, v)}>
                <SelectTrigger
                  id={f.key}
                  className="w-32 font-mono tabular-nums"
                  aria-invalid={!!err(f.key)}
                  aria-describedby={err(f.key) ? `${f.key}-error` : undefined}
                >
                  <SelectValue placeholder="--:--" />
                </SelectTrigger>
                <SelectContent className="max-h-72">
                  {timeChoices(value(f.key)).map((t) => (
                    <SelectItem key={t} value={t}>
                      {t}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <span className="text-muted-foreground text-sm">WIB</span>
            </div>
          </FormField>
        ))}
      </div>
    </>
  );
}
