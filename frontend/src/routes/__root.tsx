import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, Link, Outlet } from "@tanstack/react-router";
import { useCallback, useEffect, useState } from "react";
import { EmptyState } from "@/components/common/EmptyState";
import { AppBanners } from "@/components/layout/AppBanners";
import { SplashScreen } from "@/components/layout/SplashScreen";
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
  // A customer opening a receipt link wants the receipt at once, not the app's 3 s splash.
  const [splash, setSplash] = useState(() => !window.location.pathname.startsWith("/receipt/"));
  const hideSplash = useCallback(() => setSplash(false), []);
  useBrandingHead();

  return (
    <>
      <AppBanners />
      {/* The route renders (and fetches) beneath the splash so the app is ready when it fades. */}
      <div aria-hidden={splash || undefined}>
        <Outlet />
      </div>
      {splash && <SplashScreen onDone={hideSplash} />}
      <Toaster position="top-center" richColors closeButton />
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
