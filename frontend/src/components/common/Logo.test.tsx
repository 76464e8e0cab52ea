import { act } from "react";
import { describe, expect, it } from "vitest";
import { FALLBACK_LOGO } from "@/features/branding/queries";
import { useDomRoot } from "@/test/dom-root";
import { Logo } from "./Logo";

const dom = useDomRoot();
const img = () => dom.container.querySelector("img") as HTMLImageElement;

describe("Logo", () => {
  it("falls back to the bundled mark when the upload fails, and tries a new upload again", () => {
    act(() => dom.root.render(<Logo src="/uploads/branding/old.png" />));
    expect(img().getAttribute("src")).toBe("/uploads/branding/old.png");
    act(() => img().dispatchEvent(new Event("error")));
    expect(img().getAttribute("src")).toBe(FALLBACK_LOGO);
    act(() => dom.root.render(<Logo src="/uploads/branding/new.png" />));
    expect(img().getAttribute("src")).toBe("/uploads/branding/new.png");
  });

  it("shows the bundled mark when there is no upload", () => {
    act(() => dom.root.render(<Logo />));
    expect(img().getAttribute("src")).toBe(FALLBACK_LOGO);
  });
});
