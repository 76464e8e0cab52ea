/**
 * Recharts drawings. Only ever imported lazily (through `Charts.tsx`), so the library stays out of
 * the initial bundle.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatRupiah } from "@/lib/format";
import { countAxis, PLOT_MARGIN_TOP, rupiahAxis, X_AXIS_HEIGHT, Y_AXIS_WIDTH } from "./chart-scale";

export type RevenuePoint = { label: string; billed: number; paid: number };
export type GrowthPoint = { label: string; newCustomers: number; totalCustomers: number };
export type MoneyBarPoint = { label: string; paidAmount: number; unpaidAmount: number };

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
// The legend is HTML (Charts.tsx) so the plot's height is fixed and the phone's sticky axis lines up with it.
const X_AXIS = { dataKey: "label", tick: AXIS, tickLine: false, axisLine: { stroke: "var(--border)" }, height: X_AXIS_HEIGHT };
const domainOf = (ticks: number[]): [number, number] => [0, ticks[ticks.length - 1] ?? 1];
const ANIMATION = 500;

const rupiahTooltip = (value: unknown) => formatRupiah(Number(value));

/** Billed vs paid per month (line). */
export function RevenueLineChart({ data, ticks }: { data: RevenuePoint[]; ticks: number[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: PLOT_MARGIN_TOP, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...X_AXIS} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={rupiahAxis} width={Y_AXIS_WIDTH} ticks={ticks} domain={domainOf(ticks)} />
        <Tooltip {...TOOLTIP} cursor={{ stroke: "var(--border)" }} formatter={rupiahTooltip} />
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
export function GrowthBarChart({ data, ticks, totalTicks }: { data: GrowthPoint[]; ticks: number[]; totalTicks: number[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: PLOT_MARGIN_TOP, right: 4, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...X_AXIS} />
        <YAxis
          yAxisId="new"
          tick={AXIS}
          tickLine={false}
          axisLine={false}
          tickFormatter={countAxis}
          allowDecimals={false}
          width={Y_AXIS_WIDTH}
          ticks={ticks}
          domain={domainOf(ticks)}
        />
        <YAxis
          yAxisId="total"
          orientation="right"
          tick={AXIS}
          tickLine={false}
          axisLine={false}
          tickFormatter={countAxis}
          allowDecimals={false}
          width={44}
          ticks={totalTicks}
          domain={domainOf(totalTicks)}
        />
        <Tooltip {...TOOLTIP} formatter={(v: unknown) => Number(v).toLocaleString("id-ID")} />
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
export function MoneyBarChart({ data, ticks }: { data: MoneyBarPoint[]; ticks: number[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: PLOT_MARGIN_TOP, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis {...X_AXIS} />
        <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={rupiahAxis} width={Y_AXIS_WIDTH} ticks={ticks} domain={domainOf(ticks)} />
        <Tooltip {...TOOLTIP} formatter={rupiahTooltip} />
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
