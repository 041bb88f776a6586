import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalog, importedPackages } from "../src/deps.js";
import { exampleKind } from "../src/examples-run.js";
import { publishedPackages } from "../src/packages.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const require = createRequire(import.meta.url);

describe("the pnpm beforePacking hook (.pnpmfile.cjs)", () => {
  const { hooks } = require(`${root}.pnpmfile.cjs`) as {
    hooks: { beforePacking: (pkg: Record<string, unknown>) => Record<string, unknown> };
  };

  it("drops the @mcpforge/source condition at every depth and keeps the rest", () => {
    const packed = hooks.beforePacking({
      name: "@mcpforge/x",
      exports: {
        ".": {
          types: "./dist/index.d.ts",
          "@mcpforge/source": "./src/index.ts",
          default: "./dist/index.js",
        },
        "./sub": { node: { "@mcpforge/source": "./src/sub.ts", default: "./dist/sub.js" } },
        "./package.json": "./package.json",
      },
    });
    expect(packed.exports).toEqual({
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./sub": { node: { default: "./dist/sub.js" } },
      "./package.json": "./package.json",
    });
  });
});

describe("the helpers of the smoke test", () => {
  it("finds every published package of the workspace, and no private one", () => {
    const names = publishedPackages(root).map((p) => p.manifest.name);
    expect(names).toContain("@mcpforge/core");
    expect(names).toContain("create-mcpforge");
    expect(names).not.toContain("@mcpforge/release-check");
  });

  it("tells the kind of an example from its code, comments aside", () => {
    expect(exampleKind("examples/a.ts", "await app.run(); // stdio")).toBe("stdio-server");
    expect(exampleKind("examples/a.ts", "await app.listen({ port: 0 });")).toBe("http-server");
    expect(
      exampleKind("examples/a.ts", "// a real server would `await app.run()`\nconsole.log(1);"),
    ).toBe("script");
    expect(exampleKind("examples/a.test.ts", "await app.run();")).toBe("vitest");
  });

  it("lists the packages a module imports, without Node's and relative ones", () => {
    const code =
      'import * as z from "zod";\nimport { a } from "./a.js";\nimport { x } from "@opentelemetry/api/sub";\nimport("node:fs");';
    expect(importedPackages(code)).toEqual(["@opentelemetry/api", "zod"]);
  });

  it("reads the pnpm catalog", () => {
    expect(catalog(root).zod).toMatch(/^\^4\./);
  });
});
