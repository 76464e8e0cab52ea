import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { onSessionExpired } from "@/lib/api";
import { ThemeProvider } from "@/lib/theme";
import { preloadCurrentRouteChunks, queryClient, router } from "./router";
import "./index.css";

// A refresh that definitely failed ends the session everywhere: drop cached data, go to /login.
onSessionExpired(() => {
  queryClient.clear();
  if (router.state.location.pathname !== "/login") {
    router.navigate({ to: "/login", search: { redirect: router.state.location.href } });
  }
});

preloadCurrentRouteChunks();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>,
);
