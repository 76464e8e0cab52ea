import { useQuery } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { Download, FileSpreadsheet, FileText, Loader2, Receipt, Users } from "lucide-react";
import { useState } from "react";
import { MoneyCards } from "@/components/common/MoneyCards";
import { OwnerFilter } from "@/components/common/OwnerFilter";
import { PageHeader } from "@/components/common/PageHeader";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ExportJobStatus } from "@/features/exports/ExportJobStatus";
import type { ExportFormat } from "@/features/exports/queries";
import { useExportJob } from "@/features/exports/use-export-job";
import { formatDate } from "@/lib/format";
import { cn } from "@/lib/utils";
import { addMonths, currentMonth, currentYear, DATE_RE, monthRange } from "./dates";
import { financeSummaryQueryOptions } from "./queries";

const FORMATS: { value: ExportFormat; label: string; icon: typeof FileText }[] = [
  { value: "xlsx", label: "Excel (.xlsx)", icon: FileSpreadsheet },
  { value: "csv", label: "CSV", icon: FileText },
];

function presets(): { label: string; from: string; to: string }[] {
  const month = currentMonth();
  const year = currentYear();
  return [
    { label: "Bulan ini", ...monthRange(month) },
    { label: "Bulan lalu", ...monthRange(addMonths(month, -1)) },
    { label: "Bulan depan", ...monthRange(addMonths(month, 1)) },
    { label: `Tahun ${year}`, from: `${year}-01-01`, to: `${year}-12-31` },
  ];
}

function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: T;
  options: { value: T; label: string; icon?: typeof FileText }[];
  onChange: (v: T) => void;
  label: string;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="bg-muted inline-flex rounded-lg p-[3px]">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          onClick={() => onChange(o.value)}
          className={cn(
            "flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors",
            value === o.value ? "bg-background text-foreground shadow-sm" : "text-muted-foreground hover:text-foreground",
          )}
        >
          {o.icon ? <o.icon className="size-4" /> : null}
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** `/finance/report`: pick a due-date range and download the recap (and, for the superadmin, invoices and customers). */
export function ReportPage() {
  const { user } = useRouteContext({ from: "/_auth" });
  const isSuperadmin = user.role === "superadmin";
  const initial = monthRange(currentMonth());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [format, setFormat] = useState<ExportFormat>("xlsx");
  const [ownerId, setOwnerId] = useState<string | undefined>();
  const recap = useExportJob();
  const invoices = useExportJob();
  const customers = useExportJob();

  const validRange = DATE_RE.test(from) && DATE_RE.test(to) && from <= to;
  const owner = isSuperadmin ? ownerId : undefined;
  const summary = useQuery({ ...financeSummaryQueryOptions({ from, to, ownerId: owner }), enabled: validRange });
  const rangeText = `${formatDate(from)} – ${formatDate(to)}`;
  const formatLabel = format === "xlsx" ? "Excel" : "CSV";

  return (
    <div className="space-y-4">
      <PageHeader
        title="Rekapan Keuangan"
        description="Unduh semua tagihan dalam rentang tanggal jatuh tempo, dengan ringkasan total, terbayar dan belum terbayar di baris terakhir."
      />

      <Card className="gap-4 p-4 md:p-6" data-testid="report-form">
        <div className="grid grid-cols-2 gap-x-3 gap-y-4 md:grid-cols-[repeat(2,minmax(0,12rem))_1fr] md:items-end md:gap-x-4">
          <div className="grid gap-1.5">
            <Label htmlFor="report-from">Dari tanggal</Label>
            <Input id="report-from" type="date" className="px-2 text-sm" value={from} max={to} onChange={(e) => setFrom(e.target.value)} aria-invalid={!validRange} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="report-to">Sampai tanggal</Label>
            <Input id="report-to" type="date" className="px-2 text-sm" value={to} min={from} onChange={(e) => setTo(e.target.value)} aria-invalid={!validRange} />
          </div>
          <div className="col-span-2 flex flex-wrap gap-1.5 md:col-span-1">
            {presets().map((p) => (
              <button
                key={p.label}
                type="button"
                aria-pressed={p.from === from && p.to === to}
                onClick={() => {
                  setFrom(p.from);
                  setTo(p.to);
                }}
                className={cn(
                  "rounded-full border px-3 py-1 text-sm transition-colors",
                  p.from === from && p.to === to ? "bg-primary text-primary-foreground border-primary" : "bg-card hover:bg-muted",
                )}
              >
                {p.label}
              </button>
            ))}
          </div>
        </div>
        {!validRange ? (
          <p className="text-destructive text-sm" role="alert">
            Tanggal akhir harus sama atau setelah tanggal mulai.
          </p>
        ) : null}

        <div className="flex flex-wrap items-end gap-4">
          <div className="grid gap-1.5">
            <span className="text-sm font-medium">Format</span>
            <Segmented value={format} options={FORMATS} onChange={setFormat} label="Format file" />
          </div>
          {isSuperadmin ? (
            <div className="grid gap-1.5">
              <span className="text-sm font-medium">Mitra</span>
              <OwnerFilter value={ownerId} onChange={setOwnerId} />
            </div>
          ) : null}
          <Button
            className="w-full sm:ml-auto sm:w-auto"
            size="lg"
            disabled={!validRange || recap.busy}
            onClick={() => recap.run("finance", { format, from, to, ownerId: owner }, `Rekap keuangan ${rangeText} (${formatLabel})`)}
            data-testid="report-download"
          >
            {recap.busy ? <Loader2 className="animate-spin" /> : <Download />} Unduh Rekap
          </Button>
        </div>
        <ExportJobStatus handle={recap} />
      </Card>

      <section aria-label="Ringkasan rentang" className="space-y-2">
        <h2 className="text-muted-foreground text-sm">
          Ringkasan {validRange ? rangeText : "-"}
          {user.role === "mitra" ? ` · ${user.businessName}` : ""}
        </h2>
        <MoneyCards figures={validRange ? summary.data : undefined} loading={validRange && summary.isPending} totalLabel="Total Tagihan" />
      </section>

      {isSuperadmin ? (
        <Card className="gap-4 p-4 md:p-6" data-testid="report-other-exports">
          <div>
            <h2 className="font-semibold">Ekspor data lainnya</h2>
            <p className="text-muted-foreground text-sm">Memakai format dan filter mitra di atas.</p>
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            <div className="space-y-2">
              <Button
                variant="outline"
                className="w-full justify-start"
                disabled={!validRange || invoices.busy}
                onClick={() => invoices.run("invoices", { format, from, to, ownerId: owner }, `Tagihan ${rangeText} (${formatLabel})`)}
                data-testid="export-invoices"
              >
                {invoices.busy ? <Loader2 className="animate-spin" /> : <Receipt />} Ekspor Tagihan
                <span className="text-muted-foreground ml-auto text-xs font-normal">rentang tanggal di atas</span>
              </Button>
              <ExportJobStatus handle={invoices} />
            </div>
            <div className="space-y-2">
              <Button
                variant="outline"
                className="w-full justify-start"
                disabled={customers.busy}
                onClick={() => customers.run("customers", { format, ownerId: owner }, `Data pelanggan (${formatLabel})`)}
                data-testid="export-customers"
              >
                {customers.busy ? <Loader2 className="animate-spin" /> : <Users />} Ekspor Pelanggan
                <span className="text-muted-foreground ml-auto text-xs font-normal">semua pelanggan</span>
              </Button>
              <ExportJobStatus handle={customers} />
            </div>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
