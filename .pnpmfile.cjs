// pnpm hooks for this workspace (https://pnpm.io/pnpmfile).
//
// beforePacking: the published package.json must not carry the `@mcpforge/source` export
// condition. Inside the repository it points tests, apps and tools at `src/*.ts` (no build
// needed); in a tarball those files are not shipped, so a consumer that happened to set the
// condition would resolve to nothing. `pnpm pack` and `pnpm publish` (which `changeset publish`
// runs) both call this hook; tooling/release-check verifies the packed manifests.

const SOURCE_CONDITION = "@mcpforge/source";

/** Removes the source condition from an `exports` value, at any depth. */
function withoutSourceCondition(value) {
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === SOURCE_CONDITION) continue;
    out[key] = withoutSourceCondition(inner);
  }
  return out;
}

module.exports = {
  hooks: {
    beforePacking(pkg) {
      if (pkg.exports !== undefined) pkg.exports = withoutSourceCondition(pkg.exports);
      return pkg;
    },
  },
};
