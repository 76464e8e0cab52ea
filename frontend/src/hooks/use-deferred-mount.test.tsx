import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useDomRoot } from "@/test/dom-root";
import { useIdleMount } from "./use-deferred-mount";

const dom = useDomRoot();

function Probe() {
  return <span data-testid="probe">{useIdleMount(500) ? "ready" : "waiting"}</span>;
}
const probe = () => dom.container.querySelector("[data-testid=probe]")?.textContent;

afterEach(() => {
  vi.useRealTimers();
  delete (window as { requestIdleCallback?: unknown }).requestIdleCallback;
  delete (window as { cancelIdleCallback?: unknown }).cancelIdleCallback;
});

describe("useIdleMount", () => {
  it("is false on the first render and true once the main thread is idle", async () => {
    let idle: (() => void) | undefined;
    const request = vi.fn((cb: () => void) => ((idle = cb), 7));
    const cancel = vi.fn();
    Object.assign(window, { requestIdleCallback: request, cancelIdleCallback: cancel });
    act(() => dom.root.render(<Probe />));
    expect(probe()).toBe("waiting");
    expect(request).toHaveBeenCalledWith(expect.any(Function), { timeout: 500 });
    await act(async () => idle!());
    expect(probe()).toBe("ready");
  });

  it("cancels the idle callback when unmounted first", () => {
    const cancel = vi.fn();
    Object.assign(window, { requestIdleCallback: vi.fn(() => 7), cancelIdleCallback: cancel });
    act(() => dom.root.render(<Probe />));
    act(() => dom.root.render(<span />));
    expect(cancel).toHaveBeenCalledWith(7);
  });

  it("without requestIdleCallback (Safari), a timer does it", async () => {
    vi.useFakeTimers();
    act(() => dom.root.render(<Probe />));
    expect(probe()).toBe("waiting");
    await act(async () => vi.runAllTimers());
    expect(probe()).toBe("ready");
  });
});
