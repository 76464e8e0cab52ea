import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { Building2, MoreVertical, Pencil, Plus, Power, PowerOff, Phone, Users } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { EmptyState } from "@/components/common/EmptyState";
import { Fab } from "@/components/common/Fab";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { PageHeader } from "@/components/common/PageHeader";
import { Pagination } from "@/components/common/Pagination";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { SearchInput } from "@/components/common/SearchInput";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MitraForm } from "@/features/mitra/MitraForm";
import { mitraListQueryOptions, useActivateMitraMutation, useDeactivateMitraMutation } from "@/features/mitra/queries";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { useIsMobile } from "@/hooks/use-is-mobile";
import type { User } from "@/lib/api-types";
import { formatDateShort, formatPhone } from "@/lib/format";

export const Route = createFileRoute("/_auth/admin/mitra")({
  staticData: { title: "Mitra" },
  component: MitraPage,
});

const PER_PAGE = 20;

function StatusBadge({ active }: { active: boolean }) {
  return active ? (
    <Badge className="bg-accent/15 text-accent border-transparent">Aktif</Badge>
  ) : (
    <Badge variant="secondary">Nonaktif</Badge>
  );
}

function MitraPage() {
  const isMobile = useIsMobile();
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const q = useDebouncedValue(search.trim(), 300);
  const list = useQuery(mitraListQueryOptions({ q: q || undefined, page, perPage: PER_PAGE }));
  const [editing, setEditing] = useState<User | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [toDeactivate, setToDeactivate] = useState<User | null>(null);
  const deactivate = useDeactivateMitraMutation();
  const activate = useActivateMitraMutation();

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };
  const openEdit = (m: User) => {
    setEditing(m);
    setFormOpen(true);
  };
  const onActivate = (m: User) =>
    activate.mutate(m.id, {
      onSuccess: () => toast.success(`${m.name} diaktifkan kembali`),
      onError: (e) => toast.error(e.message),
    });

  const items = list.data?.items ?? [];

  const actions = (m: User) => (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Aksi untuk ${m.name}`}>
          <MoreVertical />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => openEdit(m)}>
          <Pencil /> Edit
        </DropdownMenuItem>
        {m.isActive ? (
          <DropdownMenuItem variant="destructive" onSelect={() => setToDeactivate(m)}>
            <PowerOff /> Nonaktifkan
          </DropdownMenuItem>
        ) : (
          <DropdownMenuItem onSelect={() => onActivate(m)}>
            <Power /> Aktifkan
          </DropdownMenuItem>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );

  return (
    <PullToRefresh onRefresh={() => list.refetch()}>
      <PageHeader
        title="Mitra"
        description="Kelola akun mitra (reseller) dan rekening pembayarannya."
        actions={
          !isMobile && (
            <Button onClick={openCreate}>
              <Plus /> Tambah Mitra
            </Button>
          )
        }
      />
      <SearchInput
        value={search}
        onValueChange={(v) => {
          setSearch(v);
          setPage(1);
        }}
        placeholder="Cari nama, username, atau area…"
        className="mb-4 md:max-w-sm"
        aria-label="Cari mitra"
      />

      {list.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} />
      ) : list.isError ? (
        <Card className="text-destructive px-6 text-sm">{list.error.message}</Card>
      ) : items.length === 0 ? (
        <Card className="py-0">
          <EmptyState
            icon={Building2}
            title={q ? "Mitra tidak ditemukan" : "Belum ada mitra"}
            description={q ? `Tidak ada mitra yang cocok dengan "${q}".` : "Tambahkan mitra agar mereka bisa mengelola pelanggannya sendiri."}
            action={!q && <Button onClick={openCreate}><Plus /> Tambah Mitra</Button>}
          />
        </Card>
      ) : isMobile ? (
        <ul className="space-y-3" data-testid="mitra-list">
          {items.map((m) => (
            <li key={m.id}>
              <Card className="gap-2 p-4" onClick={() => openEdit(m)}>
                <div className="flex items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="truncate font-semibold">{m.name}</p>
                    <p className="text-muted-foreground truncate text-sm">{m.businessName}</p>
                  </div>
                  <div className="flex items-center gap-1" onClick={(e) => e.stopPropagation()}>
                    <StatusBadge active={m.isActive} />
                    {actions(m)}
                  </div>
                </div>
                <div className="text-muted-foreground flex flex-wrap gap-x-4 gap-y-1 text-xs">
                  <span>@{m.username}</span>
                  {m.phone && (
                    <span className="flex items-center gap-1">
                      <Phone className="size-3" /> {formatPhone(m.phone)}
                    </span>
                  )}
                  <span className="flex items-center gap-1">
                    <Users className="size-3" /> {m.customerCount ?? 0} pelanggan
                  </span>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <Card className="py-0">
          <Table data-testid="mitra-table">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">Nama</TableHead>
                <TableHead>Area / Usaha</TableHead>
                <TableHead>Telepon</TableHead>
                <TableHead className="hidden xl:table-cell">Rekening</TableHead>
                <TableHead className="text-right">Pelanggan</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden xl:table-cell">Dibuat</TableHead>
                <TableHead className="w-12" />
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((m) => (
                <TableRow key={m.id}>
                  <TableCell className="pl-4">
                    <p className="max-w-56 truncate font-medium">{m.name}</p>
                    <p className="text-muted-foreground text-xs">@{m.username}</p>
                  </TableCell>
                  <TableCell className="max-w-56 truncate">{m.businessName}</TableCell>
                  <TableCell className="tabular-nums">{formatPhone(m.phone)}</TableCell>
                  <TableCell className="text-muted-foreground hidden xl:table-cell">
                    {m.bankName ? `${m.bankName} · ${m.bankAccount ?? ""}` : "-"}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{m.customerCount ?? 0}</TableCell>
                  <TableCell>
                    <StatusBadge active={m.isActive} />
                  </TableCell>
                  <TableCell className="text-muted-foreground hidden xl:table-cell">{formatDateShort(m.createdAt)}</TableCell>
                  <TableCell>{actions(m)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {list.data && (
        <Pagination page={list.data.page} perPage={list.data.perPage} total={list.data.total} totalCapped={list.data.totalCapped} onPageChange={setPage} />
      )}

      <Fab label="Tambah Mitra" onClick={openCreate} />
      <MitraForm open={formOpen} onOpenChange={setFormOpen} mitra={editing} />
      <ConfirmDialog
        open={!!toDeactivate}
        onOpenChange={(o) => !o && setToDeactivate(null)}
        title="Nonaktifkan mitra?"
        description={
          toDeactivate && (
            <>
              <strong>{toDeactivate.name}</strong> ({toDeactivate.businessName}) tidak akan bisa login lagi. Mitra yang
              masih memiliki pelanggan tidak dapat dinonaktifkan.
            </>
          )
        }
        confirmLabel="Nonaktifkan"
        destructive
        onConfirm={() =>
          deactivate.mutateAsync(toDeactivate!.id).then(
            () => toast.success(`${toDeactivate!.name} dinonaktifkan`),
            (e: Error) => {
              toast.error(e.message);
              throw e;
            },
          )
        }
      />
    </PullToRefresh>
  );
}
