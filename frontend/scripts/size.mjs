#!/usr/bin/env node
/**
 * The first load's JavaScript: the entry script of dist/index.html and every chunk it modulepreloads, each
 * gzipped (level 9, what scripts/compress.mjs writes beside it and the servers send) and brotli'd. This is what a
 * phone downloads before anything paints; route chunks (the dashboard's, the customers' ...) come later, only
 * where they are opened.
 *
 *   node scripts/size.mjs            # a table, then "initial JS: N KB gzip (M KB brotli, R KB raw)"
 *   node scripts/size.mjs --json     # {"files": [...], "gzip": bytes, "brotli": bytes, "raw": bytes, "css": {...}}
 *
 * bench/bench_frontend.py runs it after `npm run build` and prints the budget line.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = path.resolve(fileURLToPath(new URL("..", import.meta.url)), process.env.DIST_DIR ?? "dist");

/** The same-origin scripts and stylesheets index.html makes the browser fetch before the app runs. */
export function initialAssets(html) {
  const js = new Set();
  const css = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const url = /\b(?:src|href)="(\/[^"]+)"/.exec(tag)?.[1];
    if (!url) continue;
    if (tag.startsWith("<script") && /type="module"/.test(tag) && url.endsWith(".js")) js.add(url);
    else if (/rel="modulepreload"/.test(tag)) js.add(url);
    else if (/rel="stylesheet"/.test(tag)) css.add(url);
  }
  return { js: [...js], css: [...css] };
}

function measure(url) {
  const raw = readFileSync(path.join(dist, url));
  return {
    file: url,
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const sum = (files, key) => files.reduce((total, f) => total + f[key], 0);

const html = readFileSync(path.join(dist, "index.html"), "utf8");
const { js, css } = initialAssets(html);
if (js.length === 0) {
  console.error(`no entry script in ${path.join(dist, "index.html")}: run npm run build`);
  process.exit(1);
}
const files = js.map(measure);
const styles = css.map(measure);
const report = {
  files,
  raw: sum(files, "raw"),
  gzip: sum(files, "gzip"),
  brotli: sum(files, "brotli"),
  css: { files: styles, raw: sum(styles, "raw"), gzip: sum(styles, "gzip"), brotli: sum(styles, "brotli") },
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  console.log(`${"raw KB".padStart(7)} ${"gzip KB".padStart(7)} ${"br KB".padStart(7)}  file`);
  for (const f of [...files].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`${kb(f.raw)} ${kb(f.gzip)} ${kb(f.brotli)}  ${f.file}`);
  }
  console.log(
    `initial JS: ${(report.gzip / 1024).toFixed(1)} KB gzip (${(report.brotli / 1024).toFixed(1)} KB brotli, ` +
      `${(report.raw / 1024).toFixed(1)} KB raw) in ${files.length} files; ` +
      `CSS ${(report.css.gzip / 1024).toFixed(1)} KB gzip`,
  );
}
