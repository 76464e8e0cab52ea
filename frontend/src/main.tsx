import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { SplashScreen } from "@/components/layout/SplashScreen";
import { hideSplash, useSplashVisible } from "@/components/layout/splash-state";
import { createRoot } from "react-dom/client";
import { onSessionExpired } from "@/lib/api";
import { ThemeProvider } from "@/lib/theme";
import { cn } from "@/lib/utils";
import { preloadCurrentRouteChunks, preloadCurrentRouteData, queryClient, router } from "./router";
import "./index.css";

// A refresh that definitely failed ends the session everywhere: drop cached data, go to /login.
onSessionExpired(() => {
  queryClient.clear();
  if (router.state.location.pathname !== "/login") {
    router.navigate({ to: "/login", search: { redirect: router.state.location.href } });
  }
});

preloadCurrentRouteChunks();
preloadCurrentRouteData();

/** Every app open: the 3 s splash (spec "Splash Screen"), over the page that loads beneath it. A customer opening a
 * receipt link gets the receipt at once (splash-state.ts). */
function AppSplash() {
  return useSplashVisible() ? <SplashScreen onDone={hideSplash} /> : null;
}

// tailwind-merge builds its class map on the first cn() call (~80 ms on a 4x-throttled CPU): as a task of its own
// once the splash has painted (two frames on), not inside the first page's render (one long task with it).
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => cn("p-0 p-1"))));

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <AppSplash />
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>,
);
