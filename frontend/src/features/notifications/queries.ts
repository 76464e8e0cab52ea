import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { paths } from "@/lib/api-schema";

type List = NonNullable<paths["/api/notifications"]["get"]["responses"][200]["content"]["application/json"]>;
type Item = NonNullable<List["items"]>[number];
export type AppNotification = Required<Omit<Item, "link" | "download">> & {
  link: { to: string; search: Record<string, unknown> };
  download: { url: string; filename: string | null } | null;
};
export type NotificationList = {
  items: AppNotification[];
  unreadCount: number;
};

export const notificationKeys = { all: ["notifications"] as const };

/** Polled every minute (and on focus); WhatsApp pushes invalidate it sooner (see NotificationBell). */
export const notificationsQueryOptions = () =>
  queryOptions({
    queryKey: notificationKeys.all,
    queryFn: async () => (await unwrap(api.GET("/api/notifications"))) as NotificationList,
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });

/** Mark some notifications (`ids`) or all of them read; the answer is the fresh list. */
export function useMarkReadMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (v: { ids: string[] } | { all: true }) =>
      (await unwrap(api.POST("/api/notifications/read", { body: v }))) as NotificationList,
    onMutate: async (v) => {
      // The badge clears at once; the server's answer replaces the guess.
      await queryClient.cancelQueries({ queryKey: notificationKeys.all });
      const before = queryClient.getQueryData<NotificationList>(notificationKeys.all);
      if (before) {
        const marked = (n: AppNotification) => ("all" in v ? true : v.ids.includes(n.id));
        const items = before.items.map((n) => (marked(n) ? { ...n, read: true } : n));
        queryClient.setQueryData<NotificationList>(notificationKeys.all, {
          items,
          unreadCount: items.filter((n) => !n.read).length,
        });
      }
      return { before };
    },
    onError: (_e, _v, context) => {
      if (context?.before) queryClient.setQueryData(notificationKeys.all, context.before);
    },
    onSuccess: (fresh) => queryClient.setQueryData(notificationKeys.all, fresh),
  });
}
