import { ShieldCheck } from "lucide-react";
import { FormField } from "@/components/common/FormField";
import { Input } from "@/components/ui/input";
import type { SettingKey } from "./queries";
import { RETENTION_FIELDS, retentionSummary } from "./retention";

type Props = {
  value: (key: SettingKey) => string;
  set: (key: SettingKey, value: string) => void;
  err: (key: SettingKey) => string[] | undefined;
};

/** The "Retensi data" fields: days per kind of record, with what each number means and what is never deleted. */
export function RetentionFields({ value, set, err }: Props) {
  return (
    <>
      <p className="bg-muted/60 text-muted-foreground flex gap-2 rounded-lg p-3 text-sm" data-testid="retention-note">
        <ShieldCheck className="text-accent mt-0.5 size-4 shrink-0" />
        <span>
          <strong className="text-foreground">Tagihan dan pembayaran tidak pernah dihapus,</strong> berapa pun nilai di bawah ini. Data lama dihapus
          otomatis setiap malam pukul 03:00 WIB. Isi 0 untuk menyimpan selamanya.
        </span>
      </p>
      <div className="grid gap-5 md:grid-cols-2">
        {RETENTION_FIELDS.map((f) => {
          const summary = retentionSummary(value(f.key));
          return (
            <FormField
              key={f.key}
              id={f.key}
              label={f.label}
              errors={err(f.key)}
              hint={
                <>
                  {summary ? <span className="text-foreground font-medium">{summary}. </span> : null}
                  {f.hint} Minimal {f.min} hari.
                </>
              }
            >
              <div className="flex items-center gap-2">
                <Input
                  id={f.key}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  step={1}
                  value={value(f.key)}
                  onChange={(e) => set(f.key, e.target.value.trim())}
                  className="w-28"
                  aria-invalid={!!err(f.key)}
                  aria-describedby={err(f.key) ? `${f.key}-error` : undefined}
                />
                <span className="text-muted-foreground text-sm">hari</span>
              </div>
            </FormField>
          );
        })}
      </div>
    </>
  );
}
