import { describe, expect, it } from "vitest";
import { customersLayout, panelState, validateCustomerSearch } from "./panel";

describe("customer detail as a side panel", () => {
  it("opens beside the list on a desktop when it came from the list", () => {
    expect(customersLayout({ detailOpen: true, isMobile: false, fromList: true })).toBe("panel");
  });

  it("is the full page on a phone and on a direct load (a shared link, another page's link)", () => {
    expect(customersLayout({ detailOpen: true, isMobile: true, fromList: true })).toBe("detail");
    expect(customersLayout({ detailOpen: true, isMobile: false, fromList: false })).toBe("detail");
    expect(customersLayout({ detailOpen: false, isMobile: false, fromList: true })).toBe("list");
  });

  it("marks the history entry only on a desktop", () => {
    expect(panelState(false)).toEqual({ customerPanel: true });
    expect(panelState(true)).toEqual({});
  });

  it("keeps the list's filters in the URL and drops bad ones", () => {
    expect(validateCustomerSearch({ status: "isolated", billingDate: "5", page: "2", q: " ani " })).toEqual({
      q: "ani",
      status: "isolated",
      packageId: undefined,
      ownerId: undefined,
      billingDate: 5,
      sort: undefined,
      page: 2,
    });
    expect(validateCustomerSearch({ status: "x", billingDate: "31", sort: "drop" })).toMatchObject({ status: undefined, billingDate: undefined, sort: undefined });
  });
});
