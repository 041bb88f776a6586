import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The parts of a package.json these checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string } | string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  exports?: unknown;
  bin?: Record<string, string> | string;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

/** A package of the workspace that is published. */
export interface PublishedPackage {
  /** Absolute path of its folder. */
  dir: string;
  manifest: Manifest;
}

/**
 * Every package under `packages/` that is not private, sorted by folder: new packages are
 * covered by the smoke and release tests without editing them.
 *
 * @example
 * publishedPackages("/repo").map((p) => p.manifest.name); // ["@mcpforge/cache", ...]
 */
export function publishedPackages(root: string): PublishedPackage[] {
  const base = join(root, "packages");
  return readdirSync(base)
    .sort()
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: readManifest(join(dir, "package.json")) }))
    .filter((pkg) => pkg.manifest.private !== true);
}

/**
 * Reads a package.json.
 *
 * @example
 * readManifest("/repo/packages/core/package.json").version; // "0.1.0"
 */
export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/**
 * The import specifiers of a package's `exports` (`"."` → the name, `"./sub"` → `name/sub`),
 * without patterns and `package.json`, each with the `types` file it declares.
 *
 * @example
 * entries(manifest); // [{ specifier: "@mcpforge/core", types: "./dist/index.d.ts" }, ...]
 */
export function entries(manifest: Manifest): { specifier: string; types?: string }[] {
  const exports = manifest.exports;
  if (exports === undefined || exports === null) return [];
  if (typeof exports === "string") return [{ specifier: manifest.name }];
  return Object.entries(exports as Record<string, unknown>)
    .filter(([key]) => key.startsWith(".") && !key.includes("*") && !key.endsWith(".json"))
    .map(([key, value]) => ({
      specifier: key === "." ? manifest.name : `${manifest.name}${key.slice(1)}`,
      types: typesOf(value),
    }));
}

function typesOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.types === "string") return record.types;
  for (const inner of Object.values(record)) {
    const found = typesOf(inner);
    if (found) return found;
  }
  return undefined;
}
