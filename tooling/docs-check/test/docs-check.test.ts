import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkDocs } from "../src/check.js";
import type { DocsCheckConfig } from "../src/config.js";
import { formatProblem } from "../src/snippet.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixture", import.meta.url));
const fixtureConfig = JSON.parse(
  readFileSync(`${fixture}/docs-check.json`, "utf8"),
) as DocsCheckConfig;

/** The problems the fixture's wrong docs must produce, and nothing else. */
const EXPECTED = [
  "packages/widget/src/extra.ts:19:16 - @example of half: Argument of type 'string' is not assignable to parameter of type '{ size: number; }'.",
  "packages/widget/src/widget.ts:23:12 - @example of measure: Argument of type 'string' is not assignable to parameter of type 'Widget'.",
  "packages/widget/src/widget.ts:44:37 - @example of Shelf.put: Argument of type 'number' is not assignable to parameter of type 'Widget'.",
  'packages/widget/README.md:7:1 - README block 1: differs from examples/demo.ts at its line 3: the README shows "console.log(widget(7).size);", the file has "console.log(widget(5).size);"',
  "packages/widget/README.md:16:1 - README block 3: invalid JSON: Expected double-quoted property name in JSON at position 13",
  "packages/widget/README.md:12:7 - README block 2: Type 'number' is not assignable to type 'string'.",
  "packages/widget/README.md:32:1 - README block 6: is not an excerpt of src/extra.ts (its lines do not appear there in this order)",
];

describe("docs-check on a fixture repository", () => {
  it("fails, naming the file, line and column of each wrong example or block", async () => {
    const cli = run(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "--root",
        fixture,
        "--config",
        `${fixture}/docs-check.json`,
      ],
      { cwd: packageDir, timeout: 60_000 },
    );
    const failure = await cli.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = failure?.stderr.split("\n").filter((line) => line.includes(" - ")) ?? [];
    expect(lines.sort()).toEqual([...EXPECTED].sort());
    expect(failure?.stderr).toContain(
      "7 problems in 7 examples or blocks — 5 JSDoc examples in packages/widget; 6 code blocks in 1 READMEs (skipped: packages/skipped)",
    );
  });

  it("leaves out unexported declarations, files outside tsconfig.build.json and skipped folders", () => {
    const result = checkDocs(fixture, fixtureConfig);
    const text = result.problems.map((p) => formatProblem(p, fixture)).join("\n");
    expect(text).not.toMatch(/helper|widget\.spec|skipped|extra\.ts:\d:|widget\.ts:1[0-2]:/);
    expect(result.packages).toEqual(["packages/widget"]);
  });

  it("resolves packages to their source, even with a stale dist/ beside it", () => {
    const dist = `${fixture}/packages/widget/dist`;
    mkdirSync(dist, { recursive: true });
    // What `types` points at: a build from before `widget` took a number.
    writeFileSync(`${dist}/index.d.ts`, "export declare function widget(size: string): never;\n");
    try {
      const result = checkDocs(fixture, fixtureConfig);
      expect(result.problems.map((p) => formatProblem(p, fixture)).sort()).toEqual(
        [...EXPECTED].sort(),
      );
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it("checks a skipped folder when it is named", () => {
    const result = checkDocs(fixture, fixtureConfig, ["packages/skipped"]);
    expect(result.packages).toEqual(["packages/skipped"]);
    expect(result.readmes).toEqual(["packages/skipped/README.md"]);
    const lines = result.problems.map((p) => formatProblem(p, fixture));
    expect(lines).toContain(
      "packages/skipped/src/index.ts:5:11 - @example of broken: ')' expected.",
    );
    expect(lines).toContain("packages/skipped/README.md:2:8 - README block 1: ')' expected.");
  });
});
