import { Link, Outlet, useMatches } from "@tanstack/react-router";
import { Logo } from "@/components/common/Logo";
import { useBranding } from "@/features/branding/queries";
import { useDeferredMount, useIdleMount } from "@/hooks/use-deferred-mount";
import { useIsMobile } from "@/hooks/use-is-mobile";
import { useLocalStorage } from "@/hooks/use-local-storage";
import { useSwipeBack } from "@/hooks/use-swipe-back";
import type { User } from "@/lib/api-types";
import { cn } from "@/lib/utils";
import { InstallPrompt } from "@/components/common/InstallPrompt";
import { NotificationBell } from "@/features/notifications/NotificationBell";
import { HeaderSearch, MobileSearchButton } from "@/features/search/HeaderSearch";
import { BottomNav } from "./BottomNav";
import { Sidebar } from "./Sidebar";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";

function usePageTitle(): string {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const title = matches[i]!.staticData?.title;
    if (title) return title;
  }
  return "FiberNode";
}

/** Protected shell: sidebar + sticky header on desktop, compact header + bottom nav on mobile. */
export function AppLayout({ user }: { user: User }) {
  const [collapsed, setCollapsed] = useLocalStorage("fibernode:sidebar-collapsed", false);
  const title = usePageTitle();
  const { appName, logoUrl } = useBranding();
  useSwipeBack();
  // The headers' title first; their buttons (search, notifications with their sheets and menus), the page, the sidebar
  // and the bottom bar (fixed: they move nothing when they appear) and the install prompt in a background render
  // right after (interruptible, in slices), so the app's start is not one long task on a slow phone. The header's
  // first render was a ~240 ms task on a 4x-throttled CPU, most of it those buttons' dialogs, menus and queries.
  const ready = useDeferredMount();
  // The header's buttons (search, notifications, theme, user menu: dialogs, menus and their queries) once the main
  // thread is idle, in a commit of their own instead of the page's (under the splash, on a slow phone).
  const buttons = useIdleMount();
  // One of the two headers (and the sidebar or the bottom bar) is hidden at any width: only the shown one is
  // rendered, not both (the CSS still hides the other, should a width change outrun React).
  const isMobile = useIsMobile();

  return (
    <div className="min-h-dvh">
      {ready && !isMobile ? <Sidebar role={user.role} collapsed={collapsed} onToggle={() => setCollapsed(!collapsed)} /> : null}
      <div className={cn("flex min-h-dvh flex-col transition-[padding] duration-200", collapsed ? "md:pl-16" : "md:pl-[260px]")}>
        {/* Desktop header */}
        {isMobile ? null : (
          <header className="bg-background/85 sticky top-0 z-30 hidden h-16 items-center gap-3 border-b px-6 backdrop-blur md:flex">
            <h1 className="truncate text-lg font-semibold" data-testid="page-title">
              {title}
            </h1>
            {buttons ? (
              <>
                <HeaderSearch className="ml-auto" />
                <div className="flex items-center gap-1">
                  <NotificationBell />
                  <ThemeToggle />
                  <UserMenu user={user} />
                </div>
              </>
            ) : null}
          </header>
        )}
        {/* Mobile header */}
        {isMobile ? (
          <header className="bg-background/85 sticky top-0 z-30 flex h-14 items-center gap-2 border-b px-3 backdrop-blur md:hidden">
            <Link to="/" className="flex min-w-0 items-center gap-2">
              <Logo src={logoUrl} alt={appName} className="size-7 shrink-0" />
              <span className="truncate font-semibold">{title}</span>
            </Link>
            <div className="ml-auto flex items-center">
              {buttons ? (
                <>
                  <MobileSearchButton />
                  <NotificationBell />
                  <ThemeToggle />
                  <UserMenu user={user} />
                </>
              ) : null}
            </div>
          </header>
        ) : null}
        <main className="mx-auto w-full max-w-[1440px] flex-1 px-4 pt-4 pb-[calc(5.5rem+env(safe-area-inset-bottom))] md:px-6 md:pt-6 md:pb-10">
          {ready ? <Outlet /> : null}
        </main>
      </div>
      {ready ? (
        <>
          {isMobile ? <BottomNav /> : null}
          <InstallPrompt />
        </>
      ) : null}
    </div>
  );
}
