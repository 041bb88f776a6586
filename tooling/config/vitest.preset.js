import { defineProject } from "vitest/config";

/**
 * The shared vitest project preset: workspace packages resolve to their TypeScript
 * source through the `@mcpforge/source` export condition, so tests need no build.
 *
 * @example
 * // packages/foo/vitest.config.ts
 * import { project } from "@mcpforge/config/vitest";
 * export default project("foo");
 */
export function project(name, extra = {}) {
  return defineProject({
    resolve: { conditions: ["@mcpforge/source", "module", "node", "import", "default"] },
    ssr: {
      resolve: {
        conditions: ["@mcpforge/source", "module", "node", "import", "default"],
        externalConditions: ["@mcpforge/source"],
      },
    },
    ...extra,
    test: {
      name,
      // examples/*.test.ts: a README's test examples run with the package's own tests.
      include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...(extra.test ?? {}),
    },
  });
}
