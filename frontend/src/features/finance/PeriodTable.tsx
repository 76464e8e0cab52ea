import { Link, useNavigate } from "@tanstack/react-router";
import { ChevronRight } from "lucide-react";
import type { ReactNode } from "react";
import { ProgressBar } from "@/components/common/ProgressBar";
import { formatPercent, type MoneyFigures } from "@/components/common/MoneyCards";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { formatRupiah } from "@/lib/format";
import type { InvoiceSearch } from "@/features/invoices/InvoicesPage";
import { cn } from "@/lib/utils";

export type PeriodTableRow = MoneyFigures & { key: string; label: string; chartLabel?: string };

/** Where a row drills down to: the invoice list of that due month (status set from the paid/unpaid figures). */
export type DrillDown = (row: PeriodTableRow) => InvoiceSearch | null;

type Props = { rows: PeriodTableRow[]; total?: MoneyFigures; firstColumn: string; testId?: string; drillDown?: DrillDown };

/** An amount that opens the row's invoices of one status; plain text when the row does not drill down. */
function StatusLink({ search, status, children, className }: { search: InvoiceSearch | null; status: "paid" | "unpaid"; children: ReactNode; className?: string }) {
  if (!search) return <span className={className}>{children}</span>;
  return (
    <Link
      to="/invoices"
      search={{ ...search, status }}
      className={cn("hover:underline", className)}
      onClick={(e) => e.stopPropagation()}
      data-testid={`drill-${status}`}
    >
      {children}
    </Link>
  );
}

/** Money per month or per year: a table on desktop, compact cards on a phone; a month opens its invoices. */
export function PeriodTable({ rows, total, firstColumn, testId, drillDown }: Props) {
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const open = (search: InvoiceSearch | null) => search && navigate({ to: "/invoices", search });
  if (isMobile) {
    return (
      <ul className="space-y-2" data-testid={testId}>
        {rows.map((r) => {
          const search = drillDown?.(r) ?? null;
          return (
          <li key={r.key}>
            <Card
              className={cn("gap-2 p-3", r.invoiceCount === 0 && "opacity-60", search && "active:bg-muted/60 cursor-pointer")}
              onClick={() => open(search)}
              role={search ? "link" : undefined}
              aria-label={search ? `Tagihan ${r.label}` : undefined}
              data-testid="period-row"
            >
              <div className="flex items-baseline justify-between gap-2">
                <span className="flex items-center gap-1 font-medium">
                  {r.label}
                  {search && <ChevronRight className="text-muted-foreground size-4 self-center" />}
                </span>
                <span className="font-semibold tabular-nums">{formatRupiah(r.totalAmount)}</span>
              </div>
              <div className="text-muted-foreground flex justify-between gap-2 text-xs tabular-nums">
                <StatusLink search={search} status="paid">
                  <span className="text-accent">{formatRupiah(r.paidAmount)}</span> terbayar
                </StatusLink>
                <StatusLink search={search} status="unpaid">
                  <span className="text-destructive">{formatRupiah(r.unpaidAmount)}</span> belum
                </StatusLink>
              </div>
              <div className="flex items-center gap-2">
                <ProgressBar value={r.collectionRate} barClassName="bg-accent" className="h-1.5" />
                <span className="w-12 text-right text-xs tabular-nums">{formatPercent(r.collectionRate)}</span>
              </div>
            </Card>
          </li>
          );
        })}
      </ul>
    );
  }
  return (
    <Card className="py-0">
      <Table data-testid={testId}>
        <TableHeader>
          <TableRow>
            <TableHead className="pl-4">{firstColumn}</TableHead>
            <TableHead className="text-right">Tagihan</TableHead>
            <TableHead className="text-right">Total</TableHead>
            <TableHead className="text-right">Terbayar</TableHead>
            <TableHead className="text-right">Belum Terbayar</TableHead>
            <TableHead className="w-44 pr-4">Terkumpul</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => {
            const search = drillDown?.(r) ?? null;
            return (
            <TableRow
              key={r.key}
              className={cn(r.invoiceCount === 0 && "text-muted-foreground", search && "cursor-pointer")}
              onClick={() => open(search)}
              data-testid="period-row"
            >
              <TableCell className="pl-4 font-medium">
                {search ? (
                  <Link to="/invoices" search={search} className="hover:underline" onClick={(e) => e.stopPropagation()}>
                    {r.label}
                  </Link>
                ) : (
                  r.label
                )}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {r.invoiceCount.toLocaleString("id-ID")}
                <span className="text-muted-foreground text-xs"> ({r.paidCount.toLocaleString("id-ID")} lunas)</span>
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatRupiah(r.totalAmount)}</TableCell>
              <TableCell className="text-accent text-right tabular-nums">
                <StatusLink search={search} status="paid">{formatRupiah(r.paidAmount)}</StatusLink>
              </TableCell>
              <TableCell className="text-destructive text-right tabular-nums">
                <StatusLink search={search} status="unpaid">{formatRupiah(r.unpaidAmount)}</StatusLink>
              </TableCell>
              <TableCell className="pr-4">
                <div className="flex items-center gap-2">
                  <ProgressBar value={r.collectionRate} barClassName="bg-accent" className="h-1.5" />
                  <span className="w-12 text-right text-xs tabular-nums">{formatPercent(r.collectionRate)}</span>
                </div>
              </TableCell>
            </TableRow>
            );
          })}
        </TableBody>
        {total ? (
          <TableFooter>
            <TableRow className="font-semibold">
              <TableCell className="pl-4">Total</TableCell>
              <TableCell className="text-right tabular-nums">{total.invoiceCount.toLocaleString("id-ID")}</TableCell>
              <TableCell className="text-right tabular-nums">{formatRupiah(total.totalAmount)}</TableCell>
              <TableCell className="text-accent text-right tabular-nums">{formatRupiah(total.paidAmount)}</TableCell>
              <TableCell className="text-destructive text-right tabular-nums">{formatRupiah(total.unpaidAmount)}</TableCell>
              <TableCell className="pr-4 text-right text-xs tabular-nums">{formatPercent(total.collectionRate)}</TableCell>
            </TableRow>
          </TableFooter>
        ) : null}
      </Table>
    </Card>
  );
}
