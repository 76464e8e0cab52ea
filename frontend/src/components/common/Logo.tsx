import { useState } from "react";
import { FALLBACK_LOGO } from "@/features/branding/queries";
import { assetUrl } from "@/lib/config";
import { cn } from "@/lib/utils";

/** Branding logo that falls back to the bundled mark if the uploaded one fails to load; uploads are the API's. */
export function Logo({ src, alt = "FiberNode", className }: { src?: string; alt?: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  return (
    <img
      src={!src || failed ? FALLBACK_LOGO : assetUrl(src)}
      alt={alt}
      className={cn("object-contain", className)}
      onError={() => setFailed(true)}
    />
  );
}
