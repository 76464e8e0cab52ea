import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, getRefreshToken, hasSession, login, logout, unwrap } from "@/lib/api";
import type { MeUpdate, User } from "@/lib/api-types";

export const meQueryOptions = () =>
  queryOptions({
    queryKey: ["auth", "me"] as const,
    queryFn: async () => (await unwrap(api.GET("/api/auth/me"))) as User,
    staleTime: 5 * 60 * 1000,
  });

/** The signed-in user, or null. Used by route guards (`_auth` and `/login`). */
export async function loadCurrentUser(queryClient: QueryClient): Promise<User | null> {
  if (!hasSession()) return null;
  try {
    return await queryClient.ensureQueryData(meQueryOptions());
  } catch {
    if (!getRefreshToken()) queryClient.removeQueries({ queryKey: ["auth", "me"] });
    return null;
  }
}

export function useLoginMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { username: string; password: string; remember: boolean }) =>
      login(v.username, v.password, v.remember),
    onSuccess: (user) => {
      queryClient.clear();
      queryClient.setQueryData(meQueryOptions().queryKey, user);
    },
  });
}

/** Revokes the refresh token; the caller navigates away and then clears the cache. */
export function useLogoutMutation() {
  return useMutation({ mutationFn: logout });
}

export function useUpdateMeMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: MeUpdate) => (await unwrap(api.PATCH("/api/auth/me", { body }))) as User,
    onSuccess: (user) => queryClient.setQueryData(meQueryOptions().queryKey, user),
  });
}
