import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChartFrame } from "./Charts";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

/** A stand-in IntersectionObserver whose callback the test fires, recording what it observes. */
function fakeObserver() {
  const observers: { callback: IntersectionObserverCallback; targets: Element[]; disconnected: boolean }[] = [];
  class FakeIntersectionObserver {
    record: (typeof observers)[number];
    constructor(callback: IntersectionObserverCallback) {
      this.record = { callback, targets: [], disconnected: false };
      observers.push(this.record);
    }
    observe(el: Element) {
      this.record.targets.push(el);
    }
    disconnect() {
      this.record.disconnected = true;
    }
  }
  vi.stubGlobal("IntersectionObserver", FakeIntersectionObserver);
  const enter = (isIntersecting: boolean) => {
    for (const o of observers.filter((x) => !x.disconnected)) {
      o.callback(o.targets.map((target) => ({ target, isIntersecting }) as IntersectionObserverEntry), {} as IntersectionObserver);
    }
  };
  return { observers, enter };
}

afterEach(() => vi.unstubAllGlobals());

describe("ChartFrame", () => {
  it("draws its chart only once the frame comes near the viewport", () => {
    const io = fakeObserver();
    act(() => dom.root.render(<ChartFrame testId="c"><p data-testid="drawn">chart</p></ChartFrame>));
    expect(dom.container.querySelector("[data-testid=drawn]")).toBeNull();
    expect(dom.container.querySelector("[data-slot=skeleton]")).not.toBeNull(); // the frame keeps its place
    expect(io.observers[0].targets[0]).toBe(dom.container.querySelector("[data-testid=c]"));

    act(() => io.enter(false)); // still far below
    expect(dom.container.querySelector("[data-testid=drawn]")).toBeNull();

    act(() => io.enter(true));
    expect(dom.container.querySelector("[data-testid=drawn]")?.textContent).toBe("chart");
    expect(io.observers.every((o) => o.disconnected)).toBe(true); // drawn for good, no longer watched
  });

  it("draws at once where there is no IntersectionObserver", () => {
    vi.stubGlobal("IntersectionObserver", undefined);
    act(() => dom.root.render(<ChartFrame><p data-testid="drawn">chart</p></ChartFrame>));
    expect(dom.container.querySelector("[data-testid=drawn]")).not.toBeNull();
  });
});
