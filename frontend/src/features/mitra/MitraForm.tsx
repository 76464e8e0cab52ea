import { Loader2 } from "lucide-react";
import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { FormField } from "@/components/common/FormField";
import { PasswordInput } from "@/components/common/PasswordInput";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { ApiError, type FieldErrors } from "@/lib/api";
import type { User, UserCreate, UserUpdate } from "@/lib/api-types";
import { useSaveMitraMutation } from "./queries";

type Values = {
  username: string;
  password: string;
  name: string;
  phone: string;
  businessName: string;
  bankName: string;
  bankAccount: string;
  bankHolder: string;
  isActive: boolean;
};

const empty: Values = {
  username: "",
  password: "",
  name: "",
  phone: "",
  businessName: "",
  bankName: "",
  bankAccount: "",
  bankHolder: "",
  isActive: true,
};

function fromUser(u: User): Values {
  return {
    username: u.username,
    password: "",
    name: u.name,
    phone: u.phone ?? "",
    businessName: u.businessName,
    bankName: u.bankName ?? "",
    bankAccount: u.bankAccount ?? "",
    bankHolder: u.bankHolder ?? "",
    isActive: u.isActive,
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

function validate(v: Values, creating: boolean): FieldErrors {
  const e: FieldErrors = {};
  if (creating && v.username.trim().length < 3) e.username = ["Username minimal 3 karakter."];
  if (creating && !v.password) e.password = ["Password wajib diisi."];
  if (!v.name.trim()) e.name = ["Nama wajib diisi."];
  if (v.businessName.trim().length < 2) e.businessName = ["Nama usaha (area) wajib diisi."];
  return e;
}

type Props = { open: boolean; onOpenChange: (o: boolean) => void; mitra: User | null };

/** Create or edit a mitra account. On edit the password field is an optional reset. */
export function MitraForm({ open, onOpenChange, mitra }: Props) {
  const creating = !mitra;
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSaveMitraMutation();

  useEffect(() => {
    if (open) {
      setValues(mitra ? fromUser(mitra) : empty);
      setErrors({});
    }
  }, [open, mitra]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clientErrors = validate(values, creating);
    if (Object.keys(clientErrors).length) return setErrors(clientErrors);

    const common = {
      name: values.name.trim(),
      phone: orNull(values.phone),
      businessName: values.businessName.trim(),
      bankName: orNull(values.bankName),
      bankAccount: orNull(values.bankAccount),
      bankHolder: orNull(values.bankHolder),
    };
    const payload = creating
      ? { create: { ...common, username: values.username.trim(), password: values.password } satisfies UserCreate }
      : {
          id: mitra!.id,
          update: {
            ...common,
            isActive: values.isActive,
            ...(values.password ? { password: values.password } : {}),
          } satisfies UserUpdate,
        };

    save.mutate(payload, {
      onSuccess: (saved) => {
        toast.success(creating ? `Mitra ${saved.name} berhasil ditambahkan` : "Perubahan mitra disimpan");
        onOpenChange(false);
      },
      onError: (err) => {
        if (err instanceof ApiError) setErrors(err.fieldErrors);
        toast.error(err.message);
      },
    });
  };

  const field = (key: keyof Values) => ({
    id: `mitra-${key}`,
    name: key,
    "aria-invalid": !!errors[key] || undefined,
  });

  return (
    <ResponsiveDialog
      open={open}
      onOpenChange={onOpenChange}
      title={creating ? "Tambah Mitra" : `Edit Mitra`}
      description={creating ? "Buat akun login untuk mitra baru." : mitra?.businessName}
      footer={
        <>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Batal
          </Button>
          <Button type="submit" form="mitra-form" disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Simpan
          </Button>
        </>
      }
    >
      <form id="mitra-form" onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
        <FormField id="mitra-username" label="Username" errors={errors.username} hint={creating ? "Huruf, angka, titik, garis bawah." : "Username tidak dapat diubah."}>
          <Input {...field("username")} autoComplete="off" autoCapitalize="none" disabled={!creating} value={values.username} onChange={(e) => set("username", e.target.value)} />
        </FormField>
        <FormField id="mitra-password" label={creating ? "Password" : "Reset password"} errors={errors.password} hint={creating ? undefined : "Kosongkan jika tidak diubah."}>
          <PasswordInput {...field("password")} autoComplete="new-password" value={values.password} onChange={(e) => set("password", e.target.value)} />
        </FormField>
        <FormField id="mitra-name" label="Nama" errors={errors.name}>
          <Input {...field("name")} value={values.name} onChange={(e) => set("name", e.target.value)} />
        </FormField>
        <FormField id="mitra-phone" label="No. WhatsApp" errors={errors.phone}>
          <Input {...field("phone")} type="tel" inputMode="tel" placeholder="0812-3456-7890" value={values.phone} onChange={(e) => set("phone", e.target.value)} />
        </FormField>
        <FormField id="mitra-businessName" label="Nama usaha / area" errors={errors.businessName} className="sm:col-span-2">
          <Input {...field("businessName")} value={values.businessName} onChange={(e) => set("businessName", e.target.value)} />
        </FormField>
        <FormField id="mitra-bankName" label="Nama bank" errors={errors.bankName}>
          <Input {...field("bankName")} placeholder="BCA, BRI, …" value={values.bankName} onChange={(e) => set("bankName", e.target.value)} />
        </FormField>
        <FormField id="mitra-bankAccount" label="No. rekening" errors={errors.bankAccount}>
          <Input {...field("bankAccount")} inputMode="numeric" value={values.bankAccount} onChange={(e) => set("bankAccount", e.target.value)} />
        </FormField>
        <FormField id="mitra-bankHolder" label="Atas nama rekening" errors={errors.bankHolder} className="sm:col-span-2">
          <Input {...field("bankHolder")} value={values.bankHolder} onChange={(e) => set("bankHolder", e.target.value)} />
        </FormField>
        {!creating && (
          <div className="flex items-center justify-between gap-3 rounded-lg border p-3 sm:col-span-2">
            <div>
              <Label htmlFor="mitra-isActive">Akun aktif</Label>
              <p className="text-muted-foreground mt-1 text-xs">Mitra nonaktif tidak dapat login.</p>
            </div>
            <Switch id="mitra-isActive" checked={values.isActive} onCheckedChange={(v) => set("isActive", v)} />
          </div>
        )}
      </form>
    </ResponsiveDialog>
  );
}
