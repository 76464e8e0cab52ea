import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { ArrowLeft, Loader2, ReceiptText, Search, UserRound, X } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { CustomerStatusBadge } from "@/features/customers/CustomerStatusBadge";
import { InvoiceStatusBadge } from "@/features/invoices/InvoiceStatusBadge";
import { formatPeriod } from "@/features/invoices/period";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { formatDateShort, formatPhone, formatRupiah, formatTotal } from "@/lib/format";
import { cn } from "@/lib/utils";
import { MIN_QUERY, searchQueryOptions, type SearchResults } from "./queries";

const DEBOUNCE_MS = 250;

type Option =
  | {
      kind: "customer";
      id: string;
      label: string;
      detail: string;
      customer: SearchResults["customers"]["items"][number];
    }
  | {
      kind: "invoice";
      id: string;
      label: string;
      detail: string;
      invoice: SearchResults["invoices"]["items"][number];
    };

/** The results in the order the arrow keys walk them: customers, then invoices. */
export function searchOptions(results: SearchResults | undefined): Option[] {
  if (!results) return [];
  return [
    ...results.customers.items.map((c): Option => ({
      kind: "customer",
      id: c.id,
      label: c.name,
      detail: `${formatPhone(c.phone)} · ${c.area}`,
      customer: c,
    })),
    ...results.invoices.items.map((i): Option => ({
      kind: "invoice",
      id: i.id,
      label: i.customer.name,
      detail: `${formatPeriod(i.period)} · jatuh tempo ${formatDateShort(i.dueDate)}`,
      invoice: i,
    })),
  ];
}

/** Type, wait a beat, see customers and invoices; ↑/↓ walk them, Enter opens, Esc closes. */
function useHeaderSearch(onDone: () => void) {
  const [term, setTerm] = useState("");
  const [active, setActive] = useState(0);
  const debounced = useDebouncedValue(term.trim(), DEBOUNCE_MS);
  const ready = debounced.length >= MIN_QUERY;
  const query = useQuery(searchQueryOptions(debounced));
  const results = ready ? query.data : undefined;
  const options = useMemo(() => searchOptions(results), [results]);
  const navigate = useNavigate();

  useEffect(() => setActive(0), [debounced]);

  const open = (option: Option) => {
    if (option.kind === "customer") {
      void navigate({ to: "/customers/$id", params: { id: option.id } });
    } else {
      const inv = option.invoice;
      void navigate({
        to: "/invoices",
        search: { q: inv.customer.name, month: inv.dueDate.slice(0, 7) },
      });
    }
    setTerm("");
    onDone();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && options.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % options.length);
    } else if (e.key === "ArrowUp" && options.length) {
      e.preventDefault();
      setActive((a) => (a - 1 + options.length) % options.length);
    } else if (e.key === "Enter" && options[active]) {
      e.preventDefault();
      open(options[active]);
    } else if (e.key === "Escape") {
      setTerm("");
      onDone();
    }
  };

  return {
    term,
    setTerm,
    active,
    setActive,
    options,
    results,
    ready,
    waiting: term.trim().length >= MIN_QUERY && (term.trim() !== debounced || query.isFetching),
    error: ready && query.isError ? query.error.message : null,
    open,
    onKeyDown,
  };
}

type State = ReturnType<typeof useHeaderSearch>;

function SearchField({
  state,
  listId,
  inputRef,
  className,
}: {
  state: State;
  listId: string;
  inputRef?: React.Ref<HTMLInputElement>;
  className?: string;
}) {
  const expanded = state.term.trim().length >= MIN_QUERY;
  return (
    <div className={cn("relative", className)}>
      <Search className="text-muted-foreground pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2" />
      <input
        ref={inputRef}
        // Not type=search: the page's own list search stays the page's only search box.
        type="text"
        inputMode="search"
        enterKeyHint="search"
        autoComplete="off"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && state.options[state.active] ? `${listId}-${state.active}` : undefined}
        aria-label="Cari pelanggan atau tagihan"
        placeholder="Cari pelanggan atau tagihan…"
        value={state.term}
        onChange={(e) => state.setTerm(e.target.value)}
        onKeyDown={state.onKeyDown}
        data-testid="header-search-input"
        className="border-input bg-background placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 dark:bg-input/30 h-9 w-full rounded-md border pr-9 pl-9 text-base shadow-xs outline-none focus-visible:ring-[3px] md:text-sm"
      />
      {state.waiting ? (
        <Loader2 className="text-muted-foreground absolute top-1/2 right-3 size-4 -translate-y-1/2 animate-spin" />
      ) : state.term ? (
        <button
          type="button"
          aria-label="Hapus pencarian"
          onClick={() => state.setTerm("")}
          className="text-muted-foreground hover:text-foreground absolute inset-y-0 right-0 flex w-9 items-center justify-center"
        >
          <X className="size-4" />
        </button>
      ) : null}
    </div>
  );
}

function Results({ state, listId }: { state: State; listId: string }) {
  const { term, results, options, active } = state;
  if (term.trim().length < MIN_QUERY) {
    return <p className="text-muted-foreground px-4 py-6 text-center text-sm">Ketik minimal {MIN_QUERY} huruf nama atau nomor HP.</p>;
  }
  if (state.error) {
    return (
      <p role="alert" className="text-destructive px-4 py-6 text-center text-sm">
        {state.error}
      </p>
    );
  }
  if (!results) {
    return <p className="text-muted-foreground px-4 py-6 text-center text-sm">Mencari…</p>;
  }
  if (options.length === 0) {
    return (
      <p className="text-muted-foreground px-4 py-6 text-center text-sm" data-testid="header-search-empty">
        Tidak ada pelanggan atau tagihan untuk “{results.q}”.
      </p>
    );
  }
  const customers = options.filter((o) => o.kind === "customer");
  const invoices = options.filter((o) => o.kind === "invoice");
  const group = (title: string, list: Option[], total: number, capped: boolean | undefined, offset: number) =>
    list.length ? (
      <div role="group" aria-label={title}>
        <p className="text-muted-foreground px-4 pt-3 pb-1 text-xs font-semibold tracking-wide uppercase">
          {title}
          {total > list.length || capped ? (
            <span className="font-normal normal-case">
              {" "}
              · {list.length} dari {formatTotal(total, capped)}
            </span>
          ) : null}
        </p>
        {list.map((option, i) => {
          const index = offset + i;
          const Icon = option.kind === "customer" ? UserRound : ReceiptText;
          return (
            <div
              key={`${option.kind}-${option.id}`}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              data-testid="header-search-option"
              data-kind={option.kind}
              onMouseEnter={() => state.setActive(index)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => state.open(option)}
              className={cn("flex cursor-pointer items-center gap-3 px-4 py-2", index === active && "bg-muted")}
            >
              <Icon className="text-muted-foreground size-4 shrink-0" />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium">{option.label}</span>
                <span className="text-muted-foreground block truncate text-xs">{option.detail}</span>
              </span>
              {option.kind === "customer" ? (
                <CustomerStatusBadge status={option.customer.status} />
              ) : (
                <span className="flex shrink-0 flex-col items-end gap-0.5">
                  <span className="text-xs font-semibold whitespace-nowrap tabular-nums">{formatRupiah(option.invoice.totalAmount)}</span>
                  <InvoiceStatusBadge status={option.invoice.status} />
                </span>
              )}
            </div>
          );
        })}
      </div>
    ) : null;
  return (
    <div id={listId} role="listbox" aria-label="Hasil pencarian" className="pb-2">
      {group("Pelanggan", customers, results.customers.total, results.customers.totalCapped, 0)}
      {group("Tagihan", invoices, results.invoices.total, results.invoices.totalCapped, customers.length)}
    </div>
  );
}

/** Desktop: an input in the header with the results dropping down below it. */
export function HeaderSearch({ className }: { className?: string }) {
  const [focused, setFocused] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const state = useHeaderSearch(() => inputRef.current?.blur());
  const listId = useId();
  return (
    <div
      className={cn("relative w-full max-w-sm", className)}
      onFocus={() => setFocused(true)}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setFocused(false)}
      data-testid="header-search"
    >
      <SearchField state={state} listId={listId} inputRef={inputRef} />
      {focused && state.term ? (
        <div className="bg-popover text-popover-foreground absolute top-full right-0 left-0 z-50 mt-1 max-h-[70vh] overflow-y-auto rounded-lg border shadow-lg">
          <Results state={state} listId={listId} />
        </div>
      ) : null}
    </div>
  );
}

/** Phone: a search icon in the compact header opening a full-screen search. */
export function MobileSearchButton() {
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const state = useHeaderSearch(() => setOpen(false));
  const listId = useId();
  return (
    <>
      <Button variant="ghost" size="icon" aria-label="Cari" onClick={() => setOpen(true)} data-testid="mobile-search-button">
        <Search className="size-5" />
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          showCloseButton={false}
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            inputRef.current?.focus();
          }}
          className="top-0 left-0 flex h-dvh max-h-dvh w-full max-w-none translate-x-0 translate-y-0 flex-col gap-0 rounded-none border-0 p-0 sm:max-w-none"
          data-testid="mobile-search"
        >
          <DialogTitle className="sr-only">Cari</DialogTitle>
          <DialogDescription className="sr-only">Cari pelanggan atau tagihan</DialogDescription>
          <div className="flex items-center gap-2 border-b px-2 py-2">
            <Button variant="ghost" size="icon" aria-label="Tutup pencarian" onClick={() => setOpen(false)}>
              <ArrowLeft className="size-5" />
            </Button>
            <SearchField state={state} listId={listId} inputRef={inputRef} className="flex-1" />
          </div>
          <div className="flex-1 overflow-y-auto">
            <Results state={state} listId={listId} />
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
