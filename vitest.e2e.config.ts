import { defineConfig } from "vitest/config";

/** Browser tests: real Chromium against the production build in dist/. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    // Vitest's summary, then one plain line CI reads as the count of tests run.
    reporters: ["default", ["./test/reporters/closing-line.ts", { label: "browser" }]],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ["test/e2e/global-setup.ts"],
    // A lab's first change loads its simulator chunk; on a busy two-core machine that takes a moment.
    expect: { poll: { timeout: 10_000 } },
  },
});
