import { useDeferredValue } from "react";

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
