import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
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

type ModuleInfo = { importers: readonly string[]; code: string | null };
type ModuleGraph = { getModuleInfo(id: string): ModuleInfo | null };

/** `import { a, b as c } from "pkg"` in a module's code: the names it takes from packages (not relative paths). */
function namesImportedFromPackages(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*["']([^"'.][^"']*)["']/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0]!.replace(/^type\s+/, "");
      if (name) names.add(name);
    }
  }
  return names;
}

/** What a package's barrel re-exports from the module `id` (`export { default as X } from "./icons/x.js"`,
 * `export * as Select from "@radix-ui/react-select"`, radix-ui's `import * as Select ...; export { Select }`), or null when it does not name it (it uses the module itself,
 * or `export *`). */
function reexportedNames(barrelId: string, barrelCode: string, id: string): Set<string> | null {
  const dir = path.dirname(barrelId.split("?")[0]!);
  const target = id.split("?")[0]!;
  const isTarget = (spec: string) =>
    spec.startsWith(".") ? path.resolve(dir, spec) === target : target.includes(`/node_modules/${spec}/`);
  let names: Set<string> | null = null;
  const add = (name: string | undefined) => {
    if (name) (names ??= new Set()).add(name);
  };
  for (const m of barrelCode.matchAll(/\bexport\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    if (isTarget(m[2]!)) for (const part of m[1]!.split(",")) add(part.trim().split(/\s+as\s+/).pop());
  }
  // `export * as X from "pkg"`, or `import * as X from "pkg"` and `export { X }` (radix-ui's index)
  for (const m of barrelCode.matchAll(/\b(?:export|import)\s*\*\s*as\s+([\w$]+)\s+from\s*["']([^"']+)["']/g)) {
    if (isTarget(m[2]!)) add(m[1]);
  }
  return names;
}

/**
 * Whether the route component modules matching `root` (the router plugin's `?tsr-split=component` modules) import
 * the module `id` statically, directly or through other modules. `exact`: a package barrel (lucide-react's index,
 * @tanstack/react-query's ...) counts only when the app code above it imports one of the names it re-exports from
 * the module; otherwise importing the barrel counts as importing all of it (fine for "is it the shell's", not for
 * "does /login need it").
 */
function importsStatically(root: RegExp, exact: boolean) {
  const memo = new Map<string, boolean>();
  const reaches = (graph: ModuleGraph, id: string, seen: Set<string>, wanted: Set<string> | null): boolean => {
    if (root.test(id)) return true;
    const key = wanted ? null : id;
    if (key && memo.has(key)) return memo.get(key)!;
    const visit = wanted ? `${id} ${[...wanted].join(",")}` : id;
    if (seen.has(visit)) return false;
    seen.add(visit);
    const info = graph.getModuleInfo(id);
    let found = false;
    for (const importer of info?.importers ?? []) {
      const importerInfo = graph.getModuleInfo(importer);
      if (wanted && !importer.includes("/node_modules/")) {
        // Past a barrel: this app module must take one of the names the barrel gives for the module below.
        const taken = namesImportedFromPackages(importerInfo?.code ?? "");
        if (![...wanted].some((n) => taken.has(n))) continue;
      }
      let next: Set<string> | null = null;
      if (exact && importer.includes("/node_modules/") && !wanted) next = reexportedNames(importer, importerInfo?.code ?? "", id);
      if (reaches(graph, importer, seen, next ?? (importer.includes("/node_modules/") ? wanted : null))) {
        found = true;
        break;
      }
    }
    if (key && found) memo.set(key, true);
    return found;
  };
  return (graph: ModuleGraph, id: string) => reaches(graph, id, new Set(), null);
}

const splitComponent = (route: string) => new RegExp(`[\\\\/]src[\\\\/]routes[\\\\/]${route}\\.tsx\\?tsr-split=component`);
const usedByLogin = importsStatically(splitComponent("login"), true);
const usedByReceipt = importsStatically(splitComponent("receipt\\.\\$token"), true);
const usedByShell = importsStatically(splitComponent("_auth(\\.index)?"), true);

/**
 * Writes into index.html which chunks a start on /login, on a receipt and on a page behind login needs besides the
 * entry (JSON in a <meta>: no inline script for the CSP), for public/theme-init.js to modulepreload while the entry downloads:
 * the router asks for them only once the entry has run, one more round trip before anything of the page paints.
 * `refresh`: the API is this origin, so theme-init.js may start a signed-in start's token refresh too.
 */
function routeChunksInHtml(): Plugin {
  let sameOriginApi = true;
  return {
    name: "fibernode-route-chunks",
    apply: "build",
    configResolved(config) {
      // theme-init.js starts a signed-in start's token refresh only when the API is this page's origin.
      sameOriginApi = !(config.env.VITE_API_URL ?? process.env.VITE_API_URL)?.trim();
    },
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const chunks = Object.values(ctx.bundle).filter((c) => c.type === "chunk");
        const closure = (name: string) => {
          const start = chunks.find((c) => c.name === name);
          const files = new Set<string>();
          const visit = (file: string) => {
            const chunk = chunks.find((c) => c.fileName === file);
            if (!chunk || chunk.isEntry || files.has(file)) return;
            files.add(file);
            chunk.imports.forEach(visit);
          };
          if (start) visit(start.fileName);
          return [...files].map((f) => `/${f}`);
        };
        const map = {
          login: closure("login-page"),
          receipt: closure("receipt-page"),
          app: closure("_auth-shell"),
          refresh: sameOriginApi,
        };
        const json = JSON.stringify(map).replaceAll("&", "&amp;").replaceAll('"', "&quot;");
        const block = `<meta name="fibernode-route-chunks" content="${json}" />\n    `;
        return html.replace(/<script src="\/theme-init\.js"><\/script>/, (tag) => block + tag);
      },
    },
  };
}

export default defineConfig({
  plugins: [
    routeChunksInHtml(),
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
            { name: "app", tags: ["$initial"], priority: 3 },
            // A logged-in start needs the shell (_auth) and the dashboard (_auth/): dozens of small chunks (icons,
            // dialogs, badges ...) were a request each, six at a time over HTTP/1.1, in front of the page's data.
            // What the public pages (/login, a receipt) use comes first, in one chunk per page, so they never fetch
            // the logged-in code; everything else the shell and the dashboard import is one chunk.
            {
              name: (id, graph) => (usedByLogin(graph, id) ? "login-page" : null),
              priority: 2,
            },
            {
              name: (id, graph) => (usedByReceipt(graph, id) ? "receipt-page" : null),
              priority: 2,
            },
            {
              name: (id, graph) => (usedByShell(graph, id) ? "_auth-shell" : null),
              priority: 1,
            },
          ],
        },
      },
    },
  },
});
