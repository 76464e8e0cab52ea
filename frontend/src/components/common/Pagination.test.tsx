import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { useDomRoot } from "@/test/dom-root";
import { Pagination } from "./Pagination";

const dom = useDomRoot();
const range = () => dom.container.querySelector("[data-testid=pagination-range]")?.textContent;
const next = () => dom.container.querySelector<HTMLButtonElement>("button[aria-label=Berikutnya]")!;

describe("Pagination", () => {
  it("an exact total: its range, page count and a last page", () => {
    act(() => dom.root.render(<Pagination page={3} perPage={20} total={1234} onPageChange={() => {}} />));
    expect(range()).toBe("41–60 dari 1.234");
    expect(dom.container.textContent).toContain("3 / 62");
    act(() => dom.root.render(<Pagination page={62} perPage={20} total={1234} onPageChange={() => {}} />));
    expect(range()).toBe("1.221–1.234 dari 1.234");
    expect(next().disabled).toBe(true);
  });

  it("a capped total reads 10.000+ and always allows a next page", () => {
    const onPageChange = vi.fn();
    act(() => dom.root.render(<Pagination page={500} perPage={20} total={10000} totalCapped onPageChange={onPageChange} />));
    expect(range()).toBe("9.981–10.000 dari 10.000+");
    expect(dom.container.textContent).toContain("500 / 500+");
    expect(next().disabled).toBe(false);
    act(() => next().click());
    expect(onPageChange).toHaveBeenCalledWith(501);
  });

  it("shows nothing for a single exact page", () => {
    act(() => dom.root.render(<Pagination page={1} perPage={20} total={7} onPageChange={() => {}} />));
    expect(dom.container.textContent).toBe("");
  });
});
