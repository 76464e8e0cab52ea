import { describe, expect, it } from "vitest";
import { DISTANCE_PX, EDGE_PX, isRootPath, parentPath, SwipeBackTracker } from "./use-swipe-back";

/** Play a swipe: the points of one finger, from touch down to lift. */
function swipe(points: [number, number, number][], touches = 1): boolean {
  const t = new SwipeBackTracker();
  const [first, ...rest] = points.map(([x, y, time]) => ({ x, y, t: time }));
  t.start(first!, touches);
  for (const p of rest) t.move(p);
  return t.end(rest.at(-1));
}

describe("edge swipe back", () => {
  it("goes back after a rightward swipe from the left edge", () => {
    expect(swipe([[5, 300, 0], [30, 302, 50], [90, 305, 150], [120, 306, 400]])).toBe(true);
  });

  it("needs the start at the edge", () => {
    expect(swipe([[EDGE_PX + 20, 300, 0], [100, 300, 50], [200, 300, 300]])).toBe(false);
  });

  it("needs enough distance, unless it is a quick flick", () => {
    expect(swipe([[5, 300, 0], [20, 300, 100], [DISTANCE_PX - 20, 300, 600]])).toBe(false); // slow and short
    expect(swipe([[5, 300, 0], [25, 300, 20], [55, 300, 60]])).toBe(true); // 50 px in 60 ms
  });

  it("leaves vertical scrolling alone, even when it starts at the edge", () => {
    expect(swipe([[5, 300, 0], [8, 340, 50], [60, 420, 200], [150, 500, 400]])).toBe(false);
    const t = new SwipeBackTracker();
    t.start({ x: 5, y: 300, t: 0 });
    expect(t.move({ x: 7, y: 330, t: 30 })).toBe(false); // not claimed: the page scrolls
  });

  it("claims the move once it is horizontal, so the page does not scroll sideways", () => {
    const t = new SwipeBackTracker();
    t.start({ x: 5, y: 300, t: 0 });
    expect(t.move({ x: 4, y: 301, t: 10 })).toBe(false); // within the slop
    expect(t.move({ x: 30, y: 303, t: 40 })).toBe(true);
    expect(t.distance).toBe(25);
  });

  it("ignores two-finger touches and leftward swipes", () => {
    expect(swipe([[5, 300, 0], [100, 300, 100], [150, 300, 200]], 2)).toBe(false);
    expect(swipe([[20, 300, 0], [0, 300, 100]])).toBe(false);
  });

  it("is off on the menu pages and goes one level up without history", () => {
    for (const root of ["/", "/customers", "/invoices", "/whatsapp", "/profile", "/finance", "/admin/mitra", "/customers/"]) {
      expect(isRootPath(root)).toBe(true);
    }
    expect(isRootPath("/customers/8d1e")).toBe(false);
    expect(isRootPath("/finance/report")).toBe(false);
    expect(parentPath("/customers/8d1e")).toBe("/customers");
    expect(parentPath("/finance/report")).toBe("/finance");
  });
});
