/** Versions the scaffolded project depends on (besides the `@mcpforge/*` packages). */
const VERSIONS = {
  zod: "^4.1.12",
  vitest: "^4.0.0",
  typescript: "^5.9.3",
  "@types/node": "^20.19.0",
};

/** Inputs of {@link projectFiles}. */
export interface ProjectSpec {
  /** npm package name of the project. */
  name: string;
  /** Dependency specs of `@mcpforge/core`, `@mcpforge/testing` and `@mcpforge/cli` (versions or `file:` tarballs). */
  forge: Record<"core" | "testing" | "cli", string>;
  /** Whether the `@mcpforge/*` specs are local tarballs (then pinned for nested dependencies too). */
  local: boolean;
}

function packageJson(spec: ProjectSpec): string {
  const pkg: Record<string, unknown> = {
    name: spec.name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20" },
    scripts: {
      start: "mcpforge run server.ts",
      dev: "mcpforge dev server.ts",
      inspect: "mcpforge inspect server.ts",
      check: "mcpforge check server.ts",
      test: "vitest run",
      typecheck: "tsc --noEmit",
    },
    dependencies: { "@mcpforge/core": spec.forge.core, zod: VERSIONS.zod },
    devDependencies: {
      "@mcpforge/cli": spec.forge.cli,
      "@mcpforge/testing": spec.forge.testing,
      "@types/node": VERSIONS["@types/node"],
      typescript: VERSIONS.typescript,
      vitest: VERSIONS.vitest,
    },
  };
  if (spec.local) {
    pkg.overrides = {
      "@mcpforge/core": spec.forge.core,
      "@mcpforge/testing": spec.forge.testing,
    };
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const SERVER = `import { createServer } from "@mcpforge/core";
import * as z from "zod";

/** The server: \`npx mcpforge run server.ts\` finds this default export and serves it. */
const app = createServer({ name: "__NAME__", version: "0.1.0" });

app.tool(
  "greet",
  {
    title: "Greet",
    description: "Greet someone by name.",
    input: {
      name: z.string().min(1).max(100).describe("Who to greet"),
    },
    annotations: { readOnlyHint: true },
  },
  ({ name }) => \`Hello, \${name}!\`,
);

app.tool(
  "add",
  {
    title: "Add",
    description: "Add two numbers.",
    input: {
      a: z.number().min(-1e9).max(1e9).describe("First number"),
      b: z.number().min(-1e9).max(1e9).describe("Second number"),
    },
    output: z.object({ sum: z.number() }),
    annotations: { readOnlyHint: true },
  },
  ({ a, b }) => ({ sum: a + b }),
);

export default app;
`;

const TEST = `import { checkServer, createTestClient } from "@mcpforge/testing";
import { expect, test } from "vitest";
import app from "./server.js";

test("greet says hello", async () => {
  await using client = await createTestClient(app);
  expect(await client.callTool("greet", { name: "Ada" })).toBe("Hello, Ada!");
});

test("add returns structured content", async () => {
  await using client = await createTestClient(app);
  expect(await client.callTool("add", { a: 2, b: 3 })).toEqual({ sum: 5 });
});

test("the quality checker finds nothing", async () => {
  const report = await checkServer(app, { source: "server.ts" });
  expect(report.findings).toEqual([]);
});
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2023", "ESNext.Disposable"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
    },
    include: ["*.ts"],
  },
  null,
  2,
)}\n`;

const README = `# __NAME__

An MCP server built with [MCP Forge](https://www.npmjs.com/package/@mcpforge/core).

\`\`\`sh
npm test                         # vitest with @mcpforge/testing
npx mcpforge run server.ts       # serve over stdio
npx mcpforge run server.ts --transport http --port 3000
npx mcpforge dev server.ts       # restart on changes (the client stays connected)
npx mcpforge inspect server.ts   # what the server offers
npx mcpforge call server.ts greet name=Ada
npx mcpforge check server.ts     # the quality checker
npx mcpforge install claude-desktop server.ts
\`\`\`
`;

const GITIGNORE = "node_modules/\ndist/\n.env\n*.log\n";

/**
 * The files of a new project, by relative path.
 *
 * @example
 * const files = projectFiles({ name: "weather", forge: { core: "^0.1.0", testing: "^0.1.0", cli: "^0.1.0" }, local: false });
 */
export function projectFiles(spec: ProjectSpec): Record<string, string> {
  const named = (text: string) => text.replaceAll("__NAME__", spec.name);
  return {
    "package.json": packageJson(spec),
    "server.ts": named(SERVER),
    "server.test.ts": TEST,
    "tsconfig.json": TSCONFIG,
    "README.md": named(README),
    ".gitignore": GITIGNORE,
  };
}
