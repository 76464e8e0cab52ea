import { useQuery } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { Gauge, Package as PackageIcon, Pencil, Plus, Power, PowerOff, Users } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/common/ConfirmDialog";
import { EmptyState } from "@/components/common/EmptyState";
import { Fab } from "@/components/common/Fab";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { PageHeader } from "@/components/common/PageHeader";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PackageForm } from "@/features/packages/PackageForm";
import { packageListQueryOptions, useSetPackageActiveMutation } from "@/features/packages/queries";
import { useIsMobile } from "@/hooks/use-is-mobile";
import type { Package } from "@/lib/api-types";
import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";

export const Route = createFileRoute("/_auth/admin/packages")({
  staticData: { title: "Paket Internet" },
  component: PackagesPage,
});

function PackagesPage() {
  const isMobile = useIsMobile();
  const list = useQuery(packageListQueryOptions({ includeInactive: true, perPage: 100 }));
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<Package | null>(null);
  const [toggling, setToggling] = useState<Package | null>(null);
  const setActive = useSetPackageActiveMutation();

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };
  const openEdit = (p: Package) => {
    setEditing(p);
    setFormOpen(true);
  };

  // Active first, then by price, so the list reads like a price list.
  const items = [...(list.data?.items ?? [])].sort(
    (a, b) => Number(b.isActive) - Number(a.isActive) || a.price - b.price,
  );

  const toggleButton = (p: Package) =>
    p.isActive ? (
      <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive" onClick={() => setToggling(p)}>
        <PowerOff /> Nonaktifkan
      </Button>
    ) : (
      <Button variant="ghost" size="sm" className="text-accent hover:text-accent" onClick={() => setToggling(p)}>
        <Power /> Aktifkan
      </Button>
    );

  return (
    <PullToRefresh onRefresh={() => list.refetch()}>
      <PageHeader
        title="Paket Internet"
        description="Paket berlaku global untuk pelanggan semua mitra."
        actions={
          !isMobile && (
            <Button onClick={openCreate}>
              <Plus /> Tambah Paket
            </Button>
          )
        }
      />

      {list.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={4} />
      ) : list.isError ? (
        <Card className="text-destructive px-6 text-sm">{list.error.message}</Card>
      ) : items.length === 0 ? (
        <Card className="py-0">
          <EmptyState
            icon={PackageIcon}
            title="Belum ada paket"
            description="Buat paket internet pertama, misalnya 10 Mbps seharga Rp 150.000."
            action={<Button onClick={openCreate}><Plus /> Tambah Paket</Button>}
          />
        </Card>
      ) : isMobile ? (
        <ul className="space-y-3" data-testid="package-list">
          {items.map((p) => (
            <li key={p.id}>
              <Card className={cn("gap-3 p-4", !p.isActive && "opacity-70")}>
                <div className="flex items-start justify-between gap-2" onClick={() => openEdit(p)}>
                  <div className="min-w-0">
                    <p className="flex min-w-0 items-center gap-2 font-semibold">
                      <span className="truncate">{p.name}</span>
                      {!p.isActive && <Badge variant="secondary">Nonaktif</Badge>}
                    </p>
                    <p className="text-muted-foreground mt-1 flex items-center gap-3 text-xs">
                      <span className="flex items-center gap-1"><Gauge className="size-3" /> {p.speed}</span>
                      <span className="flex items-center gap-1"><Users className="size-3" /> {p.customerCount ?? 0} pelanggan</span>
                    </p>
                  </div>
                  <p className="text-primary shrink-0 font-semibold tabular-nums">{formatRupiah(p.price)}</p>
                </div>
                {p.description && <p className="text-muted-foreground line-clamp-2 text-sm">{p.description}</p>}
                <div className="-mb-1 flex justify-end gap-1 border-t pt-2">
                  <Button variant="ghost" size="sm" onClick={() => openEdit(p)}>
                    <Pencil /> Edit
                  </Button>
                  {toggleButton(p)}
                </div>
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <Card className="py-0">
          <Table data-testid="package-table">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">Nama</TableHead>
                <TableHead>Kecepatan</TableHead>
                <TableHead className="text-right">Harga / bulan</TableHead>
                <TableHead>Deskripsi</TableHead>
                <TableHead className="text-right">Pelanggan</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right pr-4">Aksi</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((p) => (
                <TableRow key={p.id} className={cn(!p.isActive && "text-muted-foreground")}>
                  <TableCell className="pl-4 font-medium">{p.name}</TableCell>
                  <TableCell>{p.speed}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatRupiah(p.price)}</TableCell>
                  <TableCell className="text-muted-foreground max-w-72 truncate">{p.description || "-"}</TableCell>
                  <TableCell className="text-right tabular-nums">{p.customerCount ?? 0}</TableCell>
                  <TableCell>
                    {p.isActive ? (
                      <Badge className="bg-accent/15 text-accent border-transparent">Aktif</Badge>
                    ) : (
                      <Badge variant="secondary">Nonaktif</Badge>
                    )}
                  </TableCell>
                  <TableCell className="pr-4 text-right">
                    <Button variant="ghost" size="sm" onClick={() => openEdit(p)}>
                      <Pencil /> Edit
                    </Button>
                    {toggleButton(p)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      <Fab label="Tambah Paket" onClick={openCreate} />
      <PackageForm open={formOpen} onOpenChange={setFormOpen} pkg={editing} />
      <ConfirmDialog
        open={!!toggling}
        onOpenChange={(o) => !o && setToggling(null)}
        title={toggling?.isActive ? "Nonaktifkan paket?" : "Aktifkan paket?"}
        description={
          toggling &&
          (toggling.isActive ? (
            <>
              Paket <strong>{toggling.name}</strong> tidak bisa dipilih untuk pelanggan baru. Pelanggan yang sudah
              memakainya tetap berjalan.
            </>
          ) : (
            <>
              Paket <strong>{toggling.name}</strong> bisa dipilih lagi untuk pelanggan.
            </>
          ))
        }
        confirmLabel={toggling?.isActive ? "Nonaktifkan" : "Aktifkan"}
        destructive={!!toggling?.isActive}
        onConfirm={() =>
          setActive.mutateAsync({ id: toggling!.id, active: !toggling!.isActive }).then(
            () => toast.success(toggling!.isActive ? `Paket ${toggling!.name} dinonaktifkan` : `Paket ${toggling!.name} diaktifkan`),
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
