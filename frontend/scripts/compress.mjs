#!/usr/bin/env node
/**
 * Precompresses the build: beside every text file of dist/ (scripts, styles, the shell, the service worker, SVG,
 * the manifest) worth compressing, NAME.gz (gzip level 9) and NAME.br (brotli quality 11). Run by `npm run build`
 * after vite. The Flask app (api/app.py, what `make run` serves) and nginx (compose/nginx/default.conf,
 * gzip_static) send these as they are when the browser accepts gzip or br, so no request pays for compressing.
 *
 *   node scripts/compress.mjs [DIST]   # prints what it wrote; DIST defaults to frontend/dist
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/;
/** Below this a compressed copy saves less than its headers cost (nginx's gzip_min_length too). */
export const MIN_BYTES = 1024;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

export function compressDist(dist) {
  let raw = 0;
  let gz = 0;
  let br = 0;
  let count = 0;
  for (const file of walk(dist)) {
    if (!COMPRESSIBLE.test(file) || statSync(file).size < MIN_BYTES) continue;
    const data = readFileSync(file);
    const gzip = gzipSync(data, { level: 9 });
    const brotli = brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    // A copy no smaller than the original is not worth sending (the servers then send the original).
    if (gzip.length < data.length) writeFileSync(`${file}.gz`, gzip);
    if (brotli.length < data.length) writeFileSync(`${file}.br`, brotli);
    raw += data.length;
    gz += gzip.length;
    br += brotli.length;
    count += 1;
  }
  return { count, raw, gz, br };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(process.argv[2] ?? fileURLToPath(new URL("../dist", import.meta.url)));
  const { count, raw, gz, br } = compressDist(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`precompressed ${count} files in ${dist}: ${kb(raw)} -> ${kb(gz)} gzip, ${kb(br)} brotli`);
}
