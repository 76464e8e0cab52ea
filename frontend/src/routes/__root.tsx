import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, Link, Outlet } from "@tanstack/react-router";
import { useEffect } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { AppBanners } from "@/components/layout/AppBanners";
import { useSplashVisible } from "@/components/layout/splash-state";
import { useIdleMount } from "@/hooks/use-deferred-mount";
import { Button } from "@/components/ui/button";
import { Toaster } from "@/components/ui/sonner";
import { useBranding } from "@/features/branding/queries";
import { Compass } from "lucide-react";

export const Route = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: RootComponent,
  notFoundComponent: NotFound,
});

/** Applies the superadmin's favicon and meta description from settings. */
function useBrandingHead() {
  const { raw, appName } = useBranding();
  useEffect(() => {
    document.title = appName;
    if (raw?.favicon_url) {
      const link = document.querySelector<HTMLLinkElement>("link[rel=icon]");
      if (link) link.href = raw.favicon_url;
    }
    if (raw?.meta_description) {
      document.querySelector('meta[name="description"]')?.setAttribute("content", raw.meta_description);
    }
  }, [raw, appName]);
}

function RootComponent() {
  // The splash itself is drawn by the app shell (main.tsx), so it paints before this route has loaded.
  const splash = useSplashVisible();
  useBrandingHead();
  // The toaster once the main thread is first idle, in a commit of its own: nothing toasts before the first page is
  // up (and a toast called earlier is shown when it mounts), and its first render and layout effects were part of
  // the app start's long task.
  const ready = useIdleMount();

  return (
    <>
      <AppBanners />
      {/* The route renders (and fetches) beneath the splash so the app is ready when it fades. */}
      <div aria-hidden={splash || undefined}>
        <Outlet />
      </div>
      {ready ? <Toaster position="top-center" richColors closeButton /> : null}
    </>
  );
}

function NotFound() {
  return (
    <div className="flex min-h-dvh items-center justify-center p-6">
      <EmptyState
        icon={Compass}
        title="Halaman tidak ditemukan"
        description="Alamat yang Anda buka tidak ada atau sudah dipindahkan."
        action={
          <Button asChild>
            <Link to="/">Kembali ke Dashboard</Link>
          </Button>
        }
      />
    </div>
  );
}
