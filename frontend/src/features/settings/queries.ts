import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { brandingQueryOptions } from "@/features/branding/queries";
import { api, unwrap } from "@/lib/api";
import type { paths } from "@/lib/api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer A } } ? Json<A> : never;

export type Settings = Required<Ok<paths["/api/settings"]["get"]>>;
export type SettingKey = keyof Settings;
export type SettingsPatch = Partial<Record<SettingKey, string>>;
export type UploadTarget = "logo" | "splash" | "favicon";
export type UploadResult = Required<Ok<paths["/api/settings/upload-logo"]["post"]>>;

export type Certificate = Ok<paths["/api/settings/certificate"]["get"]>;

/** The certificate nginx serves for the domain (read from the certs volume by the API; README, "TLS"). */
export const certificateQueryOptions = () =>
  queryOptions({
    queryKey: ["settings", "certificate"] as const,
    queryFn: async () => (await unwrap(api.GET("/api/settings/certificate"))) as Certificate,
  });

export const settingsQueryOptions = () =>
  queryOptions({
    queryKey: ["settings", "all"] as const,
    queryFn: async () => (await unwrap(api.GET("/api/settings"))) as Settings,
  });

/** Branding is what the splash, header and login read: refresh it so a change shows at once. */
function refreshBranding(queryClient: ReturnType<typeof useQueryClient>) {
  return queryClient.invalidateQueries({ queryKey: brandingQueryOptions().queryKey });
}

export function useSaveSettingsMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (patch: SettingsPatch) =>
      (await unwrap(api.PATCH("/api/settings", { body: patch as never }))) as Settings,
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQueryOptions().queryKey, saved);
      return refreshBranding(queryClient);
    },
  });
}

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
export const UPLOAD_TYPES = ["image/png", "image/jpeg", "image/webp"];

export function useUploadLogoMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, target }: { file: File; target: UploadTarget }) => {
      const form = new FormData();
      form.append("file", file, file.name);
      form.append("target", target);
      return (await unwrap(
        api.POST("/api/settings/upload-logo", {
          // The generated body type says `string` (binary); the real body is this FormData.
          body: { file: file as unknown as string, target },
          bodySerializer: () => form,
        }),
      )) as UploadResult;
    },
    onSuccess: (res) => {
      // The server already points the setting at the new file.
      queryClient.setQueryData(settingsQueryOptions().queryKey, (old) =>
        old ? { ...old, [res.setting]: res.url } : old,
      );
      return refreshBranding(queryClient);
    },
  });
}
