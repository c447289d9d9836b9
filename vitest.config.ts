import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/{sim,machines,quiz,components,arch,cli,kernel,integrations}/**/*.test.ts"],
    environment: "node",
    // Vitest's summary, then one plain line CI reads as the count of tests run.
    reporters: ["default", ["./test/reporters/closing-line.ts", { label: "unit" }]],
    // The kernel suites start network namespaces and load rulesets; on a loaded 2-core machine one test
    // can take several seconds. A hung test still fails, after 30 s.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
