import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tarballProblems } from "../src/hygiene.js";

const LICENSE = "MIT License\n\nCopyright (c) 2026 MCP Forge contributors\n";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An unpacked tarball (`package/`) as the smoke test sees it, with edits applied. */
function unpacked(
  edit: (manifest: Record<string, unknown>, files: Map<string, string>) => void = () => {},
): string {
  const dir = mkdtempSync(join(tmpdir(), "hygiene-"));
  dirs.push(dir);
  const manifest: Record<string, unknown> = {
    name: "@mcpforge/example",
    version: "0.1.0",
    description: "An example package.",
    keywords: ["mcp"],
    homepage: "https://github.com/mcpforge/mcpforge/tree/main/packages/example#readme",
    bugs: { url: "https://github.com/mcpforge/mcpforge/issues" },
    repository: {
      type: "git",
      url: "git+https://github.com/mcpforge/mcpforge.git",
      directory: "packages/example",
    },
    license: "MIT",
    type: "module",
    exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
    dependencies: { "@modelcontextprotocol/sdk": "^1.32.2" },
    peerDependencies: { "@mcpforge/core": ">=0.1.0 <1.0.0", zod: "^4.0.0" },
  };
  const files = new Map([
    ["LICENSE", LICENSE],
    ["dist/index.js", "export const a = 1;\n"],
    [
      "dist/index.d.ts",
      '/// <reference types="node" preserve="true" />\nexport { a } from "./a.js";\n',
    ],
    ["dist/a.d.ts", 'import type { Server } from "node:http";\nexport declare const a: Server;\n'],
  ]);
  edit(manifest, files);
  files.set("package.json", JSON.stringify(manifest));
  for (const [file, text] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe("tarballProblems", () => {
  it("finds nothing wrong with a clean package", () => {
    expect(tarballProblems(unpacked(), LICENSE)).toEqual([]);
  });

  it.each([
    [
      "a missing LICENSE",
      (_m: Record<string, unknown>, f: Map<string, string>) => f.delete("LICENSE"),
      /no LICENSE/,
    ],
    [
      "another LICENSE",
      (_m: Record<string, unknown>, f: Map<string, string>) => f.set("LICENSE", "ISC"),
      /LICENSE differs/,
    ],
    ["no repository", (m: Record<string, unknown>) => delete m.repository, /no "repository"/],
    ["no homepage", (m: Record<string, unknown>) => delete m.homepage, /no "homepage"/],
    ["no bugs", (m: Record<string, unknown>) => delete m.bugs, /no "bugs"/],
    [
      "empty keywords",
      (m: Record<string, unknown>) => Object.assign(m, { keywords: [] }),
      /no "keywords"/,
    ],
    [
      "a tsbuildinfo",
      (_m: Record<string, unknown>, f: Map<string, string>) => f.set("dist/.tsbuildinfo", "{}"),
      /ships dist\/\.tsbuildinfo/,
    ],
    [
      "a source map naming an unshipped file",
      (_m: Record<string, unknown>, f: Map<string, string>) =>
        f.set(
          "dist/index.js.map",
          JSON.stringify({ version: 3, sources: ["../src/index.ts"], mappings: "" }),
        ),
      /dist\/index\.js\.map names \.\.\/src\/index\.ts, which is not in the tarball/,
    ],
    [
      "the source condition",
      (m: Record<string, unknown>) =>
        Object.assign(m, {
          exports: {
            ".": {
              types: "./dist/index.d.ts",
              "@mcpforge/source": "./src/index.ts",
              default: "./dist/index.js",
            },
          },
        }),
      /@mcpforge\/source condition/,
    ],
    [
      "a workspace: range",
      (m: Record<string, unknown>) =>
        Object.assign(m, { peerDependencies: { "@mcpforge/core": "workspace:^" } }),
      /not replaced at pack time/,
    ],
    [
      "the SDK pinned exactly",
      (m: Record<string, unknown>) =>
        Object.assign(m, { dependencies: { "@modelcontextprotocol/sdk": "1.32.2" } }),
      /pinned to exactly 1\.32\.2/,
    ],
    [
      "zod as a dependency",
      (m: Record<string, unknown>) => Object.assign(m, { dependencies: { zod: "^4.1.12" } }),
      /zod is a dependency/,
    ],
    [
      "a caret peer range on core",
      (m: Record<string, unknown>) =>
        Object.assign(m, { peerDependencies: { "@mcpforge/core": "^0.1.0" } }),
      /does not accept core's next minor \(0\.2\.0\)/,
    ],
    [
      "an entry .d.ts without Node's types",
      (_m: Record<string, unknown>, f: Map<string, string>) =>
        f.set("dist/index.d.ts", 'export { a } from "./a.js";\n'),
      /dist\/index\.d\.ts \(@mcpforge\/example\) lacks \/\/\/ <reference types="node"/,
    ],
    [
      "an export naming a missing file",
      (_m: Record<string, unknown>, f: Map<string, string>) => f.delete("dist/index.js"),
      /name \.\/dist\/index\.js, which is not shipped/,
    ],
  ])("reports %s", (_what, edit, message) => {
    const problems = tarballProblems(unpacked(edit), LICENSE);
    expect(
      problems.some((p) => message.test(p)),
      problems.join("\n"),
    ).toBe(true);
  });
});
