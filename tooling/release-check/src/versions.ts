import semver from "semver";
import type { Manifest } from "./packages.js";

/**
 * After `changeset version`: every package is still 0.x, core took its minor bump, and each
 * peer range on core (workspace: stripped) accepts the new core and spans every later 0.x minor.
 *
 * @example
 * versionProblems(new Map([["@mcpforge/core", "0.1.0"]]), manifestsAfterVersioning); // []
 */
export function versionProblems(
  before: ReadonlyMap<string, string>,
  after: readonly Manifest[],
): string[] {
  const out: string[] = [];
  const core = after.find((m) => m.name === "@mcpforge/core");
  const coreBefore = before.get("@mcpforge/core");
  if (!core || !coreBefore) return ["no @mcpforge/core package"];
  if (
    semver.minor(core.version) !== semver.minor(coreBefore) + 1 ||
    semver.major(core.version) !== 0
  )
    out.push(
      `@mcpforge/core went from ${coreBefore} to ${core.version}, not to its next 0.x minor`,
    );
  for (const m of after) {
    if (semver.major(m.version) !== 0)
      out.push(`${m.name} jumped to ${m.version} (packages stay 0.x)`);
    const peer = m.peerDependencies?.["@mcpforge/core"]?.replace(/^workspace:/, "");
    if (peer === undefined) continue;
    if (!semver.satisfies(core.version, peer))
      out.push(
        `${m.name}'s peer range on core (${peer}) does not accept the new core ${core.version}`,
      );
    if (!semver.satisfies(`0.${semver.minor(core.version) + 1}.0`, peer))
      out.push(`${m.name}'s peer range on core (${peer}) no longer spans the next 0.x minors`);
  }
  return out;
}

/**
 * What the registry serves: 0.x versions, and @mcpforge ranges that accept the published versions.
 *
 * @example
 * publishedProblems(manifestsFromTheRegistry); // []
 */
export function publishedProblems(published: readonly Manifest[]): string[] {
  const out: string[] = [];
  const versions = new Map(published.map((m) => [m.name, m.version]));
  for (const m of published) {
    if (semver.major(m.version) !== 0)
      out.push(`the registry serves ${m.name}@${m.version}, not 0.x`);
    for (const kind of ["dependencies", "peerDependencies"] as const) {
      for (const [dep, range] of Object.entries(m[kind] ?? {})) {
        if (/^(workspace|catalog):/.test(range))
          out.push(`${m.name} was published with ${kind}.${dep} = ${range}`);
        const version = versions.get(dep);
        if (version && !semver.satisfies(version, range))
          out.push(
            `${m.name}'s ${kind}.${dep} (${range}) does not accept the published ${dep}@${version}`,
          );
      }
    }
    if (JSON.stringify(m.exports ?? {}).includes("@mcpforge/source"))
      out.push(`${m.name} was published with the @mcpforge/source export condition`);
  }
  return out;
}
