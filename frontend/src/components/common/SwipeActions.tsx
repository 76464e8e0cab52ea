import { useRef, useState, type ReactNode, type TouchEvent } from "react";
import { cn } from "@/lib/utils";

export type SwipeAction = {
  label: string;
  icon: ReactNode;
  onSelect: () => void;
  /** Background of the action button. */
  tone?: "primary" | "warning" | "destructive" | "muted";
};

const TONES: Record<NonNullable<SwipeAction["tone"]>, string> = {
  primary: "bg-primary text-primary-foreground",
  warning: "bg-warning text-warning-foreground",
  destructive: "bg-destructive text-destructive-foreground",
  muted: "bg-muted-foreground/80 text-background",
};
const ACTION_WIDTH = 72;

type Props = { actions: SwipeAction[]; children: ReactNode; className?: string };

/**
 * List item that reveals quick actions when swiped left (spec: "geser kiri = aksi cepat").
 * Vertical scrolling wins when the gesture starts vertical; a tap elsewhere on the item closes it.
 */
export function SwipeActions({ actions, children, className }: Props) {
  const width = actions.length * ACTION_WIDTH;
  const start = useRef<{ x: number; y: number; offset: number; horizontal: boolean | null } | null>(null);
  const [offset, setOffset] = useState(0);
  const [dragging, setDragging] = useState(false);

  const onTouchStart = (e: TouchEvent) => {
    const t = e.touches[0];
    start.current = { x: t.clientX, y: t.clientY, offset, horizontal: null };
  };
  const onTouchMove = (e: TouchEvent) => {
    const s = start.current;
    if (!s) return;
    const t = e.touches[0];
    const dx = t.clientX - s.x;
    const dy = t.clientY - s.y;
    if (s.horizontal === null && Math.abs(dx) + Math.abs(dy) > 8) s.horizontal = Math.abs(dx) > Math.abs(dy);
    if (!s.horizontal) return;
    setDragging(true);
    setOffset(Math.max(-width - 24, Math.min(0, s.offset + dx)));
  };
  const onTouchEnd = () => {
    const s = start.current;
    start.current = null;
    setDragging(false);
    if (!s?.horizontal) return;
    setOffset((o) => (o < -width / 2 ? -width : 0));
  };

  const open = offset !== 0;
  return (
    <div className={cn("relative overflow-hidden rounded-xl", className)} data-swipe-open={open || undefined}>
      <div
        className={cn("absolute inset-y-0 right-0 flex", !open && !dragging && "invisible")}
        style={{ width }}
        aria-hidden={!open}
      >
        {actions.map((a) => (
          <button
            key={a.label}
            type="button"
            tabIndex={open ? 0 : -1}
            className={cn("flex flex-1 flex-col items-center justify-center gap-1 text-xs font-medium", TONES[a.tone ?? "primary"])}
            onClick={() => {
              setOffset(0);
              a.onSelect();
            }}
          >
            {a.icon}
            {a.label}
          </button>
        ))}
      </div>
      <div
        className={cn("relative touch-pan-y", !dragging && "transition-transform duration-200")}
        style={{ transform: `translateX(${offset}px)` }}
        onTouchStart={onTouchStart}
        onTouchMove={onTouchMove}
        onTouchEnd={onTouchEnd}
        onTouchCancel={onTouchEnd}
        onClickCapture={(e) => {
          // A tap on an open item closes it instead of following the item's link.
          if (open) {
            e.preventDefault();
            e.stopPropagation();
            setOffset(0);
          }
        }}
      >
        {children}
      </div>
    </div>
  );
}
