import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { requireRedis } from "@mcpforge/testing/redis";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Each example in examples/, with lines its output must contain. */
const EXAMPLES: Record<string, RegExp[]> = {
  "cached-function": [
    /queries after 100 concurrent calls: 1/,
    /queries after a cached call: 1/,
    /queries after invalidation: 2/,
  ],
  "response-cache": [
    /origin lookups: 1/,
    /cache marker: \{"hit":true,"ageMs":\d+\}/,
    /origin lookups after invalidate: 2/,
  ],
  tiered: [
    /connected: true/,
    /b reads: \{ theme: 'dark' \}/,
    /b reads after a's update: \{ theme: 'light' \}/,
  ],
};

describe("README examples", () => {
  beforeAll(() => requireRedis());

  it("the README shows every file of examples/ unchanged", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const files = await readdir(new URL("../examples", import.meta.url));
    // The scripts below, plus store-contract.test.ts, which vitest runs with the package's tests.
    expect(files.sort()).toEqual(
      [...Object.keys(EXAMPLES).map((name) => `${name}.ts`), "store-contract.test.ts"].sort(),
    );
    for (const file of files) {
      const code = await readFile(new URL(`../examples/${file}`, import.meta.url), "utf8");
      expect(readme, file).toContain(`\`\`\`ts\n// examples/${file}\n${code}\`\`\``);
    }
  });

  it.each(Object.keys(EXAMPLES))("examples/%s.ts runs", async (name) => {
    const { stdout } = await run(
      process.execPath,
      ["--conditions=@mcpforge/source", "--import", "tsx", `examples/${name}.ts`],
      { cwd: packageDir, timeout: 30_000 },
    );
    for (const expected of EXAMPLES[name] ?? []) expect(stdout).toMatch(expected);
  });
});
