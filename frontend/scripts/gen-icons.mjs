// Render the PWA PNG icons from public/logo.svg (run after changing the logo: `npm run gen:icons`).
import { readFileSync } from "node:fs";
import sharp from "sharp";

const pub = new URL("../public/", import.meta.url);
const svg = readFileSync(new URL("logo.svg", pub));

for (const size of [192, 512]) {
  await sharp(svg, { density: 384 }).resize(size, size).png().toFile(new URL(`pwa-${size}x${size}.png`, pub).pathname);
}
await sharp(svg, { density: 384 }).resize(180, 180).flatten({ background: "#3B82F6" }).png().toFile(new URL("apple-touch-icon.png", pub).pathname);

// Maskable: the mark inside the 80 % safe zone on a full-bleed brand background.
const inner = await sharp(svg, { density: 384 }).resize(360, 360).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: "#3B82F6" } })
  .composite([{ input: inner, gravity: "center" }])
  .png()
  .toFile(new URL("maskable-512x512.png", pub).pathname);
console.log("icons written");
