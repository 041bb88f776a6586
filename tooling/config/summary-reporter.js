/**
 * A vitest reporter that ends the run with one plain line, `Summary: N passed, N failed`,
 * so CI logs state the outcome in a runner-neutral form.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { reporters: ["default", "./tooling/config/summary-reporter.js"] } });
 */
export default class SummaryReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    failed += unhandledErrors.length;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    process.stdout.write(`\nSummary: ${passed} passed, ${failed} failed${tail}\n`);
  }
}
