import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Manifest, PublishedPackage } from "./packages.js";

/**
 * The workspace's pnpm catalog (`catalog:` in pnpm-workspace.yaml): name → range.
 *
 * @example
 * catalog("/repo").zod; // "^4.1.12"
 */
export function catalog(root: string): Record<string, string> {
  const text = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const out: Record<string, string> = {};
  let inside = false;
  for (const line of text.split("\n")) {
    if (/^catalog:\s*$/.test(line)) {
      inside = true;
      continue;
    }
    if (inside && /^\S/.test(line)) inside = false;
    const entry = inside ? /^\s+"?([^":]+)"?:\s*"?([^"]+?)"?\s*$/.exec(line) : null;
    if (entry?.[1] && entry[2]) out[entry[1]] = entry[2];
  }
  return out;
}

/**
 * The bare package names a module imports (`zod`, `@opentelemetry/api`), without Node's
 * built-ins and relative paths.
 *
 * @example
 * importedPackages('import * as z from "zod";\nimport { a } from "./a.js";'); // ["zod"]
 */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:from|import)\s*\(?\s*["']([^"'./][^"']*)["']/g)) {
    const specifier = match[1] ?? "";
    if (specifier.startsWith("node:")) continue;
    const parts = specifier.split("/");
    names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier));
  }
  return [...names].sort();
}

/**
 * The version range the workspace itself uses for a third-party package (a dependency or dev
 * dependency of the packages or the root, `catalog:` resolved), else `fallback`.
 *
 * @example
 * workspaceRange(root, packages, "ioredis", "^5.4.0 || ^6.0.0"); // "^6.0.0"
 */
export function workspaceRange(
  root: string,
  packages: readonly PublishedPackage[],
  name: string,
  fallback: string,
): string {
  const manifests: Manifest[] = [
    JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest,
    ...packages.map((p) => p.manifest),
  ];
  for (const manifest of manifests) {
    const range = manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
    if (range === undefined || range.startsWith("workspace:")) continue;
    if (range.startsWith("catalog:")) return catalog(root)[name] ?? fallback;
    return range.startsWith("npm:") ? fallback : range;
  }
  return fallback;
}
