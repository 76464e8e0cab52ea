import { describe, expect, it } from "vitest";
import { bottomNavItems, extraMobileItems, isActivePath, navItemsFor } from "./nav";

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe("role-based menu", () => {
  it("gives superadmin the admin pages", () => {
    expect(labels(navItemsFor("superadmin"))).toEqual([
      "Dashboard",
      "Pelanggan",
      "Tagihan",
      "Keuangan",
      "WhatsApp",
      "Mitra",
      "Paket",
      "Keuangan Admin",
      "Pengaturan",
      "Profil",
    ]);
  });

  it("hides every admin page from mitra", () => {
    const items = navItemsFor("mitra");
    expect(labels(items)).toEqual(["Dashboard", "Pelanggan", "Tagihan", "Keuangan", "WhatsApp", "Profil"]);
    expect(items.some((i) => i.to.startsWith("/admin"))).toBe(false);
  });

  it("shows nothing without a role", () => {
    expect(navItemsFor(undefined)).toEqual([]);
  });

  it("has exactly the five bottom items from the spec", () => {
    expect(labels(bottomNavItems())).toEqual(["Dashboard", "Pelanggan", "Tagihan", "WhatsApp", "Profil"]);
  });

  it("offers the rest of the menu on mobile per role", () => {
    expect(labels(extraMobileItems("mitra"))).toEqual(["Keuangan"]);
    expect(labels(extraMobileItems("superadmin"))).toEqual([
      "Keuangan",
      "Mitra",
      "Paket",
      "Keuangan Admin",
      "Pengaturan",
    ]);
  });

  it("matches nested paths but not the dashboard prefix", () => {
    expect(isActivePath("/customers/abc", "/customers")).toBe(true);
    expect(isActivePath("/customers", "/")).toBe(false);
    expect(isActivePath("/", "/")).toBe(true);
    expect(isActivePath("/admin/mitra", "/admin/packages")).toBe(false);
  });
});
