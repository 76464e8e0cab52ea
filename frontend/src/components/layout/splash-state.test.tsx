import { act } from "react";
import { describe, expect, it } from "vitest";
import { hideSplash, useSplashVisible } from "./splash-state";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

function Probe({ name }: { name: string }) {
  return <p data-testid={name}>{useSplashVisible() ? "splash" : "page"}</p>;
}

describe("splash state", () => {
  it("shows on an app open and hides for every reader at once", () => {
    act(() => dom.root.render(<><Probe name="shell" /><Probe name="root" /></>));
    const text = (n: string) => dom.container.querySelector(`[data-testid=${n}]`)?.textContent;
    expect([text("shell"), text("root")]).toEqual(["splash", "splash"]); // jsdom opens at "/", not a receipt
    act(() => hideSplash());
    expect([text("shell"), text("root")]).toEqual(["page", "page"]);
  });
});
