import { Loader2 } from "lucide-react";
import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { FormField } from "@/components/common/FormField";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { RupiahInput } from "@/components/common/RupiahInput";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ApiError, type FieldErrors } from "@/lib/api";
import type { Package } from "@/lib/api-types";
import { useSavePackageMutation } from "./queries";

type Values = { name: string; speed: string; price: number | null; description: string };
const empty: Values = { name: "", speed: "", price: null, description: "" };

type Props = { open: boolean; onOpenChange: (o: boolean) => void; pkg: Package | null };

export function PackageForm({ open, onOpenChange, pkg }: Props) {
  const creating = !pkg;
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSavePackageMutation();

  useEffect(() => {
    if (open) {
      setValues(pkg ? { name: pkg.name, speed: pkg.speed, price: pkg.price, description: pkg.description ?? "" } : empty);
      setErrors({});
    }
  }, [open, pkg]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!values.name.trim()) errs.name = ["Nama paket wajib diisi."];
    if (!values.speed.trim()) errs.speed = ["Kecepatan wajib diisi."];
    if (!values.price || values.price <= 0) errs.price = ["Harga harus lebih dari Rp 0."];
    if (Object.keys(errs).length) return setErrors(errs);

    const body = {
      name: values.name.trim(),
      speed: values.speed.trim(),
      price: values.price!,
      description: values.description.trim() || null,
    };
    save.mutate(
      { id: pkg?.id, body },
      {
        onSuccess: (saved) => {
          toast.success(creating ? `Paket ${saved.name} berhasil ditambahkan` : "Perubahan paket disimpan");
          onOpenChange(false);
        },
        onError: (err) => {
          if (err instanceof ApiError) setErrors(err.fieldErrors);
          toast.error(err.message);
        },
      },
    );
  };

  return (
    <ResponsiveDialog
      open={open}
      onOpenChange={onOpenChange}
      title={creating ? "Tambah Paket" : "Edit Paket"}
      description={
        creating
          ? "Paket berlaku untuk semua mitra."
          : "Perubahan harga hanya berlaku untuk tagihan berikutnya; tagihan yang sudah dibuat tidak berubah."
      }
      footer={
        <>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Batal
          </Button>
          <Button type="submit" form="package-form" disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Simpan
          </Button>
        </>
      }
    >
      <form id="package-form" onSubmit={submit} className="grid gap-4 sm:grid-cols-2" noValidate>
        <FormField id="package-name" label="Nama paket" errors={errors.name} className="sm:col-span-2">
          <Input id="package-name" name="name" placeholder="Paket Rumahan" aria-invalid={!!errors.name || undefined} value={values.name} onChange={(e) => set("name", e.target.value)} />
        </FormField>
        <FormField id="package-speed" label="Kecepatan" errors={errors.speed}>
          <Input id="package-speed" name="speed" placeholder="10 Mbps" aria-invalid={!!errors.speed || undefined} value={values.speed} onChange={(e) => set("speed", e.target.value)} />
        </FormField>
        <FormField id="package-price" label="Harga per bulan" errors={errors.price}>
          <RupiahInput id="package-price" name="price" placeholder="150.000" aria-invalid={!!errors.price || undefined} value={values.price} onValueChange={(v) => set("price", v)} />
        </FormField>
        <FormField id="package-description" label="Deskripsi (opsional)" errors={errors.description} className="sm:col-span-2">
          <textarea
            id="package-description"
            name="description"
            rows={3}
            aria-invalid={!!errors.description || undefined}
            value={values.description}
            onChange={(e) => set("description", e.target.value)}
            className="border-input placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 aria-invalid:border-destructive dark:bg-input/30 w-full rounded-md border bg-transparent px-3 py-2 text-base shadow-xs outline-none focus-visible:ring-[3px] md:text-sm"
          />
        </FormField>
      </form>
    </ResponsiveDialog>
  );
}
