import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach } from "vitest";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A fresh container and React root for each test of the calling file; unmounted and removed after each. */
export function useDomRoot(): { readonly container: HTMLDivElement; readonly root: Root } {
  const dom = {} as { container: HTMLDivElement; root: Root };
  beforeEach(() => {
    dom.container = document.createElement("div");
    document.body.append(dom.container);
    dom.root = createRoot(dom.container);
  });
  afterEach(() => {
    act(() => dom.root.unmount());
    dom.container.remove();
  });
  return dom;
}
