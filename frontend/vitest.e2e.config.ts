import { defineConfig } from "vitest/config";

// Browser tests drive a real Chromium (playwright-core) against E2E_BASE_URL.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts", "e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
