import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createRouter } from "@tanstack/react-router";
import { ApiError, hasSession, onStaleResponse } from "@/lib/api";
import { routeTree } from "./routeTree.gen";

export function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Client errors will not fix themselves; retry only network/server trouble.
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
}

export const queryClient = createQueryClient();

// Stale-while-revalidate: what the service worker painted from its cache is fetched again from the network
// (once, shortly after, for every query shown), unless the phone is offline.
let staleTimer: ReturnType<typeof setTimeout> | undefined;
onStaleResponse(() => {
  clearTimeout(staleTimer);
  staleTimer = setTimeout(() => {
    if (globalThis.navigator?.onLine !== false) void queryClient.invalidateQueries({ refetchType: "active" });
  }, 300);
});

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
});

/**
 * Start fetching the code of the page being opened at once, beside the session check of its `beforeLoad` (the
 * router asks for route chunks only after that resolves: one more round trip on every app start). Only the
 * routes of this URL: /login fetches no code of the pages behind login.
 */
export function preloadCurrentRouteChunks(): void {
  const [routes] = router.getMatchedRoutes(router.state.location.pathname);
  for (const route of routes) void router.loadRouteChunk(route)?.catch(() => {});
}

/**
 * A logged-in app start: the data of the page being opened (its routes' `staticData.prefetch`) is requested at once,
 * beside the session check, not after it and the page's code (the requests wait for the one token refresh and then
 * go together with GET /api/auth/me). The route's loader then finds it under way.
 */
export function preloadCurrentRouteData(): void {
  if (!hasSession()) return;
  const [routes] = router.getMatchedRoutes(router.state.location.pathname);
  for (const route of routes) void route.options.staticData?.prefetch?.(queryClient).catch(() => {});
}

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
  interface StaticDataRouteOption {
    /** Shown in the header. */
    title?: string;
    /** The page's first data, started at a logged-in app start (`preloadCurrentRouteData`). */
    prefetch?: (queryClient: QueryClient) => Promise<unknown>;
  }
}
