import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Package, PackageCreate, PackageList, PackageQuery, PackageUpdate } from "@/lib/api-types";

export const packageKeys = {
  all: ["packages"] as const,
  list: (q: PackageQuery) => ["packages", "list", q] as const,
};

export const packageListQueryOptions = (query: PackageQuery = {}) =>
  queryOptions({
    queryKey: packageKeys.list(query),
    queryFn: async () => (await unwrap(api.GET("/api/packages", { params: { query } }))) as PackageList,
  });

export function useSavePackageMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; body: PackageCreate }) =>
      (v.id
        ? unwrap(api.PATCH("/api/packages/{package_id}", { params: { path: { package_id: v.id } }, body: v.body satisfies PackageUpdate }))
        : unwrap(api.POST("/api/packages", { body: v.body }))) as Promise<Package>,
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: packageKeys.all });
      queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}

export function useSetPackageActiveMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      active
        ? unwrap(api.PATCH("/api/packages/{package_id}", { params: { path: { package_id: id } }, body: { isActive: true } }))
        : unwrap(api.DELETE("/api/packages/{package_id}", { params: { path: { package_id: id } } })),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: packageKeys.all });
      queryClient.invalidateQueries({ queryKey: ["dashboard"] });
    },
  });
}
