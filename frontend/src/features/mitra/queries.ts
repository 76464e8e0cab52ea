import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { User, UserCreate, UserList, UserQuery, UserUpdate } from "@/lib/api-types";

export const mitraKeys = {
  all: ["users"] as const,
  list: (q: UserQuery) => ["users", "list", q] as const,
};

export const mitraListQueryOptions = (query: UserQuery) =>
  queryOptions({
    queryKey: mitraKeys.list(query),
    queryFn: async () => (await unwrap(api.GET("/api/users", { params: { query } }))) as UserList,
    placeholderData: keepPreviousData,
  });

export function useSaveMitraMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; create?: UserCreate; update?: UserUpdate }) =>
      (v.id
        ? unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: v.id } }, body: v.update ?? {} }))
        : unwrap(api.POST("/api/users", { body: v.create! }))) as Promise<User>,
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: mitraKeys.all });
      queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

export function useDeactivateMitraMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/users/{user_id}", { params: { path: { user_id: id } } })),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: mitraKeys.all });
      queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

export function useActivateMitraMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.PATCH("/api/users/{user_id}", { params: { path: { user_id: id } }, body: { isActive: true } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mitraKeys.all }),
  });
}
