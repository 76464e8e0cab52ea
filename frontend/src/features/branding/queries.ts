import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import type { Branding } from "@/lib/api-types";
import { APP_NAME } from "@/lib/config";

export const APP_VERSION: string = import.meta.env.VITE_APP_VERSION ?? "0.0.0";
export const FALLBACK_LOGO = "/logo.svg";

export const brandingQueryOptions = () =>
  queryOptions({
    queryKey: ["settings", "branding"] as const,
    queryFn: () => unwrap(api.GET("/api/settings/branding")),
    staleTime: 5 * 60 * 1000,
    retry: 1,
  });

export type ResolvedBranding = {
  appName: string;
  logoUrl: string;
  splashLogoUrl: string;
  splashBgColor: string | null;
  serverVersion: string | null;
  raw: Branding | undefined;
};

export function resolveBranding(b: Branding | undefined): ResolvedBranding {
  const logo = b?.logo_url || FALLBACK_LOGO;
  return {
    appName: b?.app_name || APP_NAME,
    logoUrl: logo,
    splashLogoUrl: b?.splash_logo_url || logo,
    splashBgColor: b?.splash_bg_color || null,
    serverVersion: b?.app_version || null,
    raw: b,
  };
}

/** Branding from settings with safe fallbacks, usable before the API answers (or offline). */
export function useBranding(): ResolvedBranding & { isLoading: boolean } {
  const q = useQuery(brandingQueryOptions());
  return { ...resolveBranding(q.data), isLoading: q.isLoading };
}
