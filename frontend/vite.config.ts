import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { apiCacheKey, isCacheableApiGet, staleOnFirstLoad } from "./src/lib/sw-api-cache";

/**
 * The build's version, by shared/version.py's rule so the PWA and the API agree: VITE_APP_VERSION (the release job
 * passes the tag's), else APP_VERSION, else the nearest v* tag (`git describe`: "1.4.0", or "1.4.0+3.gabc1234" past
 * it), else pyproject.toml's version (no tag yet, or a Docker build without git), else package.json's.
 */
function appVersion(): string {
  const given = process.env.VITE_APP_VERSION?.trim() || process.env.APP_VERSION?.trim();
  if (given) return given;
  const root = fileURLToPath(new URL("..", import.meta.url));
  try {
    const described = execFileSync("git", ["-C", root, "describe", "--tags", "--match", "v[0-9]*"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const m = /^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+?)?)(?:-(\d+)-(g[0-9a-f]+))?$/.exec(described);
    if (m) return m[2] ? `${m[1]}+${m[2]}.${m[3]}` : m[1];
  } catch {
    // no git, or no v* tag yet
  }
  try {
    const pyproject = readFileSync(path.join(root, "pyproject.toml"), "utf8");
    const m = /^\[project\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(pyproject);
    if (m) return m[1];
  } catch {
    // not in the repository (a frontend-only build context)
  }
  const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
process.env.VITE_APP_VERSION = appVersion();
// VITE_APP_NAME: the title (index.html's %VITE_APP_NAME%), the manifest and the app's fallbacks (src/lib/config.ts);
// VITE_API_URL / VITE_WS_URL are read by src/lib/config.ts as they are.
const appName = process.env.VITE_APP_NAME?.trim() || "FiberNode Internet";
process.env.VITE_APP_NAME = appName;
// The home-screen label (about 12 characters fit under an icon): the name's leading words that fit ("FiberNode").
const shortName = appName.split(/\s+/).reduce((label, word) => {
  const longer = label ? `${label} ${word}` : word;
  return longer.length <= 12 || !label ? longer.slice(0, 12) : label;
}, "");

const backend = process.env.VITE_BACKEND_URL ?? "http://localhost:8000";

export default defineConfig({
  plugins: [
    tanstackRouter({ target: "react", autoCodeSplitting: true }),
    react(),
    tailwindcss(),
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      includeAssets: ["logo.svg", "favicon.svg", "apple-touch-icon.png"],
      manifest: {
        name: appName,
        short_name: shortName,
        description: "Manajemen tagihan langganan WiFi",
        lang: "id",
        theme_color: "#3B82F6",
        background_color: "#3B82F6",
        display: "standalone",
        start_url: "/",
        scope: "/",
        icons: [
          { src: "/pwa-192x192.png", sizes: "192x192", type: "image/png" },
          { src: "/pwa-512x512.png", sizes: "512x512", type: "image/png" },
          { src: "/maskable-512x512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // "**/*.js" also precaches public/theme-init.js (the pre-paint theme script the shell loads), so an
        // offline start is painted in the remembered theme too (tests/api/test_static_shell.py checks sw.js).
        globPatterns: ["**/*.{js,css,html,svg,png,ico,woff2}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api/, /^\/socket\.io/, /^\/flower/],
        runtimeCaching: [
          {
            // The spec's stale-while-revalidate for API GETs (src/lib/sw-api-cache.ts): an app start paints the
            // last data at once and refetches; later requests of the page wait for the network; offline, the last
            // good data stays readable. Per-user keys; auth, refresh, job polls, receipts, exports and downloads,
            // health and the live WhatsApp state are never cached. The cache is emptied on logout and login.
            urlPattern: isCacheableApiGet,
            handler: "StaleWhileRevalidate",
            options: {
              cacheName: "api-get",
              expiration: { maxEntries: 200, maxAgeSeconds: 7 * 24 * 60 * 60 },
              cacheableResponse: { statuses: [200] },
              plugins: [{ cacheKeyWillBeUsed: apiCacheKey, cachedResponseWillBeUsed: staleOnFirstLoad }],
            },
          },
        ],
      },
    }),
  ],
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: true },
      "/socket.io": { target: backend, ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Everything the entry needs before it runs, in one file: a phone on a slow link pays a round trip per
            // request, and the entry had 13 of them (most under 2 KB). Route code stays in its own chunks.
            { name: "app", tags: ["$initial"] },
          ],
        },
      },
    },
  },
});
