// Fast checks of what every published package needs (CONTRIBUTING.md, "Add a package"); the
// smoke test checks the same on the tarballs. New packages under packages/ are covered as is.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { codeBlocks } from "@mcpforge/docs-check/markdown";
import { describe, expect, it } from "vitest";
import { dependencyProblems, REQUIRED_FIELDS } from "../src/hygiene.js";
import { publishedPackages } from "../src/packages.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const license = readFileSync(join(root, "LICENSE"), "utf8");

describe.each(
  publishedPackages(root).map((p) => [p.manifest.name, p] as const),
)("%s", (_name, pkg) => {
  const { manifest, dir } = pkg;

  it("has the metadata, LICENSE and version scheme of a published package", () => {
    for (const field of REQUIRED_FIELDS) expect(manifest[field], field).toBeTruthy();
    expect(manifest.license).toBe("MIT");
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(license);
    expect(manifest.files ?? []).toContain("LICENSE");
    expect(manifest.files ?? []).not.toContain("src");
    expect(manifest.version).toMatch(/^0\./);
    // workspace: ranges are replaced at pack time; the rest is checked as published.
    const published = {
      ...manifest,
      peerDependencies: Object.fromEntries(
        Object.entries(manifest.peerDependencies ?? {}).map(([n, r]) => [
          n,
          r.replace(/^workspace:/, ""),
        ]),
      ),
      dependencies: Object.fromEntries(
        Object.entries(manifest.dependencies ?? {}).filter(
          ([, r]) => !/^(workspace|catalog):/.test(r),
        ),
      ),
    };
    expect(dependencyProblems(published)).toEqual([]);
  });

  it("has a README that says how to install it, from a checkout too", () => {
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("pnpm pack:local");
    expect(readme).toMatch(/ESM only|"type": "module"/);
    const installs = codeBlocks(readme)
      .filter((block) => block.lang === "sh")
      .flatMap((block) => block.code.split("\n"))
      .filter((line) => /^(npm (install|i)|npx|npm create)\b/.test(line))
      .join("\n");
    const required = Object.keys(manifest.peerDependencies ?? {}).filter(
      (name) => manifest.peerDependenciesMeta?.[name]?.optional !== true,
    );
    for (const name of required)
      expect(installs, `README installs ${name}`).toMatch(
        name === manifest.name ? /./ : new RegExp(`${name}(\\s|$)`),
      );
    expect(existsSync(join(dir, "README.md"))).toBe(true);
  });
});
