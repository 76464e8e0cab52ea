/**
 * Recharts drawings. Only ever imported lazily (through `Charts.tsx`), so the library stays out of
 * the initial bundle.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatRupiah } from "@/lib/format";

export type RevenuePoint = { label: string; billed: number; paid: number };
export type GrowthPoint = { label: string; newCustomers: number; totalCustomers: number };
export type MoneyBarPoint = { label: string; paidAmount: number; unpaidAmount: number };

const compact = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });
const rupiahAxis = (v: number) => (v === 0 ? "0" : compact.format(v));
const countAxis = (v: number) => compact.format(v);

const AXIS = { fill: "var(--muted-foreground)", fontSize: 12 };
const TOOLTIP = {
  contentStyle: {
    background: "var(--popover)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    color: "var(--popover-foreground)",
    fontSize: 13,
  },
  labelStyle: { color: "var(--popover-foreground)", fontWeight: 600, marginBottom: 4 },
  cursor: { fill: "var(--muted)", opacity: 0.6 },
};
const LEGEND = { wrapperStyle: { fontSize: 13, paddingTop: 8, paddingLeft: 52 }, iconType: "circle" as const, iconSize: 10, align: "left" as const };
const ANIMATION = 500;

const rupiahTooltip = (value: unknown) => formatRupiah(Number(value));

/** Billed vs paid per month (line). */
export function RevenueLineChart({ data }: { data: RevenuePoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: "var(--border)" }} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={rupiahAxis} width={52} />
        <Tooltip {...TOOLTIP} cursor={{ stroke: "var(--border)" }} formatter={rupiahTooltip} />
        <Legend {...LEGEND} />
        <Line
          type="monotone"
          dataKey="billed"
          name="Ditagihkan"
          stroke="var(--primary)"
          strokeWidth={2.5}
          dot={{ r: 3, fill: "var(--primary)" }}
          activeDot={{ r: 5 }}
          animationDuration={ANIMATION}
        />
        <Line
          type="monotone"
          dataKey="paid"
          name="Terbayar"
          stroke="var(--accent)"
          strokeWidth={2.5}
          dot={{ r: 3, fill: "var(--accent)" }}
          activeDot={{ r: 5 }}
          animationDuration={ANIMATION}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** New customers per month (bars) with the running count (line, right axis). */
export function GrowthBarChart({ data }: { data: GrowthPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 4, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: "var(--border)" }} />
        <YAxis yAxisId="new" tick={AXIS} tickLine={false} axisLine={false} tickFormatter={countAxis} allowDecimals={false} width={40} />
        <YAxis
          yAxisId="total"
          orientation="right"
          tick={AXIS}
          tickLine={false}
          axisLine={false}
          tickFormatter={countAxis}
          allowDecimals={false}
          width={44}
        />
        <Tooltip {...TOOLTIP} formatter={(v: unknown) => Number(v).toLocaleString("id-ID")} />
        <Legend {...LEGEND} />
        <Bar yAxisId="new" dataKey="newCustomers" name="Pelanggan baru" fill="var(--primary)" radius={[4, 4, 0, 0]} maxBarSize={36} animationDuration={ANIMATION} />
        <Line
          yAxisId="total"
          type="monotone"
          dataKey="totalCustomers"
          name="Jumlah pelanggan"
          stroke="var(--accent)"
          strokeWidth={2}
          dot={false}
          animationDuration={ANIMATION}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Paid and unpaid Rupiah stacked per bucket (month or year). */
export function MoneyBarChart({ data }: { data: MoneyBarPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={{ stroke: "var(--border)" }} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={rupiahAxis} width={52} />
        <Tooltip {...TOOLTIP} formatter={rupiahTooltip} />
        <Legend {...LEGEND} />
        <Bar dataKey="paidAmount" name="Terbayar" stackId="money" fill="var(--accent)" maxBarSize={48} animationDuration={ANIMATION} />
        <Bar
          dataKey="unpaidAmount"
          name="Belum terbayar"
          stackId="money"
          fill="var(--destructive)"
          fillOpacity={0.75}
          radius={[4, 4, 0, 0]}
          maxBarSize={48}
          animationDuration={ANIMATION}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
