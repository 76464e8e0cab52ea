import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { ApiError, api, getRefreshToken, hasSession, login, logout, readWithSession, saveWithSession, unwrap } from "@/lib/api";
import { rememberCacheUser } from "@/lib/api-cache-user";
import type { MeUpdate, User } from "@/lib/api-types";

// Last known user, so an operator opening the app offline still gets the cached pages
// (the service worker serves the last API data) instead of a login form they cannot submit.
const LAST_USER_KEY = "fibernode:lastUser";

function lastKnownUser(): User | null {
  try {
    const raw = readWithSession(LAST_USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

export const meQueryOptions = () =>
  queryOptions({
    queryKey: ["auth", "me"] as const,
    queryFn: async () => {
      const user = (await unwrap(api.GET("/api/auth/me"))) as User;
      saveWithSession(LAST_USER_KEY, JSON.stringify(user));
      await rememberCacheUser(user.id); // the service worker's API cache is per user
      return user;
    },
    staleTime: 5 * 60 * 1000,
  });

/** The signed-in user, or null. Used by route guards (`_auth` and `/login`). */
export async function loadCurrentUser(queryClient: QueryClient): Promise<User | null> {
  if (!hasSession()) return null;
  try {
    return await queryClient.ensureQueryData(meQueryOptions());
  } catch (e) {
    const offline = e instanceof ApiError && e.status === 0;
    const cached = offline && getRefreshToken() ? lastKnownUser() : null;
    if (cached) {
      queryClient.setQueryData(meQueryOptions().queryKey, cached);
      return cached;
    }
    if (!getRefreshToken()) queryClient.removeQueries({ queryKey: ["auth", "me"] });
    return null;
  }
}

export function useLoginMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { username: string; password: string; remember: boolean }) =>
      login(v.username, v.password, v.remember),
    onSuccess: ({ user }) => {
      queryClient.clear();
      saveWithSession(LAST_USER_KEY, JSON.stringify(user));
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
    onSuccess: (user) => {
      saveWithSession(LAST_USER_KEY, JSON.stringify(user));
      queryClient.setQueryData(meQueryOptions().queryKey, user);
    },
  });
}
