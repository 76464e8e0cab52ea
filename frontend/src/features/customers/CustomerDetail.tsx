import { useQuery } from "@tanstack/react-query";
import { Link, useRouter } from "@tanstack/react-router";
import {
  ArrowLeft,
  Ban,
  CalendarDays,
  Pencil,
  Phone,
  Power,
  Receipt,
  Trash2,
  UserRoundX,
} from "lucide-react";
import { useState, type ReactNode } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { SendMessageDialog } from "@/features/whatsapp/SendMessageDialog";
import { ApiError } from "@/lib/api";
import type { User } from "@/lib/api-types";
import { formatDate, formatDateShort, formatDateTime, formatRupiah } from "@/lib/format";
import { useCustomerActionDialogs } from "./CustomerActionDialogs";
import { CustomerForm } from "./CustomerForm";
import { formatPeriod, formatPhone } from "./format";
import { CustomerStatusBadge } from "./CustomerStatusBadge";
import { CustomerWaHistory } from "./CustomerWaHistory";
import { customerInvoicesQueryOptions, customerQueryOptions } from "./queries";
import type { Customer, CustomerInvoice } from "./types";

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className="mt-0.5 text-sm font-medium break-words" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function BackLink() {
  const router = useRouter();
  return (
    <Button
      variant="ghost"
      size="sm"
      className="-ml-2 mb-2"
      onClick={() => (window.history.length > 1 ? router.history.back() : router.navigate({ to: "/customers" }))}
    >
      <ArrowLeft /> Pelanggan
    </Button>
  );
}

const INVOICE_STATUS: Record<string, { label: string; className: string }> = {
  paid: { label: "Lunas", className: "bg-accent/15 text-accent dark:text-green-400" },
  unpaid: { label: "Belum bayar", className: "bg-warning/15 text-amber-700 dark:text-amber-400" },
  partial: { label: "Sebagian", className: "bg-primary/15 text-primary" },
  overdue: { label: "Terlambat", className: "bg-destructive/15 text-destructive" },
};

function InvoiceHistory({ customerId }: { customerId: string }) {
  const invoices = useQuery(customerInvoicesQueryOptions(customerId));
  if (invoices.isPending) {
    return (
      <div className="space-y-2">
        <Skeleton className="h-12 w-full" />
        <Skeleton className="h-12 w-full" />
      </div>
    );
  }
  if (invoices.isError) {
    return <p className="text-muted-foreground py-6 text-center text-sm">Riwayat tagihan belum dapat dimuat: {invoices.error.message}</p>;
  }
  const items: CustomerInvoice[] = invoices.data;
  if (items.length === 0) {
    return (
      <EmptyState
        icon={Receipt}
        title="Belum ada tagihan"
        description="Tagihan pra-bayar dibuat otomatis H-1 sebelum tanggal tagihan."
        className="py-8"
      />
    );
  }
  return (
    <ul className="divide-y" data-testid="invoice-history">
      {items.map((inv) => {
        const status = INVOICE_STATUS[inv.status] ?? { label: inv.status, className: "bg-muted" };
        return (
          <li key={inv.id} className="flex items-center justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="font-medium">Periode {formatPeriod(inv.period)}</p>
              <p className="text-muted-foreground text-xs">Jatuh tempo {formatDateShort(inv.dueDate)}</p>
            </div>
            <div className="text-right">
              <p className="font-semibold tabular-nums">{formatRupiah(inv.totalAmount)}</p>
              <Badge className={`border-transparent ${status.className}`}>{status.label}</Badge>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function DetailSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Memuat data">
      <Skeleton className="h-8 w-1/2" />
      <Skeleton className="h-40 w-full" />
      <Skeleton className="h-32 w-full" />
    </div>
  );
}

/** `/customers/$id`: every field, the role's actions, invoice history and WhatsApp status. */
export function CustomerDetail({ id, me }: { id: string; me: User }) {
  const router = useRouter();
  const customer = useQuery(customerQueryOptions(id));
  const [editOpen, setEditOpen] = useState(false);
  const [waOpen, setWaOpen] = useState(false);
  const isSuperadmin = me.role === "superadmin";
  const { requestIsolate, requestDelete, dialogs } = useCustomerActionDialogs({
    onDeleted: () => router.navigate({ to: "/customers", replace: true }),
  });

  if (customer.isPending) return <DetailSkeleton />;
  if (customer.isError) {
    const notFound = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <>
        <BackLink />
        <Card className="py-0">
          <EmptyState
            icon={UserRoundX}
            title={notFound ? "Pelanggan tidak ditemukan" : "Gagal memuat pelanggan"}
            description={notFound ? "Pelanggan ini tidak ada atau bukan milik Anda." : customer.error.message}
            action={
              <Button asChild variant="outline">
                <Link to="/customers">Kembali ke daftar</Link>
              </Button>
            }
          />
        </Card>
      </>
    );
  }

  const c: Customer = customer.data;
  return (
    <div className="mx-auto max-w-4xl" data-testid="customer-detail">
      <BackLink />
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="truncate text-xl font-semibold tracking-tight md:text-2xl" data-testid="customer-name">
              {c.name}
            </h1>
            <CustomerStatusBadge status={c.status} />
          </div>
          <p className="text-muted-foreground mt-1 text-sm">
            {c.area} · {c.package.name}
          </p>
        </div>
        <div className="flex w-full gap-2 sm:w-auto [&>button]:flex-1 sm:[&>button]:flex-none">
          <Button onClick={() => setEditOpen(true)} data-testid="customer-edit">
            <Pencil /> Edit
          </Button>
          {isSuperadmin && c.status !== "inactive" && (
            <Button variant="outline" onClick={() => requestIsolate(c)} data-testid="customer-isolate">
              {c.status === "isolated" ? <Power /> : <Ban />}
              {c.status === "isolated" ? "Aktifkan" : "Isolir"}
            </Button>
          )}
          {isSuperadmin && (
            <Button variant="outline" className="text-destructive hover:text-destructive" onClick={() => requestDelete(c)}>
              <Trash2 /> Hapus
            </Button>
          )}
        </div>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <Card className="gap-3 md:col-span-2">
          <CardHeader>
            <CardTitle>Data pelanggan</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-4">
              <Field label="No. WhatsApp">
                <a href={`tel:+${c.phone}`} className="text-primary inline-flex items-center gap-1 tabular-nums hover:underline">
                  <Phone className="size-3.5" /> {formatPhone(c.phone)}
                </a>
              </Field>
              <Field label="Area">{c.area}</Field>
              <Field label="NIK">{c.nik || "-"}</Field>
              <Field label="Tanggal register">{formatDate(c.registerDate)}</Field>
              <div className="col-span-2">
                <Field label="Alamat">{c.address || "-"}</Field>
              </div>
              {c.notes ? (
                <div className="col-span-2">
                  <Field label="Catatan">{c.notes}</Field>
                </div>
              ) : null}
              <Field label="Ditambahkan">{formatDateTime(c.createdAt)}</Field>
              <Field label="Terakhir diubah">{formatDateTime(c.updatedAt)}</Field>
            </dl>
          </CardContent>
        </Card>

        <Card className="gap-3">
          <CardHeader>
            <CardTitle>Tagihan bulanan</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <div>
              <p className="text-muted-foreground text-xs">Total tagihan</p>
              <p className="text-2xl font-semibold tabular-nums" data-testid="customer-total">
                {formatRupiah(c.totalBill)}
              </p>
            </div>
            <dl className="grid gap-2 text-sm">
              <div className="flex justify-between gap-2">
                <dt className="text-muted-foreground min-w-0">
                  {c.package.name}
                  {c.package.speed ? <span className="block text-xs">{c.package.speed}</span> : null}
                </dt>
                <dd className="shrink-0 tabular-nums">{formatRupiah(c.package.price)}</dd>
              </div>
              <div className="flex justify-between gap-2">
                <dt className="text-muted-foreground">Diskon</dt>
                <dd className="shrink-0 tabular-nums" data-testid="customer-discount">
                  {c.discount > 0 ? `− ${formatRupiah(c.discount)}` : formatRupiah(0)}
                </dd>
              </div>
              <div className="flex items-center justify-between gap-2 border-t pt-2">
                <dt className="text-muted-foreground flex items-center gap-1">
                  <CalendarDays className="size-3.5" /> Tagihan
                </dt>
                <dd className="shrink-0">Tgl {c.billingDate} tiap bulan</dd>
              </div>
            </dl>
            {!c.package.isActive && (
              <p className="text-muted-foreground text-xs">Paket ini sudah tidak dijual lagi; pelanggan tetap memakainya.</p>
            )}
          </CardContent>
        </Card>

        <Card className="gap-2 md:col-span-2">
          <CardHeader>
            <CardTitle>Riwayat Tagihan</CardTitle>
          </CardHeader>
          <CardContent>
            <InvoiceHistory customerId={c.id} />
          </CardContent>
        </Card>

        <CustomerWaHistory customerId={c.id} onSend={() => setWaOpen(true)} />
      </div>

      <CustomerForm open={editOpen} onOpenChange={setEditOpen} customer={c} me={me} />
      <SendMessageDialog customer={{ id: c.id, name: c.name, phone: c.phone }} open={waOpen} onOpenChange={setWaOpen} />
      {dialogs}
    </div>
  );
}
