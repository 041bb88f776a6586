import { project } from "@mcpforge/config/vitest";

// examples/*.test.ts are the README's test examples: they run with the package's tests.
export default project("middleware", {
  test: { include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"] },
});
