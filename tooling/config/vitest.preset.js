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
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...(extra.test ?? {}),
    },
  });
}
