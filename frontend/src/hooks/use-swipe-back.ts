import { useRouter, useRouterState } from "@tanstack/react-router";
import { useEffect } from "react";
import { NAV_ITEMS } from "@/lib/nav";
import { useIsMobile } from "./use-is-mobile";

/**
 * Edge swipe back on phones (spec "Gesture navigation — swipe back untuk kembali"): a finger that starts at the
 * left edge and travels right goes back in history. A mostly vertical move is a scroll and never turns into a
 * back, and the menu pages (the bottom bar's and the sidebar's) have nowhere to go back to.
 */

/** How far from the left edge a swipe must start, in CSS px. */
export const EDGE_PX = 24;
/** How far right it must travel to count, or … */
export const DISTANCE_PX = 80;
/** … a quick flick: at least this far at this speed (px/ms). */
export const FLICK_PX = 40;
export const FLICK_SPEED = 0.5;
/** Movement before the direction is decided. */
const SLOP_PX = 10;

export type Point = { x: number; y: number; t: number };
type State = { phase: "idle" } | { phase: "tracking" | "horizontal"; start: Point; last: Point };

/** The gesture as a small state machine, free of the DOM so it can be tested on its own. */
export class SwipeBackTracker {
  private state: State = { phase: "idle" };

  /** A touch begins; `touches` is how many fingers are down. */
  start(p: Point, touches = 1): void {
    this.state = touches === 1 && p.x <= EDGE_PX ? { phase: "tracking", start: p, last: p } : { phase: "idle" };
  }

  /** The finger moves; returns true while the swipe is horizontal (the page should not scroll sideways). */
  move(p: Point): boolean {
    const s = this.state;
    if (s.phase === "idle") return false;
    const dx = p.x - s.start.x;
    const dy = p.y - s.start.y;
    if (s.phase === "tracking") {
      if (Math.abs(dx) < SLOP_PX && Math.abs(dy) < SLOP_PX) {
        this.state = { ...s, last: p };
        return false;
      }
      // Vertical (or leftward) first: the user scrolls; this touch is no longer a back gesture.
      if (dx <= 0 || Math.abs(dy) >= Math.abs(dx)) {
        this.state = { phase: "idle" };
        return false;
      }
      this.state = { phase: "horizontal", start: s.start, last: p };
      return true;
    }
    this.state = { ...s, last: p };
    return true;
  }

  /** The finger lifts; true means go back. */
  end(p?: Point): boolean {
    const s = this.state;
    this.state = { phase: "idle" };
    if (s.phase !== "horizontal") return false;
    const last = p ?? s.last;
    const dx = last.x - s.start.x;
    const dy = Math.abs(last.y - s.start.y);
    if (dy > dx) return false; // drifted into a scroll after all
    const speed = dx / Math.max(1, last.t - s.start.t);
    return dx >= DISTANCE_PX || (dx >= FLICK_PX && speed >= FLICK_SPEED);
  }

  cancel(): void {
    this.state = { phase: "idle" };
  }

  /** How far the swipe has travelled right (0 unless horizontal), for a visual cue. */
  get distance(): number {
    return this.state.phase === "horizontal" ? Math.max(0, this.state.last.x - this.state.start.x) : 0;
  }
}

const ROOTS = new Set(NAV_ITEMS.map((item) => item.to));

/** The menu pages, where there is nothing to go back to. */
export function isRootPath(pathname: string): boolean {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return ROOTS.has(path) || path === "/admin" || path === "/login";
}

/** Where "back" goes when there is no history (a detail page opened from a shared link): one level up. */
export function parentPath(pathname: string): string {
  const path = pathname.replace(/\/+$/, "");
  const up = path.slice(0, path.lastIndexOf("/"));
  return up || "/";
}

const point = (t: Touch, time: number): Point => ({ x: t.clientX, y: t.clientY, t: time });

/** The cue at the left edge: an arrow that follows the finger and is fully shown once letting go goes back. */
function createCue(): { show: (distance: number, y: number) => void; hide: () => void; remove: () => void } {
  const el = document.createElement("div");
  el.setAttribute("aria-hidden", "true");
  el.dataset.testid = "swipe-back-cue";
  el.className =
    "bg-primary text-primary-foreground pointer-events-none fixed left-0 z-50 flex size-10 items-center justify-center rounded-full shadow-lg";
  el.style.cssText = "opacity:0;transform:translate(-48px,-50%);transition:opacity .15s";
  el.innerHTML =
    '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"><path d="m15 18-6-6 6-6"/></svg>';
  document.body.appendChild(el);
  return {
    show: (distance, y) => {
      const progress = Math.min(1, distance / DISTANCE_PX);
      el.style.top = `${y}px`;
      el.style.opacity = String(0.3 + 0.7 * progress);
      el.style.transform = `translate(${-48 + 64 * progress}px,-50%)`;
    },
    hide: () => {
      el.style.opacity = "0";
      el.style.transform = "translate(-48px,-50%)";
    },
    remove: () => el.remove(),
  };
}

/** Mount once in the layout: edge swipe back on phones, on every page but the menu pages. */
export function useSwipeBack(): void {
  const router = useRouter();
  const isMobile = useIsMobile();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const enabled = isMobile && !isRootPath(pathname);

  useEffect(() => {
    if (!enabled) return;
    const tracker = new SwipeBackTracker();
    const cue = createCue();
    const onStart = (e: TouchEvent) => tracker.start(point(e.touches[0]!, e.timeStamp), e.touches.length);
    const onMove = (e: TouchEvent) => {
      const touch = e.touches[0]!;
      if (!tracker.move(point(touch, e.timeStamp))) return;
      if (e.cancelable) e.preventDefault();
      cue.show(tracker.distance, touch.clientY);
    };
    const onEnd = (e: TouchEvent) => {
      const touch = e.changedTouches[0];
      cue.hide();
      if (!tracker.end(touch ? point(touch, e.timeStamp) : undefined)) return;
      if (router.history.canGoBack()) router.history.back();
      else router.navigate({ to: parentPath(pathname) });
    };
    const onCancel = () => {
      tracker.cancel();
      cue.hide();
    };
    document.addEventListener("touchstart", onStart, { passive: true });
    document.addEventListener("touchmove", onMove, { passive: false });
    document.addEventListener("touchend", onEnd);
    document.addEventListener("touchcancel", onCancel);
    return () => {
      document.removeEventListener("touchstart", onStart);
      document.removeEventListener("touchmove", onMove);
      document.removeEventListener("touchend", onEnd);
      document.removeEventListener("touchcancel", onCancel);
      cue.remove();
    };
  }, [enabled, pathname, router]);
}
