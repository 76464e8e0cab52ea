/**
 * Y-axis ticks shared by a chart and its sticky phone axis, so both show the same scale.
 * Steps are 1, 2, 2.5 or 5 × a power of ten; `integer` keeps counts whole.
 */
export function niceTicks(max: number, { count = 4, integer = false }: { count?: number; integer?: boolean } = {}): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const pow = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  if (integer) step = Math.max(1, Math.ceil(step));
  const steps = Math.ceil(max / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const compact = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });
/** `100000` → `100 rb`, `2500000` → `2,5 jt` (axis labels). */
export const rupiahAxis = (v: number) => (v === 0 ? "0" : compact.format(v));
export const countAxis = (v: number) => compact.format(v);

/** Plot geometry every chart uses, so the sticky axis lines up with the drawn one. */
export const PLOT_MARGIN_TOP = 8;
export const X_AXIS_HEIGHT = 30;
export const Y_AXIS_WIDTH = 52;
