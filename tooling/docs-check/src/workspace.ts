import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** What the checker needs to know about one workspace package. */
export interface PackageInfo {
  /** Absolute path of the folder holding its package.json. */
  dir: string;
  name: string;
  /** Not published (`"private": true`). */
  private: boolean;
  /** Its import specifiers: the name for `"."`, `name/sub` for each `"./sub"` export. */
  entries: string[];
  /** Names of everything it depends on (dependencies, peer and dev dependencies). */
  dependencies: string[];
}

interface PackageJson {
  name?: string;
  private?: boolean;
  exports?: Record<string, unknown> | string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Expands workspace patterns (`"packages/*"`, `"README.md"`): a `*` matches one folder or file
 * name, without `/`. Results are absolute and sorted.
 *
 * @example
 * expand("/repo", ["packages/*"]); // ["/repo/packages/cache", "/repo/packages/core", ...]
 */
export function expand(root: string, patterns: readonly string[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) {
    let paths = [root];
    for (const part of pattern.split("/")) {
      if (!part.includes("*")) {
        paths = paths.map((p) => join(p, part)).filter((p) => existsSync(p));
        continue;
      }
      const re = new RegExp(
        `^${part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`,
      );
      paths = paths.flatMap((p) =>
        safeReaddir(p)
          .filter((name) => re.test(name) && name !== "node_modules")
          .map((name) => join(p, name)),
      );
    }
    for (const p of paths) found.add(p);
  }
  return [...found].sort();
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Reads the package in `dir` (its package.json), or `undefined` when there is none.
 *
 * @example
 * readPackage("/repo/packages/middleware")?.entries; // ["@mcpforge/middleware", "@mcpforge/middleware/timing", ...]
 */
export function readPackage(dir: string): PackageInfo | undefined {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  if (!json.name) return undefined;
  const name = json.name;
  const exportKeys =
    typeof json.exports === "object" && json.exports !== null
      ? Object.keys(json.exports).filter((key) => key.startsWith("."))
      : json.exports === undefined
        ? []
        : ["."];
  const entries = exportKeys
    .filter((key) => !key.includes("*") && !key.endsWith(".json"))
    .map((key) => (key === "." ? name : `${name}${key.slice(1)}`));
  const dependencies = [
    ...Object.keys(json.dependencies ?? {}),
    ...Object.keys(json.peerDependencies ?? {}),
    ...Object.keys(json.devDependencies ?? {}),
  ];
  return {
    dir,
    name,
    private: json.private === true,
    entries,
    dependencies: [...new Set(dependencies)],
  };
}

/**
 * The workspace packages `pkg` depends on (as installed in its node_modules), in the order
 * listed, each read from its own package.json.
 *
 * @example
 * workspaceDependencies(middleware).map((p) => p.name); // ["@mcpforge/core", "@mcpforge/testing", ...]
 */
export function workspaceDependencies(pkg: PackageInfo, root: string): PackageInfo[] {
  const out: PackageInfo[] = [];
  for (const name of pkg.dependencies) {
    const link = join(pkg.dir, "node_modules", name);
    if (!existsSync(link)) continue;
    const real = realpathSync(link);
    // Only packages of this repository, not the ones pnpm put in its store.
    if (relative(root, real).startsWith("..") || real.includes("/node_modules/")) continue;
    const dep = readPackage(real);
    if (dep) out.push(dep);
  }
  return out;
}

/**
 * The compiler options a package is type-checked with (its tsconfig.json, else the nearest
 * one above it), resolving workspace packages to their TypeScript source.
 *
 * @example
 * const options = compilerOptionsFor("/repo/packages/cache", ["@mcpforge/source"]);
 */
export function compilerOptionsFor(dir: string, conditions: readonly string[]): ts.CompilerOptions {
  const configFile = ts.findConfigFile(dir, ts.sys.fileExists, "tsconfig.json");
  let options: ts.CompilerOptions = {};
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, parseHost);
    if (parsed) options = parsed.options;
  }
  return {
    ...options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    customConditions: [...conditions, ...(options.customConditions ?? [])],
  };
}

/**
 * The files a package's tsconfig selects (`tsconfig.build.json` when `build`, else
 * `tsconfig.json`), or `undefined` when the package has no such file.
 *
 * @example
 * configFiles("/repo/packages/cache", "tsconfig.build.json"); // ["/repo/packages/cache/src/index.ts", ...]
 */
export function configFiles(dir: string, configName: string): string[] | undefined {
  const configFile = join(dir, configName);
  if (!existsSync(configFile)) return undefined;
  return ts.getParsedCommandLineOfConfigFile(configFile, {}, parseHost)?.fileNames;
}

const parseHost: ts.ParseConfigFileHost = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  },
};
