/** What `docs-check` checks, and how. Paths and patterns are relative to the repository root. */
export interface DocsCheckConfig {
  /** Folders (a `*` matches one name) whose packages' JSDoc `@example`s are type-checked. */
  packages: string[];
  /** Markdown files whose code blocks are checked. */
  readmes: string[];
  /** The folder a README's snippets are type-checked from, when not the README's own folder. */
  readmeContexts: Record<string, string>;
  /**
   * Folders left out of both checks (their JSDoc and their README); naming one on the command
   * line (`pnpm docs:check packages/foo`) checks it anyway.
   */
  skip: string[];
  /** Export conditions used to resolve workspace packages (to their TypeScript source). */
  conditions: string[];
  /** Modules a snippet gets as a namespace when it uses the name: `{ z: "zod" }`. */
  namespaces: Record<string, string>;
  /** Named imports a snippet gets when it uses the name: `{ expect: "vitest" }`. */
  imports: Record<string, string>;
  /**
   * Names a snippet may use without declaring them, and their types: short examples such as
   * `app.use(timing())` type-check against `declare const app: McpForgeApp`.
   */
  preamble: Record<string, string>;
}

const core = (name: string) => `import("@mcpforge/core").${name}`;

/** The repository's configuration. */
export const config: DocsCheckConfig = {
  packages: ["packages/*"],
  readmes: ["README.md", "packages/*/README.md", "apps/*/README.md", "docs/*.md"],
  readmeContexts: {
    "README.md": "packages/core",
    "docs/first-server.md": "packages/core",
    "docs/fastmcp.md": "packages/core",
    "docs/scaling-out.md": "packages/core",
  },
  skip: [],
  conditions: ["@mcpforge/source"],
  namespaces: { z: "zod" },
  imports: Object.fromEntries(
    [
      "describe",
      "it",
      "test",
      "expect",
      "vi",
      "beforeAll",
      "afterAll",
      "beforeEach",
      "afterEach",
    ].map((name) => [name, "vitest"]),
  ),
  preamble: {
    app: core("McpForgeApp"),
    ctx: core("Context"),
    next: core("Next"),
    logger: core("ServerLogger"),
    req: 'import("node:http").IncomingMessage',
    res: 'import("node:http").ServerResponse',
    signal: "AbortSignal",
  },
};
