import {
  Building2,
  LayoutDashboard,
  MessageCircle,
  Package,
  Receipt,
  Settings,
  UserRound,
  Users,
  Wallet,
  Landmark,
  type LucideIcon,
} from "lucide-react";
import type { Role } from "./api-types";

export type NavItem = {
  to: string;
  label: string;
  icon: LucideIcon;
  /** Roles that see the item; omitted = every role. */
  roles?: Role[];
};

/** Sidebar order. The same list drives the role filter, so a menu item never leaks. */
export const NAV_ITEMS: NavItem[] = [
  { to: "/", label: "Dashboard", icon: LayoutDashboard },
  { to: "/customers", label: "Pelanggan", icon: Users },
  { to: "/invoices", label: "Tagihan", icon: Receipt },
  { to: "/finance", label: "Keuangan", icon: Wallet },
  { to: "/whatsapp", label: "WhatsApp", icon: MessageCircle },
  { to: "/admin/mitra", label: "Mitra", icon: Building2, roles: ["superadmin"] },
  { to: "/admin/packages", label: "Paket", icon: Package, roles: ["superadmin"] },
  { to: "/admin/finance", label: "Keuangan Admin", icon: Landmark, roles: ["superadmin"] },
  { to: "/admin/settings", label: "Pengaturan", icon: Settings, roles: ["superadmin"] },
  { to: "/profile", label: "Profil", icon: UserRound },
];

/** Mobile bottom bar: always these five, for every role. */
export const BOTTOM_NAV_PATHS = ["/", "/customers", "/invoices", "/whatsapp", "/profile"] as const;

export function navItemsFor(role: Role | undefined): NavItem[] {
  if (!role) return [];
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(role));
}

export function bottomNavItems(): NavItem[] {
  return BOTTOM_NAV_PATHS.map((p) => NAV_ITEMS.find((i) => i.to === p)!);
}

/** Items the mobile "more" area should offer beyond the bottom bar (e.g. admin pages). */
export function extraMobileItems(role: Role | undefined): NavItem[] {
  const bottom = new Set<string>(BOTTOM_NAV_PATHS);
  return navItemsFor(role).filter((i) => !bottom.has(i.to));
}

export function isActivePath(current: string, to: string): boolean {
  if (to === "/") return current === "/";
  return current === to || current.startsWith(`${to}/`);
}
