// Fail when src/lib/api-schema.d.ts is stale relative to openapi.json (CI guard).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "fibernode-api-"));
const out = path.join(dir, "api-schema.d.ts");
try {
  execFileSync(path.join(root, "node_modules/.bin/openapi-typescript"), ["openapi.json", "--default-non-nullable", "false", "-o", out], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const fresh = readFileSync(out, "utf8");
  const committed = readFileSync(path.join(root, "src/lib/api-schema.d.ts"), "utf8");
  if (fresh !== committed) {
    console.error("src/lib/api-schema.d.ts is out of date: run `npm run gen:api` and commit it.");
    process.exit(1);
  }
  console.log("api-schema.d.ts is up to date.");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
