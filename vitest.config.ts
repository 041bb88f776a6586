import { defineConfig } from "vitest/config";

/** One vitest run for the whole workspace: each package and app is a project. */
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "tooling/*/vitest.config.ts",
    ],
    reporters: ["default", "./tooling/config/summary-reporter.js"],
  },
});
