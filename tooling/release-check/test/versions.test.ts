import { describe, expect, it } from "vitest";
import type { Manifest } from "../src/packages.js";
import { publishedProblems, versionProblems } from "../src/versions.js";

const before = new Map([
  ["@mcpforge/core", "0.1.0"],
  ["@mcpforge/cache", "0.1.0"],
]);
const core: Manifest = { name: "@mcpforge/core", version: "0.2.0" };
const cache = (version: string, peer: string): Manifest => ({
  name: "@mcpforge/cache",
  version,
  peerDependencies: { "@mcpforge/core": peer },
});

describe("versionProblems", () => {
  it("accepts a core minor that leaves dependents at 0.x with a spanning peer range", () => {
    expect(versionProblems(before, [core, cache("0.1.0", "workspace:>=0.1.0 <1.0.0")])).toEqual([]);
  });

  it("reports the 1.0.0 jump changesets makes when core leaves a caret peer range", () => {
    const problems = versionProblems(before, [core, cache("1.0.0", "workspace:^0.2.0")]);
    expect(problems).toContain("@mcpforge/cache jumped to 1.0.0 (packages stay 0.x)");
    expect(problems.join("\n")).toMatch(/no longer spans the next 0\.x minors/);
  });

  it("reports a peer range the new core leaves", () => {
    expect(versionProblems(before, [core, cache("0.1.0", "^0.1.0")]).join("\n")).toMatch(
      /does not accept the new core 0\.2\.0/,
    );
  });
});

describe("publishedProblems", () => {
  it("reports leftovers of the workspace in what the registry serves", () => {
    const problems = publishedProblems([
      core,
      {
        ...cache("0.2.0", "workspace:^"),
        exports: { ".": { "@mcpforge/source": "./src/index.ts" } },
      },
    ]);
    expect(problems.join("\n")).toMatch(
      /published with peerDependencies\.@mcpforge\/core = workspace:\^/,
    );
    expect(problems.join("\n")).toMatch(/published with the @mcpforge\/source export condition/);
  });
});
