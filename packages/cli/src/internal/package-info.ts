import { readFileSync } from "node:fs";

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

let cached: PackageJson | undefined;

/** The cli's own package.json (the same path from `src/internal` and `dist/internal`). */
export function cliPackage(): PackageJson {
  cached ??= JSON.parse(
    readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
  ) as PackageJson;
  return cached;
}
