import { useState } from "react";
import { FALLBACK_LOGO } from "@/features/branding/queries";
import { assetUrl } from "@/lib/config";

/**
 * Branding logo that falls back to the bundled mark if the uploaded one fails to load; uploads are the API's.
 * The failure is remembered for that source only: a newly uploaded logo gets its own chance to load.
 */
export function Logo({ src, alt = "FiberNode", className }: { src?: string; alt?: string; className?: string }) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const failed = !!src && failedSrc === src;
  return (
    <img
      src={!src || failed ? FALLBACK_LOGO : assetUrl(src)}
      alt={alt}
      // Not cn(): the splash draws this in the first paint, before tailwind-merge is worth building (no caller
      // passes an object-* class).
      className={className ? `object-contain ${className}` : "object-contain"}
      onError={() => {
        if (src) setFailedSrc(src);
      }}
    />
  );
}
