import puppeteer from "puppeteer-core";
import fs from "node:fs";
import { SourceMapConsumer } from "source-map-js";
const base = process.argv[2];
const browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const page = await browser.newPage();
await page.setViewport({ width: 412, height: 823, isMobile: true, deviceScaleFactor: 1.75 });
await page.goto(`${base}/login`); await page.waitForSelector("#username", { visible: true });
await page.waitForFunction(() => !document.querySelector("[data-testid=splash]"), { timeout: 20000 });
await page.type("#username", "superadmin"); await page.type("#password", "Admin123!"); await page.click("#remember");
await Promise.all([page.waitForFunction(() => location.pathname === "/"), page.click("button[type=submit]")]);
const cdp = await page.createCDPSession();
await cdp.send("Network.clearBrowserCache");
await cdp.send("Storage.clearDataForOrigin", { origin: base, storageTypes: "service_workers,cache_storage" });
await page.goto("about:blank");
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
await cdp.send("Profiler.start");
await page.goto(`${base}/`);
await new Promise((r) => setTimeout(r, 12000));
const { profile } = await cdp.send("Profiler.stop");
await browser.close();
const maps = {};
function orig(url, line, col) {
  const m = /\/assets\/([^/?]+\.js)$/.exec(url); if (!m) return url || "(native)";
  const f = `dist/assets/${m[1]}.map`;
  if (!(f in maps)) maps[f] = fs.existsSync(f) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(f, "utf8"))) : null;
  if (!maps[f]) return m[1];
  const p = maps[f].originalPositionFor({ line: line + 1, column: col });
  return (p.source || m[1]).replace(/.*node_modules\//, "nm:") + (p.name ? ":" + p.name : "") + ":" + p.line;
}
const dt = {}; const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples.forEach((id, i) => { dt[id] = (dt[id] || 0) + (profile.timeDeltas[i] || 0); });
const byFn = {}, byFile = {};
for (const [id, t] of Object.entries(dt)) {
  const n = nodes.get(Number(id)); const cf = n.callFrame;
  const key = cf.url ? orig(cf.url, cf.lineNumber, cf.columnNumber) : cf.functionName || "(program)";
  byFn[key] = (byFn[key] || 0) + t;
  const file = key.split(":").slice(0, key.startsWith("nm:") ? 2 : 1).join(":");
  byFile[file] = (byFile[file] || 0) + t;
}
const top = (o, n) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms ${k}`).join("\n");
console.log(top(byFile, 30)); console.log("----"); console.log(top(byFn, 40));
