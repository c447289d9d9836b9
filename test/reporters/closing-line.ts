import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain closing line after Vitest's own summary — "unit: 4609 passed, 0 failed, 3 skipped" —
 * the form CI reads to know how many tests ran (Vitest's "Tests  712 passed (712)" is not one it reads).
 * The label is the run's name: `unit` or `browser`.
 */
export default class ClosingLine implements Reporter {
  private readonly label: string;

  constructor(options: { label?: string } = {}) {
    this.label = options.label ?? "tests";
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") count.passed++;
        else if (state === "failed") count.failed++;
        else count.skipped++;
      }
      // A file that failed to load has no tests to count, and is a failure all the same.
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) count.failed++;
    }
    const skipped = count.skipped > 0 ? `, ${count.skipped} skipped` : "";
    console.log(`\n${this.label}: ${count.passed} passed, ${count.failed} failed${skipped}`);
  }
}
