import { useQuery } from "@tanstack/react-query";
import { Info, Loader2 } from "lucide-react";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { FormField } from "@/components/common/FormField";
import { ResponsiveDialog } from "@/components/common/ResponsiveDialog";
import { RupiahInput } from "@/components/common/RupiahInput";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { packageListQueryOptions } from "@/features/packages/queries";
import { ApiError, type FieldErrors } from "@/lib/api";
import type { User } from "@/lib/api-types";
import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ownerOptionsQueryOptions, useSaveCustomerMutation } from "./queries";
import { STATUS_LABELS, type Customer, type CustomerCreate, type CustomerUpdate } from "./types";

type Values = {
  ownerId: string;
  packageId: string;
  name: string;
  phone: string;
  nik: string;
  address: string;
  billingDate: string;
  discount: number | null;
  registerDate: string;
  notes: string;
  status: Customer["status"];
};

/** Today in WIB as `YYYY-MM-DD` (the server's default register date). */
function todayWib(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
}

function initialValues(customer: Customer | null, me: User): Values {
  if (!customer) {
    return {
      ownerId: me.id,
      packageId: "",
      name: "",
      phone: "",
      nik: "",
      address: "",
      billingDate: "",
      discount: 0,
      registerDate: todayWib(),
      notes: "",
      status: "active",
    };
  }
  return {
    ownerId: customer.ownerId,
    packageId: customer.packageId,
    name: customer.name,
    phone: customer.phone,
    nik: customer.nik ?? "",
    address: customer.address ?? "",
    billingDate: String(customer.billingDate),
    discount: customer.discount,
    registerDate: customer.registerDate,
    notes: customer.notes ?? "",
    status: customer.status,
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** null = new customer. */
  customer: Customer | null;
  me: User;
  onSaved?: (customer: Customer) => void;
};

/**
 * Add or edit a customer. Superadmin edits every field; a mitra edits only phone and discount of
 * an existing customer (the rest is shown read-only) and the request carries only those two.
 */
export function CustomerForm({ open, onOpenChange, customer, me, onSaved }: Props) {
  const creating = !customer;
  const isSuperadmin = me.role === "superadmin";
  const limited = !creating && !isSuperadmin;
  const [values, setValues] = useState<Values>(() => initialValues(customer, me));
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSaveCustomerMutation();

  const packages = useQuery({ ...packageListQueryOptions({ perPage: 100 }), enabled: open });
  const owners = useQuery({ ...ownerOptionsQueryOptions(), enabled: open && isSuperadmin });

  useEffect(() => {
    if (open) {
      setValues(initialValues(customer, me));
      setErrors({});
    }
  }, [open, customer, me]);

  // Active packages only; an existing customer's current (possibly inactive) package stays selectable.
  const packageOptions = useMemo(() => {
    const active = (packages.data?.items ?? []).filter((p) => p.isActive);
    if (customer && !active.some((p) => p.id === customer.packageId)) {
      return [...active, { ...customer.package, description: null }];
    }
    return active;
  }, [packages.data, customer]);
  const selectedPackage =
    packageOptions.find((p) => p.id === values.packageId) ?? (customer?.packageId === values.packageId ? customer.package : undefined);

  const ownerOptions = useMemo(() => {
    const list = (owners.data ?? []).filter((o) => o.isActive || o.id === customer?.ownerId);
    if (!list.some((o) => o.id === me.id)) list.unshift({ id: me.id, name: me.name, businessName: me.businessName, role: me.role, isActive: true });
    return list.sort((a, b) => (a.id === me.id ? -1 : b.id === me.id ? 1 : a.businessName.localeCompare(b.businessName, "id")));
  }, [owners.data, customer, me]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const price = selectedPackage?.price ?? null;
  const discount = values.discount ?? 0;
  const total = price == null ? null : price - discount;

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (!limited) {
      if (!values.name.trim()) e.name = ["Nama pelanggan wajib diisi."];
      if (!values.packageId) e.packageId = ["Pilih paket internet."];
      const day = Number(values.billingDate);
      if (!Number.isInteger(day) || day < 1 || day > 28) e.billingDate = ["Tanggal tagihan harus antara 1 dan 28."];
      if (values.nik.trim() && !/^\d{1,20}$/.test(values.nik.trim())) e.nik = ["NIK harus berupa angka (maksimal 20 digit)."];
    }
    if (!values.phone.trim()) e.phone = ["Nomor telepon wajib diisi."];
    if (price != null && discount > price) e.discount = [`Diskon tidak boleh melebihi harga paket (${formatRupiah(price)}).`];
    return e;
  };

  const buildUpdate = (): CustomerUpdate => {
    const c = customer!;
    const changes: CustomerUpdate = {};
    if (values.phone.trim() !== c.phone) changes.phone = values.phone.trim();
    if (discount !== c.discount) changes.discount = discount;
    if (limited) return changes; // mitra: phone and discount only, never anything else
    if (values.ownerId !== c.ownerId) changes.ownerId = values.ownerId;
    if (values.packageId !== c.packageId) changes.packageId = values.packageId;
    if (values.name.trim() !== c.name) changes.name = values.name.trim();
    if (orNull(values.nik) !== (c.nik ?? null)) changes.nik = orNull(values.nik);
    if (orNull(values.address) !== (c.address ?? null)) changes.address = orNull(values.address);
    if (Number(values.billingDate) !== c.billingDate) changes.billingDate = Number(values.billingDate);
    if (values.registerDate && values.registerDate !== c.registerDate) changes.registerDate = values.registerDate;
    if (orNull(values.notes) !== (c.notes ?? null)) changes.notes = orNull(values.notes);
    if (values.status !== c.status && values.status !== "isolated") changes.status = values.status;
    return changes;
  };

  const buildCreate = (): CustomerCreate => ({
    ...(isSuperadmin ? { ownerId: values.ownerId } : {}),
    packageId: values.packageId,
    name: values.name.trim(),
    phone: values.phone.trim(),
    nik: orNull(values.nik),
    address: orNull(values.address),
    billingDate: Number(values.billingDate),
    discount,
    ...(values.registerDate ? { registerDate: values.registerDate } : {}),
    notes: orNull(values.notes),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clientErrors = validate();
    if (Object.keys(clientErrors).length) return setErrors(clientErrors);
    let payload: Parameters<typeof save.mutate>[0];
    if (creating) {
      payload = { create: buildCreate() };
    } else {
      const update = buildUpdate();
      if (Object.keys(update).length === 0) {
        toast.info("Tidak ada perubahan.");
        return onOpenChange(false);
      }
      payload = { id: customer.id, update };
    }
    save.mutate(payload, {
      onSuccess: (saved) => {
        toast.success(creating ? `Pelanggan ${saved.name} berhasil ditambahkan` : "Perubahan pelanggan disimpan");
        onOpenChange(false);
        onSaved?.(saved);
      },
      onError: (err) => {
        if (err instanceof ApiError) setErrors(err.fieldErrors);
        toast.error(err.message);
      },
    });
  };

  const field = (key: keyof Values) => ({
    id: `customer-${key}`,
    name: key,
    "aria-invalid": !!errors[key] || undefined,
    "aria-describedby": errors[key] ? `customer-${key}-error` : undefined,
  });
  const locked = limited;

  return (
    <ResponsiveDialog
      open={open}
      onOpenChange={onOpenChange}
      title={creating ? "Tambah Pelanggan" : "Edit Pelanggan"}
      description={creating ? "Data pelanggan WiFi baru." : `${customer.name} · ${customer.area}`}
      className="sm:max-w-2xl"
      footer={
        <>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Batal
          </Button>
          <Button type="submit" form="customer-form" disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Simpan
          </Button>
        </>
      }
    >
      <form id="customer-form" onSubmit={submit} className="grid items-start gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]" noValidate data-testid="customer-form">
        {limited && (
          <p className="bg-primary/10 text-primary flex items-start gap-2 rounded-lg px-3 py-2 text-sm sm:col-span-2" data-testid="mitra-edit-note">
            <Info className="mt-0.5 size-4 shrink-0" />
            Hanya nomor telepon dan diskon yang dapat diubah oleh mitra.
          </p>
        )}

        {isSuperadmin ? (
          <FormField id="customer-ownerId" label="Pemilik / Area" errors={errors.ownerId} className="grid-cols-[minmax(0,1fr)] sm:col-span-2">
            <Select value={values.ownerId} onValueChange={(v) => set("ownerId", v)}>
              <SelectTrigger {...field("ownerId")} className="w-full">
                <SelectValue placeholder="Pilih pemilik" />
              </SelectTrigger>
              <SelectContent>
                {ownerOptions.map((o) => (
                  <SelectItem key={o.id} value={o.id}>
                    {o.businessName} — {o.name}
                    {o.id === me.id ? " (Anda)" : ""}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </FormField>
        ) : !creating ? (
          <FormField id="customer-area" label="Area">
            <Input id="customer-area" value={customer.area} disabled readOnly />
          </FormField>
        ) : null}

        <FormField id="customer-name" label="Nama pelanggan" errors={errors.name} className={cn(!locked && "sm:col-span-2")}>
          <Input {...field("name")} value={values.name} disabled={locked} onChange={(e) => set("name", e.target.value)} autoComplete="off" />
        </FormField>

        <FormField id="customer-phone" label="No. WhatsApp" errors={errors.phone} hint="Contoh 0812-3456-7890 atau 6281234567890.">
          <Input
            {...field("phone")}
            type="tel"
            inputMode="tel"
            placeholder="0812-3456-7890"
            value={values.phone}
            onChange={(e) => set("phone", e.target.value)}
            autoComplete="off"
          />
        </FormField>
        <FormField id="customer-nik" label="NIK (opsional)" errors={errors.nik}>
          <Input {...field("nik")} inputMode="numeric" maxLength={20} value={values.nik} disabled={locked} onChange={(e) => set("nik", e.target.value)} autoComplete="off" />
        </FormField>

        <FormField id="customer-packageId" label="Paket internet" errors={errors.packageId} className="grid-cols-[minmax(0,1fr)]">
          <Select value={values.packageId} onValueChange={(v) => set("packageId", v)} disabled={locked}>
            <SelectTrigger {...field("packageId")} className="w-full">
              <SelectValue placeholder={packages.isPending ? "Memuat paket…" : "Pilih paket"} />
            </SelectTrigger>
            <SelectContent>
              {packageOptions.map((p) => (
                <SelectItem key={p.id} value={p.id} disabled={!p.isActive && p.id !== customer?.packageId}>
                  {p.name} · {formatRupiah(p.price)}
                  {!p.isActive ? " (nonaktif)" : ""}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        <FormField id="customer-billingDate" label="Tanggal tagihan (1–28)" errors={errors.billingDate} hint="Tagihan pra-bayar untuk bulan berikutnya.">
          <Input
            {...field("billingDate")}
            type="number"
            inputMode="numeric"
            min={1}
            max={28}
            value={values.billingDate}
            disabled={locked}
            onChange={(e) => set("billingDate", e.target.value)}
          />
        </FormField>

        <FormField id="customer-discount" label="Diskon" errors={errors.discount}>
          <RupiahInput {...field("discount")} value={values.discount} onValueChange={(v) => set("discount", v)} />
        </FormField>
        <div className="bg-muted/60 flex flex-col justify-center rounded-lg px-3 py-2 sm:mt-5" aria-live="polite" data-testid="total-preview">
          <span className="text-muted-foreground text-xs">
            Total tagihan{price != null ? ` (${formatRupiah(price)} − ${formatRupiah(discount)})` : ""}
          </span>
          <span className={cn("text-lg font-semibold tabular-nums", total != null && total < 0 && "text-destructive")}>
            {total == null ? "-" : formatRupiah(total)}
          </span>
        </div>

        <FormField id="customer-address" label="Alamat (opsional)" errors={errors.address} className="sm:col-span-2">
          <Input {...field("address")} value={values.address} disabled={locked} onChange={(e) => set("address", e.target.value)} />
        </FormField>
        <FormField id="customer-registerDate" label="Tanggal register" errors={errors.registerDate}>
          <Input
            {...field("registerDate")}
            type="date"
            max={todayWib()}
            value={values.registerDate}
            disabled={locked}
            onChange={(e) => set("registerDate", e.target.value)}
          />
        </FormField>
        {isSuperadmin && !creating ? (
          <FormField
            id="customer-status"
            label="Status"
            errors={errors.status}
            hint={values.status === "isolated" ? "Gunakan tombol isolir untuk mengaktifkan kembali." : undefined}
          >
            <Select value={values.status} onValueChange={(v) => set("status", v as Values["status"])} disabled={customer.status === "isolated"}>
              <SelectTrigger {...field("status")} className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="active">{STATUS_LABELS.active}</SelectItem>
                {customer.status === "isolated" && <SelectItem value="isolated">{STATUS_LABELS.isolated}</SelectItem>}
                <SelectItem value="inactive">{STATUS_LABELS.inactive}</SelectItem>
              </SelectContent>
            </Select>
          </FormField>
        ) : (
          <div className="hidden sm:block" />
        )}
        <FormField id="customer-notes" label="Catatan (opsional)" errors={errors.notes} className="sm:col-span-2">
          <textarea
            {...field("notes")}
            rows={2}
            value={values.notes}
            disabled={locked}
            onChange={(e) => set("notes", e.target.value)}
            className="border-input dark:bg-input/30 focus-visible:border-ring focus-visible:ring-ring/50 w-full rounded-md border bg-transparent px-3 py-2 text-base shadow-xs outline-none focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-50 md:text-sm"
          />
        </FormField>
      </form>
    </ResponsiveDialog>
  );
}
