import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../..", import.meta.url));
const depcruise = join(root, "node_modules", ".bin", "depcruise");

/** Runs the repository's dependency rules (as `pnpm lint` does) over a tree of files. */
async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), "mcpforge-deps-"));
  try {
    await cp(join(root, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
    await cp(join(root, "tsconfig.depcruise.json"), join(dir, "tsconfig.depcruise.json"));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    try {
      const { stdout } = await run(
        depcruise,
        ["packages", "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
        { cwd: dir },
      );
      return { code: 0, out: stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, out: e.stdout };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("dependency rules (pnpm lint)", () => {
  let clean: { code: number; out: string };
  beforeAll(async () => {
    clean = await cruise({
      "packages/core/src/server/app.ts":
        'import { h } from "../http/handler.js";\nexport const a = h;\n',
      "packages/core/src/http/handler.ts": "export const h = 1;\n",
    });
  });
  afterAll(() => undefined);

  it("pass on a tree that keeps them", () => {
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/no dependency violations/);
  });

  it("fail on an import cycle, even a type-only one", async () => {
    const r = await cruise({
      "packages/demo/src/a.ts": 'import type { B } from "./b.js";\nexport type A = { b?: B };\n',
      "packages/demo/src/b.ts": 'import type { A } from "./a.js";\nexport type B = { a?: A };\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/error no-circular/);
  });

  it("fail when the HTTP layer imports the app", async () => {
    const r = await cruise({
      "packages/core/src/server/app.ts": "export class App {}\n",
      "packages/core/src/http/handler.ts":
        'import type { App } from "../server/app.js";\nexport type H = App;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/error core-layers-below-app/);
  });

  it("fail when a package reaches into another package's files", async () => {
    const r = await cruise({
      "packages/core/src/errors/errors.ts": "export const e = 1;\n",
      "packages/cache/src/store.ts":
        'import { e } from "../../core/src/errors/errors.js";\nexport const s = e;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/error no-foreign-internals/);
  });

  it("fail when a package other than core or testing imports the SDK", async () => {
    const r = await cruise({
      // Laid out like the real package: its files live under dist/ (which must not hide it).
      "node_modules/@modelcontextprotocol/sdk/package.json":
        '{"name":"@modelcontextprotocol/sdk","type":"module","exports":{"./*":"./dist/esm/*"}}',
      "node_modules/@modelcontextprotocol/sdk/dist/esm/types.js": "export const x = 1;\n",
      "packages/cache/src/store.ts":
        'import { x } from "@modelcontextprotocol/sdk/types.js";\nexport const s = x;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/error sdk-only-in-core-and-testing/);
  });
});
