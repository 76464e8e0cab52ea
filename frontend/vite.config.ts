import { readFileSync } from "node:fs";
import path from "node:path";
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};
// CI injects the released version; local builds fall back to package.json.
process.env.VITE_APP_VERSION ??= pkg.version;

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
        name: "FiberNode Internet",
        short_name: "FiberNode",
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
            // Last good API data stays readable offline. Auth calls, job polls and export files are never
            // cached: they are per-user, short-lived, and downloads can be large. Nor is health: an old answer
            // would raise (or hide) a worker warning that no longer holds.
            urlPattern: ({ url, request }) =>
              request.method === "GET" &&
              url.pathname.startsWith("/api/") &&
              !["/api/auth/", "/api/jobs/", "/api/exports/", "/api/health"].some((prefix) => url.pathname.startsWith(prefix)),
            handler: "NetworkFirst",
            options: {
              cacheName: "api-get",
              networkTimeoutSeconds: 5,
              expiration: { maxEntries: 200, maxAgeSeconds: 7 * 24 * 60 * 60 },
              cacheableResponse: { statuses: [200] },
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
  build: { outDir: "dist", sourcemap: false },
});
