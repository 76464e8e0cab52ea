import { Link, useRouterState } from "@tanstack/react-router";
import { PanelLeftClose, PanelLeftOpen } from "lucide-react";
import { Logo } from "@/components/common/Logo";
import { useBranding } from "@/features/branding/queries";
import type { Role } from "@/lib/api-types";
import { isActivePath, navItemsFor } from "@/lib/nav";
import { cn } from "@/lib/utils";

type Props = { role: Role; collapsed: boolean; onToggle: () => void };

/** Desktop navigation: 260 px, or 64 px icons-only when collapsed (remembered by the layout). */
export function Sidebar({ role, collapsed, onToggle }: Props) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const { appName, logoUrl } = useBranding();
  const items = navItemsFor(role);
  const adminStart = items.findIndex((i) => i.to.startsWith("/admin"));

  return (
    <aside
      data-testid="sidebar"
      data-collapsed={collapsed}
      className={cn(
        "bg-sidebar text-sidebar-foreground border-sidebar-border fixed inset-y-0 left-0 z-40 hidden flex-col border-r transition-[width] duration-200 md:flex",
        collapsed ? "w-16" : "w-[260px]",
      )}
    >
      <div className={cn("flex h-16 shrink-0 items-center gap-3 border-b px-4", collapsed && "justify-center px-0")}>
        <Logo src={logoUrl} alt={appName} className="size-8 shrink-0" />
        {!collapsed && <span className="truncate font-semibold">{appName}</span>}
      </div>
      <nav className="flex-1 space-y-1 overflow-y-auto p-2" aria-label="Menu utama">
        {items.map((item, i) => {
          const active = isActivePath(pathname, item.to);
          const Icon = item.icon;
          return (
            <div key={item.to}>
              {i === adminStart && adminStart > 0 && (
                <p className={cn("text-muted-foreground px-3 pt-4 pb-1 text-xs font-medium uppercase", collapsed && "sr-only")}>
                  Admin
                </p>
              )}
              <Link
                to={item.to}
                title={collapsed ? item.label : undefined}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex h-10 items-center gap-3 rounded-md px-3 text-sm font-medium transition-colors",
                  active ? "bg-primary/10 text-primary" : "text-muted-foreground hover:bg-muted hover:text-foreground",
                  collapsed && "justify-center px-0",
                )}
              >
                <Icon className="size-5 shrink-0" />
                {!collapsed && <span className="truncate">{item.label}</span>}
              </Link>
            </div>
          );
        })}
      </nav>
      <button
        type="button"
        onClick={onToggle}
        className={cn(
          "text-muted-foreground hover:text-foreground hover:bg-muted m-2 flex h-10 items-center gap-3 rounded-md px-3 text-sm",
          collapsed && "justify-center px-0",
        )}
        aria-label={collapsed ? "Lebarkan menu" : "Ciutkan menu"}
        data-testid="sidebar-toggle"
      >
        {collapsed ? <PanelLeftOpen className="size-5" /> : <PanelLeftClose className="size-5" />}
        {!collapsed && <span>Ciutkan menu</span>}
      </button>
    </aside>
  );
}
