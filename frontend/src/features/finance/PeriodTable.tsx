import { ProgressBar } from "@/components/common/ProgressBar";
import { formatPercent, type MoneyFigures } from "@/components/common/MoneyCards";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { formatRupiah } from "@/lib/format";
import { cn } from "@/lib/utils";

export type PeriodTableRow = MoneyFigures & { key: string; label: string; chartLabel?: string };

type Props = { rows: PeriodTableRow[]; total?: MoneyFigures; firstColumn: string; testId?: string };

/** Money per month or per year: a table on desktop, compact cards on a phone. */
export function PeriodTable({ rows, total, firstColumn, testId }: Props) {
  const isMobile = useIsMobile();
  if (isMobile) {
    return (
      <ul className="space-y-2" data-testid={testId}>
        {rows.map((r) => (
          <li key={r.key}>
            <Card className={cn("gap-2 p-3", r.invoiceCount === 0 && "opacity-60")}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="font-medium">{r.label}</span>
                <span className="font-semibold tabular-nums">{formatRupiah(r.totalAmount)}</span>
              </div>
              <div className="text-muted-foreground flex justify-between gap-2 text-xs tabular-nums">
                <span>
                  <span className="text-accent">{formatRupiah(r.paidAmount)}</span> terbayar
                </span>
                <span>
                  <span className="text-destructive">{formatRupiah(r.unpaidAmount)}</span> belum
                </span>
              </div>
              <div className="flex items-center gap-2">
                <ProgressBar value={r.collectionRate} barClassName="bg-accent" className="h-1.5" />
                <span className="w-12 text-right text-xs tabular-nums">{formatPercent(r.collectionRate)}</span>
              </div>
            </Card>
          </li>
        ))}
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
          {rows.map((r) => (
            <TableRow key={r.key} className={cn(r.invoiceCount === 0 && "text-muted-foreground")}>
              <TableCell className="pl-4 font-medium">{r.label}</TableCell>
              <TableCell className="text-right tabular-nums">
                {r.invoiceCount.toLocaleString("id-ID")}
                <span className="text-muted-foreground text-xs"> ({r.paidCount.toLocaleString("id-ID")} lunas)</span>
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatRupiah(r.totalAmount)}</TableCell>
              <TableCell className="text-accent text-right tabular-nums">{formatRupiah(r.paidAmount)}</TableCell>
              <TableCell className="text-destructive text-right tabular-nums">{formatRupiah(r.unpaidAmount)}</TableCell>
              <TableCell className="pr-4">
                <div className="flex items-center gap-2">
                  <ProgressBar value={r.collectionRate} barClassName="bg-accent" className="h-1.5" />
                  <span className="w-12 text-right text-xs tabular-nums">{formatPercent(r.collectionRate)}</span>
                </div>
              </TableCell>
            </TableRow>
          ))}
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
