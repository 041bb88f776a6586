import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import semver from "semver";
import { entries, type Manifest, readManifest } from "./packages.js";

/** What every published package.json must have (see CONTRIBUTING.md, "Add a package"). */
export const REQUIRED_FIELDS = [
  "description",
  "license",
  "keywords",
  "homepage",
  "bugs",
  "repository",
] as const;

/** The export condition that points at TypeScript sources inside the repository only. */
export const SOURCE_CONDITION = "@mcpforge/source";

/**
 * The problems of an unpacked tarball (its `package/` folder), as sentences naming the file:
 * a missing or different LICENSE, missing metadata, build leftovers (`*.tsbuildinfo`), source
 * maps naming files that are not shipped, the source export condition, `workspace:` or
 * `catalog:` ranges, an exactly pinned SDK, zod as a dependency instead of a peer, a peer
 * range on core that a later 0.x minor leaves, exports or bins naming missing files, and entry
 * `.d.ts` files that need Node's types without referencing them. Empty when all is well.
 *
 * @example
 * const problems = tarballProblems("/tmp/smoke/mcpforge-core-0.1.0/package", licenseText);
 */
export function tarballProblems(dir: string, license: string): string[] {
  const manifest = readManifest(join(dir, "package.json"));
  const name = manifest.name;
  const problems: string[] = [];
  const say = (message: string) => problems.push(`${name}: ${message}`);
  const files = listFiles(dir);

  if (!existsSync(join(dir, "LICENSE"))) say("no LICENSE file in the tarball");
  else if (readFileSync(join(dir, "LICENSE"), "utf8") !== license)
    say("LICENSE differs from the repository's LICENSE");
  if (manifest.license !== "MIT")
    say(`"license" is ${JSON.stringify(manifest.license)}, not "MIT"`);
  for (const field of REQUIRED_FIELDS) {
    const value = manifest[field];
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0))
      say(`package.json has no "${field}"`);
  }
  if (typeof manifest.repository === "object" && !manifest.repository.directory)
    say('"repository" has no "directory" (the package\'s folder in the repository)');

  for (const file of files.filter((f) => f.endsWith(".tsbuildinfo")))
    say(`ships ${file} (a build leftover)`);
  problems.push(...sourceMapProblems(dir, files).map((p) => `${name}: ${p}`));

  if (JSON.stringify(manifest.exports ?? {}).includes(`"${SOURCE_CONDITION}"`))
    say(
      `"exports" still has the ${SOURCE_CONDITION} condition (.pnpmfile.cjs removes it at pack time)`,
    );
  for (const target of exportTargets(manifest)) {
    if (!existsSync(join(dir, target))) say(`exports or bin name ${target}, which is not shipped`);
  }
  problems.push(...dependencyProblems(manifest).map((p) => `${name}: ${p}`));
  problems.push(...nodeTypesProblems(dir, manifest, files).map((p) => `${name}: ${p}`));
  return problems;
}

/** Every `workspace:`/`catalog:` leftover, the SDK pinned exactly, zod not a peer, core's peer range. */
export function dependencyProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const kinds = ["dependencies", "peerDependencies", "optionalDependencies"] as const;
  for (const kind of kinds) {
    const deps = (manifest as unknown as Record<string, Record<string, string> | undefined>)[kind];
    for (const [dep, range] of Object.entries(deps ?? {})) {
      if (/^(workspace|catalog):/.test(range))
        problems.push(`${kind}.${dep} is ${JSON.stringify(range)} (not replaced at pack time)`);
      else if (semver.validRange(range) === null)
        problems.push(`${kind}.${dep} is not a semver range: ${JSON.stringify(range)}`);
    }
  }
  const sdk =
    manifest.dependencies?.["@modelcontextprotocol/sdk"] ??
    manifest.peerDependencies?.["@modelcontextprotocol/sdk"];
  if (sdk !== undefined && semver.valid(sdk) !== null)
    problems.push(`@modelcontextprotocol/sdk is pinned to exactly ${sdk}; use a caret range`);
  if (manifest.dependencies?.zod !== undefined)
    problems.push(
      "zod is a dependency: make it a peer (^4) so the app and the packages share one zod",
    );
  const zodPeer = manifest.peerDependencies?.zod;
  if (zodPeer !== undefined && !semver.satisfies("4.0.0", zodPeer))
    problems.push(`the zod peer range ${zodPeer} does not accept zod 4.0.0`);
  const core = manifest.peerDependencies?.["@mcpforge/core"];
  if (core !== undefined && semver.validRange(core) !== null) {
    const min = semver.minVersion(core);
    const later = min && min.major === 0 ? `0.${min.minor + 1}.0` : undefined;
    if (later && !semver.satisfies(later, core))
      problems.push(
        `the peer range on @mcpforge/core (${core}) does not accept core's next minor (${later}): changesets would release this package as 1.0.0 when core bumps its minor (see CONTRIBUTING.md, "Versions")`,
      );
  }
  return problems;
}

/** Source maps (`.map`) must name sources that are shipped; `sourceMappingURL`s must exist. */
function sourceMapProblems(dir: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.endsWith(".map"))) {
    let sources: string[] = [];
    try {
      const map = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
        sources?: string[];
        sourcesContent?: (string | null)[];
      };
      sources = map.sources ?? [];
    } catch {
      problems.push(`${file} is not valid JSON`);
      continue;
    }
    for (const source of sources) {
      const target = resolve(dirname(join(dir, file)), source);
      if (!target.startsWith(`${dir}/`) || !existsSync(target))
        problems.push(`${file} names ${source}, which is not in the tarball`);
    }
  }
  for (const file of files.filter((f) => /\.(m?js|d\.m?ts)$/.test(f))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(dir, file), "utf8"))?.[1];
    if (url && !url.startsWith("data:") && !existsSync(resolve(dirname(join(dir, file)), url)))
      problems.push(`${file} points at ${url}, which is not in the tarball`);
  }
  return problems;
}

/**
 * When any shipped `.d.ts` uses Node's types (`node:` modules, `NodeJS.`, `Buffer`), every
 * entry `.d.ts` must say `/// <reference types="node" />`: TypeScript 7 no longer loads
 * `@types/node` unless something asks for it.
 */
function nodeTypesProblems(dir: string, manifest: Manifest, files: readonly string[]): string[] {
  const usesNode = files
    .filter((f) => f.endsWith(".d.ts"))
    .some((f) =>
      /from "node:|import\("node:|\bNodeJS\.|\bBuffer\b/.test(readFileSync(join(dir, f), "utf8")),
    );
  if (!usesNode) return [];
  return entries(manifest)
    .filter((entry) => entry.types !== undefined)
    .filter((entry) => {
      const file = join(dir, entry.types as string);
      return (
        !existsSync(file) || !/^\/\/\/ <reference types="node"/m.test(readFileSync(file, "utf8"))
      );
    })
    .map(
      (entry) =>
        `${entry.types} (${entry.specifier}) lacks /// <reference types="node" preserve="true" /> although the package's types use Node's`,
    );
}

/** The files `exports` (every condition) and `bin` point at. */
function exportTargets(manifest: Manifest): string[] {
  const out = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      if (!value.includes("*")) out.add(value);
    } else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(manifest.exports);
  visit(manifest.bin);
  return [...out];
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}
