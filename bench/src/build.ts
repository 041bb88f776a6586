/**
 * Compiles the first-party TypeScript the child processes run (`@mcpforge/core`,
 * `@mcpforge/testing`, `@mcpforge/middleware`, `@mcpforge/cache`, `@mcpforge/plugins`, `@mcpforge/telemetry`, `@mcpforge/health` and
 * `src/entries/*`; the
 * packages optionally from a git revision) to plain ESM JavaScript under `.cache/build`, the way
 * a published `dist/` would look: one `.js` file per source file, no bundling. The children then
 * run on plain `node` with no TypeScript loader, so loader hooks cost neither side anything
 * (this matters for the cold-start figure) and CPU profiles show real function names.
 *
 * Layout: `.cache/build/node_modules/@mcpforge/{core,testing,middleware,cache,plugins,telemetry,health}/src/**.js` (each
 * with a `node_modules` of links to the workspace package's own dependencies, so they resolve to
 * the same installed copies as in the workspace — pino and jose for middleware, lru-cache for
 * cache, @opentelemetry/api for telemetry — except `@mcpforge/*`, which resolve to their compiled siblings: one instance of core
 * for all) and `.cache/build/entries/*.js` (resolving through `bench/node_modules`). pnpm links
 * both to the same installed `@modelcontextprotocol/sdk` and `zod`.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUILD_DIR = join(BENCH_DIR, ".cache", "build");
const REPO_DIR = join(BENCH_DIR, "..");

/** How the bench compiles TypeScript: ES2022 modules, one file per module, no source maps. */
export const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
  useDefineForClassFields: true,
  sourceMap: false,
};

async function sourcesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourcesUnder(full)));
    else if (isSource(entry.name)) out.push(full);
  }
  return out;
}

function isSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts");
}

/** Reads the sources under `srcDir`: from the work tree, or from a git revision. */
async function readSources(srcDir: string, ref: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ref === undefined) {
    for (const file of await sourcesUnder(srcDir)) {
      out.set(relative(srcDir, file), await readFile(file, "utf8"));
    }
    return out;
  }
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: REPO_DIR, maxBuffer: 64 * 1024 * 1024 }).toString();
  const prefix = relative(REPO_DIR, srcDir);
  for (const path of git("ls-tree", "-r", "--name-only", ref, "--", prefix).split("\n")) {
    if (!path || !isSource(path)) continue;
    out.set(relative(prefix, path), git("show", `${ref}:${path}`));
  }
  if (out.size === 0) throw new Error(`no sources under ${prefix} at ${ref}`);
  return out;
}

async function transpileTree(srcDir: string, outDir: string, ref?: string): Promise<number> {
  const sources = await readSources(srcDir, ref);
  await Promise.all(
    [...sources].map(async ([rel, source]) => {
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: COMPILER_OPTIONS,
        fileName: join(srcDir, rel),
      });
      const target = join(outDir, rel).replace(/\.ts$/, ".js");
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }),
  );
  return sources.size;
}

/**
 * Links every dependency installed for a workspace package into `to`, except the workspace's
 * own `@mcpforge/*` packages: those must resolve to the compiled copies next to it (the
 * workspace links point at the packages' sources, whose `default` export is a stale `dist/`).
 */
async function linkDependencies(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from)) {
    if (entry === "@mcpforge" || entry.startsWith(".")) continue;
    await symlink(join(from, entry), join(to, entry), "dir");
  }
}

/**
 * The package's subpath exports (e.g. `@mcpforge/middleware/timing`), pointed at the compiled
 * files: each subpath's `@mcpforge/source` file with `.ts` → `.js`.
 */
async function compiledExports(manifestPath: string): Promise<Record<string, string>> {
  const { exports } = JSON.parse(await readFile(manifestPath, "utf8")) as {
    exports: Record<string, { "@mcpforge/source": string }>;
  };
  return Object.fromEntries(
    Object.entries(exports).map(([subpath, targets]) => [
      subpath,
      targets["@mcpforge/source"].replace(/\.ts$/, ".js"),
    ]),
  );
}

async function buildWorkspacePackage(
  name: "core" | "testing" | "middleware" | "cache" | "plugins" | "telemetry" | "health",
  ref?: string,
): Promise<number> {
  const pkgDir = join(BUILD_DIR, "node_modules", "@mcpforge", name);
  const count = await transpileTree(
    join(REPO_DIR, "packages", name, "src"),
    join(pkgDir, "src"),
    ref,
  );
  const manifest = {
    name: `@mcpforge/${name}`,
    private: true,
    type: "module",
    exports: await compiledExports(join(REPO_DIR, "packages", name, "package.json")),
  };
  await writeFile(join(pkgDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // the package's own dependencies resolve to the same installed copies as in the workspace
  await linkDependencies(
    join(REPO_DIR, "packages", name, "node_modules"),
    join(pkgDir, "node_modules"),
  );
  return count;
}

/** Where a compiled entry lives, e.g. `entryPath("forge-http")`. */
export function entryPath(name: string): string {
  return join(BUILD_DIR, "entries", `${name}.js`);
}

/**
 * Rebuilds `.cache/build`: `@mcpforge/core`, `testing`, `middleware`, `cache`, `plugins`, `telemetry` and `health` from the work
 * tree, or from a git revision when `ref` is given; the bench's own entries always from the work tree.
 *
 * @example
 * const files = await buildArtifacts("HEAD");
 */
export async function buildArtifacts(ref?: string): Promise<number> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(BUILD_DIR, { recursive: true });
  await writeFile(
    join(BUILD_DIR, "package.json"),
    `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`,
  );
  const counts = await Promise.all([
    buildWorkspacePackage("core", ref),
    buildWorkspacePackage("testing", ref),
    buildWorkspacePackage("middleware", ref),
    buildWorkspacePackage("cache", ref),
    buildWorkspacePackage("plugins", ref),
    buildWorkspacePackage("telemetry", ref),
    buildWorkspacePackage("health", ref),
    transpileTree(join(BENCH_DIR, "src", "entries"), join(BUILD_DIR, "entries")),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}
