import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { countAxis, niceTicks, PLOT_MARGIN_TOP, rupiahAxis, X_AXIS_HEIGHT, Y_AXIS_WIDTH } from "./chart-scale";
import type { GrowthPoint, MoneyBarPoint, RevenuePoint } from "./charts-impl";

export type { GrowthPoint, MoneyBarPoint, RevenuePoint };

// Recharts is ~100 KB gzipped: load it with the first chart, never in the initial bundle.
const load = () => import("./charts-impl");
const LazyRevenue = lazy(() => load().then((m) => ({ default: m.RevenueLineChart })));
const LazyGrowth = lazy(() => load().then((m) => ({ default: m.GrowthBarChart })));
const LazyMoneyBars = lazy(() => load().then((m) => ({ default: m.MoneyBarChart })));

/**
 * True once `ref`'s element is within `margin` of the viewport, and from then on. The dashboard's charts sit
 * below the fold on a phone: drawing them (Recharts' 100 KB and its first render) only when the user scrolls near
 * them keeps them off the first load's network and main thread. Without IntersectionObserver: at once.
 */
export function useNearViewport(ref: RefObject<Element | null>, margin = "200px"): boolean {
  const [near, setNear] = useState(() => typeof IntersectionObserver === "undefined");
  useEffect(() => {
    const el = ref.current;
    if (near || !el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: `${margin} 0px` },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [near, ref, margin]);
  return near;
}

/** The phone's chart height (h-64); the sticky axis is placed on the same plot area. */
const PHONE_HEIGHT = 256;

type LegendItem = { label: string; color: string };
type YScale = { ticks: number[]; format: (v: number) => string };
type FrameProps = { children: ReactNode; className?: string; minWidth?: number; testId?: string; legend?: LegendItem[]; y?: YScale };

/** The left axis's labels, kept in view while a phone scrolls the plot sideways. */
function StickyYAxis({ ticks, format }: YScale) {
  const top = ticks[ticks.length - 1] || 1;
  const plot = PHONE_HEIGHT - PLOT_MARGIN_TOP - X_AXIS_HEIGHT;
  return (
    <div
      aria-hidden
      data-testid="chart-sticky-y"
      className="bg-card pointer-events-none absolute top-0 -left-4 h-64 md:hidden"
      style={{ width: Y_AXIS_WIDTH + 16 }}
    >
      {ticks.map((t) => (
        <span
          key={t}
          className="text-muted-foreground absolute right-2 -translate-y-1/2 text-xs tabular-nums"
          style={{ top: PLOT_MARGIN_TOP + (1 - t / top) * plot }}
        >
          {format(t)}
        </span>
      ))}
    </div>
  );
}

function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 pt-2 text-[13px] md:pl-[52px]">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1.5">
          <span className="size-2.5 rounded-full" style={{ background: item.color }} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * A fixed-height chart area. On a phone it scrolls sideways (the chart keeps `minWidth`) instead
 * of squeezing twelve months into 350 px, opening at the latest month with the left axis held in
 * view; from tablet width up it takes the full width.
 */
export function ChartFrame({ children, className, minWidth = 640, testId, legend, y }: FrameProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const near = useNearViewport(scroller);
  // Start at the right end: the latest months are the ones people look for. Once the frame comes near the viewport
  // (it is laid out then anyway), in the next frame, before it paints: read in the commit, or at mount, the widths
  // forced the page's style and layout early, into the task of a whole dashboard appearing at once (a long task on
  // a slow phone).
  useLayoutEffect(() => {
    if (!near) return;
    const frame = requestAnimationFrame(() => {
      const el = scroller.current;
      if (el && el.scrollWidth > el.clientWidth) el.scrollLeft = el.scrollWidth;
    });
    return () => cancelAnimationFrame(frame);
  }, [near]);
  return (
    <div>
      <div className="relative">
        <div
          ref={scroller}
          className="-mx-4 overflow-x-auto overscroll-x-contain px-4 pb-1 md:mx-0 md:px-0"
          data-testid={testId}
          data-chart-scroll
        >
          <div
            className={cn("h-64 min-w-(--chart-min-width) md:h-72 md:min-w-0", className)}
            style={{ "--chart-min-width": `${minWidth}px` } as CSSProperties}
          >
            {near ? (
              <Suspense fallback={<Skeleton className="size-full" />}>{children}</Suspense>
            ) : (
              <Skeleton className="size-full" />
            )}
          </div>
        </div>
        {y ? <StickyYAxis {...y} /> : null}
      </div>
      {legend ? <ChartLegend items={legend} /> : null}
    </div>
  );
}

type ChartProps<T> = { data: T[]; className?: string; minWidth?: number; testId?: string };

const maxOf = <T,>(data: T[], ...keys: (keyof T)[]) => Math.max(0, ...data.flatMap((d) => keys.map((k) => Number(d[k]) || 0)));

export function RevenueChart({ data, ...frame }: ChartProps<RevenuePoint>) {
  const ticks = niceTicks(maxOf(data, "billed", "paid"));
  return (
    <ChartFrame
      {...frame}
      y={{ ticks, format: rupiahAxis }}
      legend={[
        { label: "Ditagihkan", color: "var(--primary)" },
        { label: "Terbayar", color: "var(--accent)" },
      ]}
    >
      <LazyRevenue data={data} ticks={ticks} />
    </ChartFrame>
  );
}

export function GrowthChart({ data, ...frame }: ChartProps<GrowthPoint>) {
  const ticks = niceTicks(maxOf(data, "newCustomers"), { integer: true });
  const totalTicks = niceTicks(maxOf(data, "totalCustomers"), { integer: true });
  return (
    <ChartFrame
      {...frame}
      y={{ ticks, format: countAxis }}
      legend={[
        { label: "Pelanggan baru", color: "var(--primary)" },
        { label: "Jumlah pelanggan", color: "var(--accent)" },
      ]}
    >
      <LazyGrowth data={data} ticks={ticks} totalTicks={totalTicks} />
    </ChartFrame>
  );
}

export function MoneyBarsChart({ data, ...frame }: ChartProps<MoneyBarPoint>) {
  const ticks = niceTicks(Math.max(0, ...data.map((d) => (d.paidAmount || 0) + (d.unpaidAmount || 0))));
  return (
    <ChartFrame
      {...frame}
      y={{ ticks, format: rupiahAxis }}
      legend={[
        { label: "Terbayar", color: "var(--accent)" },
        { label: "Belum terbayar", color: "var(--destructive)" },
      ]}
    >
      <LazyMoneyBars data={data} ticks={ticks} />
    </ChartFrame>
  );
}
