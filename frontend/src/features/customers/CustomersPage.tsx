import { formatTotal } from "@/lib/format";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { ArrowDownUp, FileUp, Plus, Users } from "lucide-react";
import { useEffect, useState } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { Fab } from "@/components/common/Fab";
import { ListSkeleton } from "@/components/common/ListSkeleton";
import { PageHeader } from "@/components/common/PageHeader";
import { Pagination } from "@/components/common/Pagination";
import { PullToRefresh } from "@/components/common/PullToRefresh";
import { SearchInput } from "@/components/common/SearchInput";
import { SelectionBar } from "@/components/common/SelectionBar";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { meQueryOptions } from "@/features/auth/queries";
import { useCustomerActionDialogs } from "@/features/customers/CustomerActionDialogs";
import {
  activeFilterCount,
  CustomerFiltersInline,
  CustomerFiltersSheet,
  SORT_LABELS,
  type CustomerFilterValues,
} from "@/features/customers/CustomerFilters";
import { CustomerForm } from "@/features/customers/CustomerForm";
import { CustomerCards, CustomerTable, type CustomerRowActions } from "@/features/customers/CustomerList";
import { ImportWizard } from "@/features/customers/ImportWizard";
import { customerListQueryOptions } from "@/features/customers/queries";
import type { Customer, CustomerSort } from "@/features/customers/types";
import { BulkRemindCustomersButton, BulkWhatsAppButton } from "@/features/whatsapp/BulkSelectionActions";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { useSelection } from "@/hooks/use-selection";
import { panelState, type CustomerSearch } from "./panel";

const PER_PAGE = 20;
const SORTS = Object.keys(SORT_LABELS) as CustomerSort[];

/**
 * The customer list (`/customers`). On a desktop it stays on screen while a customer's detail opens in the side
 * panel beside it (`panelId`, the customer shown there): the list's filters live in the URL of both routes.
 */
export function CustomersPage({ panelId }: { panelId?: string }) {
  const { data: me } = useSuspenseQuery(meQueryOptions());
  const isSuperadmin = me.role === "superadmin";
  const isMobile = useIsMobile();
  const search: CustomerSearch = useSearch({ from: "/_auth/customers" });
  const navigate = useNavigate({ from: "/customers" });

  const [text, setText] = useState(search.q ?? "");
  const q = useDebouncedValue(text.trim(), 350);
  // "." keeps the open panel: filtering the list does not close the customer beside it.
  const update = (patch: Partial<CustomerSearch>) =>
    navigate({ to: ".", search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });
  // Every filter key explicitly, so a cleared filter leaves the URL too.
  const applyFilters = (f: CustomerFilterValues) =>
    update({ status: f.status, packageId: f.packageId, ownerId: f.ownerId, billingDate: f.billingDate, sort: f.sort });

  // Only the debounced text drives the URL; the URL changing by itself (back button) must not loop.
  useEffect(() => {
    if ((search.q ?? "") !== q) update({ q: q || undefined });
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps

  const sort = search.sort ?? "name";
  const query = {
    q: search.q,
    status: search.status,
    packageId: search.packageId,
    ownerId: isSuperadmin ? search.ownerId : undefined,
    billingDate: search.billingDate,
    sort,
    page: search.page ?? 1,
    perPage: PER_PAGE,
  };
  const list = useQuery(customerListQueryOptions(query));

  // Picks survive paging, not a new search or filter (the bar would count rows no longer shown).
  const selection = useSelection<Customer>();
  const listKeyJson = JSON.stringify({ ...query, page: undefined });
  useEffect(() => selection.clear(), [listKeyJson]); // eslint-disable-line react-hooks/exhaustive-deps

  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<Customer | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const { requestIsolate, requestDelete, dialogs } = useCustomerActionDialogs();

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };
  const actions: CustomerRowActions = {
    canManage: isSuperadmin,
    onEdit: (c) => {
      setEditing(c);
      setFormOpen(true);
    },
    onIsolate: requestIsolate,
    onDelete: requestDelete,
    // On a desktop the detail opens in the side panel, keeping the list's filters in the URL.
    onOpen: (c) =>
      navigate({ to: "/customers/$id", params: { id: c.id }, search: (prev) => prev, state: panelState(isMobile), replace: !!panelId }),
  };

  const filters: CustomerFilterValues = {
    status: search.status,
    packageId: search.packageId,
    ownerId: search.ownerId,
    billingDate: search.billingDate,
    sort: search.sort,
  };
  const filtered = !!search.q || activeFilterCount(filters, isSuperadmin) > 0;
  const items = list.data?.items ?? [];

  return (
    <PullToRefresh onRefresh={() => list.refetch()} disabled={!isMobile}>
      <PageHeader
        title="Pelanggan"
        description={
          list.data
            ? `${formatTotal(list.data.total, list.data.totalCapped)} pelanggan${filtered ? " cocok dengan filter" : ""}${isSuperadmin ? "" : ` · ${me.businessName}`}`
            : "Daftar pelanggan WiFi."
        }
        actions={
          !isMobile ? (
            <>
              {isSuperadmin && (
                <Button variant="outline" onClick={() => setImportOpen(true)}>
                  <FileUp /> Impor CSV/Excel
                </Button>
              )}
              <Button onClick={openCreate}>
                <Plus /> Tambah Pelanggan
              </Button>
            </>
          ) : isSuperadmin ? (
            <Button variant="outline" size="sm" onClick={() => setImportOpen(true)}>
              <FileUp /> Impor CSV/Excel
            </Button>
          ) : null
        }
      />

      <div className="mb-4 flex flex-wrap items-center gap-2">
        <SearchInput
          value={text}
          onValueChange={setText}
          placeholder="Cari nama, telepon, atau NIK…"
          className="min-w-0 flex-1 md:w-52 md:flex-none"
          aria-label="Cari pelanggan"
        />
        {isMobile ? (
          <CustomerFiltersSheet value={filters} onChange={applyFilters} showOwner={isSuperadmin} />
        ) : (
          <>
            <CustomerFiltersInline value={filters} onChange={applyFilters} showOwner={isSuperadmin} />
            <div className="ml-auto" />
            <Select value={sort} onValueChange={(v) => update({ sort: v as CustomerSort })}>
              <SelectTrigger aria-label="Urutkan" className="w-auto">
                <ArrowDownUp className="size-4" />
                <SelectValue />
              </SelectTrigger>
              <SelectContent align="end">
                {SORTS.map((s) => (
                  <SelectItem key={s} value={s}>
                    {SORT_LABELS[s]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </>
        )}
      </div>

      {list.isPending ? (
        <ListSkeleton variant={isMobile ? "cards" : "table"} rows={6} />
      ) : list.isError ? (
        <Card className="text-destructive px-6 text-sm">{list.error.message}</Card>
      ) : items.length === 0 ? (
        <Card className="py-0">
          <EmptyState
            icon={Users}
            title={filtered ? "Pelanggan tidak ditemukan" : "Belum ada pelanggan"}
            description={
              filtered
                ? "Tidak ada pelanggan yang cocok dengan pencarian atau filter ini."
                : "Tambahkan pelanggan pertama Anda" + (isSuperadmin ? " atau impor dari file CSV." : ".")
            }
            action={
              filtered ? (
                <Button
                  variant="outline"
                  onClick={() => {
                    setText("");
                    navigate({ to: ".", search: { sort: search.sort }, replace: true });
                  }}
                >
                  Hapus filter
                </Button>
              ) : (
                <Button onClick={openCreate}>
                  <Plus /> Tambah Pelanggan
                </Button>
              )
            }
          />
        </Card>
      ) : isMobile ? (
        <div className={list.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <CustomerCards items={items} actions={actions} showArea={isSuperadmin} selection={selection} />
        </div>
      ) : (
        <Card className={list.isPlaceholderData ? "py-0 opacity-60 transition-opacity" : "py-0"}>
          <CustomerTable
            items={items}
            actions={actions}
            showArea={isSuperadmin}
            sort={sort}
            onSort={(s) => update({ sort: s })}
            selection={selection}
            activeId={panelId}
            compact={!!panelId}
          />
        </Card>
      )}

      {list.data && (
        <Pagination
          page={list.data.page}
          perPage={list.data.perPage}
          total={list.data.total}
          totalCapped={list.data.totalCapped}
          onPageChange={(p) => navigate({ to: ".", search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) })}
        />
      )}

      <SelectionBar count={selection.size} onClear={selection.clear}>
        <BulkWhatsAppButton customers={selection.items.map((c) => ({ id: c.id, name: c.name, phone: c.phone }))} />
        <BulkRemindCustomersButton customerIds={selection.items.map((c) => c.id)} onDone={selection.clear} />
      </SelectionBar>

      {selection.size === 0 && <Fab label="Tambah Pelanggan" onClick={openCreate} />}
      <CustomerForm open={formOpen} onOpenChange={setFormOpen} customer={editing} me={me} />
      {isSuperadmin && <ImportWizard open={importOpen} onOpenChange={setImportOpen} />}
      {dialogs}
    </PullToRefresh>
  );
}
