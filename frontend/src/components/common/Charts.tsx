import { lazy, Suspense, useLayoutEffect, useRef, type CSSProperties, type ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import type { GrowthPoint, MoneyBarPoint, RevenuePoint } from "./charts-impl";

export type { GrowthPoint, MoneyBarPoint, RevenuePoint };

// Recharts is ~100 KB gzipped: load it with the first chart, never in the initial bundle.
const load = () => import("./charts-impl");
const LazyRevenue = lazy(() => load().then((m) => ({ default: m.RevenueLineChart })));
const LazyGrowth = lazy(() => load().then((m) => ({ default: m.GrowthBarChart })));
const LazyMoneyBars = lazy(() => load().then((m) => ({ default: m.MoneyBarChart })));

type FrameProps = { children: ReactNode; className?: string; minWidth?: number; testId?: string };

/**
 * A fixed-height chart area. On a phone it scrolls sideways (the chart keeps `minWidth`) instead
 * of squeezing twelve months into 350 px; from tablet width up it takes the full width.
 */
export function ChartFrame({ children, className, minWidth = 640, testId }: FrameProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // Start at the right end: the latest months are the ones people look for.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollWidth > el.clientWidth) el.scrollLeft = el.scrollWidth;
  }, []);
  return (
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
        <Suspense fallback={<Skeleton className="size-full" />}>{children}</Suspense>
      </div>
    </div>
  );
}

type ChartProps<T> = { data: T[]; className?: string; minWidth?: number; testId?: string };

export function RevenueChart({ data, ...frame }: ChartProps<RevenuePoint>) {
  return (
    <ChartFrame {...frame}>
      <LazyRevenue data={data} />
    </ChartFrame>
  );
}

export function GrowthChart({ data, ...frame }: ChartProps<GrowthPoint>) {
  return (
    <ChartFrame {...frame}>
      <LazyGrowth data={data} />
    </ChartFrame>
  );
}

export function MoneyBarsChart({ data, ...frame }: ChartProps<MoneyBarPoint>) {
  return (
    <ChartFrame {...frame}>
      <LazyMoneyBars data={data} />
    </ChartFrame>
  );
}
