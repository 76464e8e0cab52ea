import type { QueryClient } from "@tanstack/react-query";
import { healthQueryOptions } from "@/features/health/queries";
import { waLogsQueryOptions, waStatusQueryOptions } from "@/features/whatsapp/queries";
import { collectorTodayQueryOptions, dashboardStatsQueryOptions } from "./queries";

/** How long the dashboard's first paint waits for its data at most (the app-open splash covers 3 s anyway). */
export const FIRST_VIEW_WAIT_MS = 3000;

/**
 * The data of the dashboard's first view (its figures, the collector's day, and the WhatsApp/backup warnings above
 * them): the route's loader waits for it, so the page paints once, complete, instead of growing as each answer
 * arrives (the warnings came last and pushed everything down: a layout shift under the splash). main.tsx starts it
 * at app start beside the session check (router.tsx `preloadCurrentRouteData`). Cached data is used as it is (and
 * refetched when stale); a failed request is left to the page to show.
 */
export async function prefetchDashboard(queryClient: QueryClient): Promise<void> {
  const first = [
    dashboardStatsQueryOptions(),
    collectorTodayQueryOptions(),
    healthQueryOptions(),
    waStatusQueryOptions(),
    waLogsQueryOptions({ page: 1, perPage: 1 }),
  ].map((options) =>
    queryClient.ensureQueryData({ ...(options as Parameters<QueryClient["ensureQueryData"]>[0]), revalidateIfStale: true }).catch(() => undefined),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.all(first),
    new Promise((resolve) => {
      timer = setTimeout(resolve, FIRST_VIEW_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
}
