import { Loader2, ArrowDown } from "lucide-react";
import { useRef, useState, type ReactNode, type TouchEvent } from "react";

const THRESHOLD = 70;
const MAX_PULL = 110;

type Props = { onRefresh: () => Promise<unknown>; children: ReactNode; disabled?: boolean };

/** Touch pull-down at the top of a list calls `onRefresh` (usually a query's `refetch`). */
export function PullToRefresh({ onRefresh, children, disabled }: Props) {
  const startY = useRef<number | null>(null);
  const [pull, setPull] = useState(0);
  const [refreshing, setRefreshing] = useState(false);

  const onTouchStart = (e: TouchEvent) => {
    if (disabled || refreshing || window.scrollY > 0) return;
    startY.current = e.touches[0].clientY;
  };
  const onTouchMove = (e: TouchEvent) => {
    if (startY.current === null) return;
    const dy = e.touches[0].clientY - startY.current;
    // Resist the pull so it feels elastic, like native lists.
    setPull(dy > 0 ? Math.min(MAX_PULL, dy * 0.5) : 0);
  };
  const onTouchEnd = async () => {
    if (startY.current === null) return;
    startY.current = null;
    if (pull >= THRESHOLD) {
      setRefreshing(true);
      setPull(THRESHOLD * 0.6);
      try {
        await onRefresh();
      } finally {
        setRefreshing(false);
        setPull(0);
      }
    } else {
      setPull(0);
    }
  };

  const shown = refreshing || pull > 0;
  return (
    <div onTouchStart={onTouchStart} onTouchMove={onTouchMove} onTouchEnd={onTouchEnd} onTouchCancel={onTouchEnd}>
      <div
        className="text-muted-foreground flex items-center justify-center overflow-hidden text-xs transition-[height] duration-150"
        style={{ height: shown ? Math.max(pull, refreshing ? 40 : 0) : 0 }}
        aria-live="polite"
      >
        {refreshing ? (
          <span className="flex items-center gap-2">
            <Loader2 className="size-4 animate-spin" /> Memuat ulang…
          </span>
        ) : (
          <span className="flex items-center gap-2">
            <ArrowDown className="size-4 transition-transform" style={{ rotate: pull >= THRESHOLD ? "180deg" : "0deg" }} />
            {pull >= THRESHOLD ? "Lepaskan untuk memuat ulang" : "Tarik untuk memuat ulang"}
          </span>
        )}
      </div>
      {children}
    </div>
  );
}
