import { startTransition, useDeferredValue, useEffect, useState } from "react";

/**
 * false on a component's first render, then true in a re-render React does in the background (a deferred value's
 * update: interruptible, in slices of a few milliseconds between which the browser paints and handles input).
 * A big part of a page rendered behind it (`{ready ? <Heavy /> : null}`) no longer makes one long main-thread task
 * with the rest of the page on a slow phone. Render nothing in its place (new content appearing moves nothing),
 * not a placeholder of another size.
 */
export function useDeferredMount(): boolean {
  return useDeferredValue(true, false);
}

type IdleWindow = Window & {
  requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number;
  cancelIdleCallback?: (id: number) => void;
};

/**
 * false until the main thread is first idle after mounting (requestIdleCallback, at most `timeout` ms later), then
 * true in a background render of its own. What renders behind it commits separately from the rest of the page, so
 * its layout effects (menus, popovers and toasts measure themselves on mount) do not land in the page's commit
 * and make it one long task: for parts nobody sees or uses in the first moments (the splash still covers them).
 */
export function useIdleMount(timeout = 1_000): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const w = window as IdleWindow;
    const show = () => startTransition(() => setReady(true));
    const { requestIdleCallback: request, cancelIdleCallback: cancel } = w;
    if (request && cancel) {
      const id = request.call(window, show, { timeout });
      return () => cancel.call(window, id);
    }
    const id = window.setTimeout(show, 1);
    return () => window.clearTimeout(id);
  }, [timeout]);
  return ready;
}
