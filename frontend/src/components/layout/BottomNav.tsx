import { Link, useRouterState } from "@tanstack/react-router";
import { bottomNavItems, isActivePath } from "@/lib/nav";
import { cn } from "@/lib/utils";

/** Mobile navigation: the spec's five items, for every role. */
export function BottomNav() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <nav
      data-testid="bottom-nav"
      aria-label="Navigasi bawah"
      className="bg-card/95 pb-safe fixed inset-x-0 bottom-0 z-40 border-t backdrop-blur md:hidden"
    >
      <ul className="grid h-16 grid-cols-5">
        {bottomNavItems().map((item) => {
          const active = isActivePath(pathname, item.to) || (item.to === "/profile" && pathname.startsWith("/admin"));
          const Icon = item.icon;
          return (
            <li key={item.to}>
              <Link
                to={item.to}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex h-full flex-col items-center justify-center gap-1 text-[11px] font-medium transition-colors",
                  active ? "text-primary" : "text-muted-foreground",
                )}
              >
                <span className={cn("flex h-7 w-12 items-center justify-center rounded-full transition-colors", active && "bg-primary/10")}>
                  <Icon className="size-5" />
                </span>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
