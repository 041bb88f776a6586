import { readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import ts from "typescript";
import { Compiler, type VirtualModule } from "./compiler.js";
import type { DocsCheckConfig } from "./config.js";
import { exampleModule, type NameSource } from "./example-module.js";
import { jsdocExamples } from "./jsdoc-examples.js";
import { readmeSnippets } from "./readme.js";
import type { Problem, Snippet } from "./snippet.js";
import {
  compilerOptionsFor,
  configFiles,
  expand,
  type PackageInfo,
  readPackage,
  workspaceDependencies,
} from "./workspace.js";

/** What a run checked and found. */
export interface CheckResult {
  problems: Problem[];
  /** JSDoc examples type-checked. */
  examples: number;
  /** README code blocks checked. */
  blocks: number;
  /** The folders whose JSDoc was checked, relative to the root. */
  packages: string[];
  /** The READMEs checked, relative to the root. */
  readmes: string[];
}

/**
 * Checks the docs of a repository: every JSDoc `@example` of the packages' published sources
 * and every code block of the READMEs. `only` (folders relative to `root`) narrows the run to
 * those folders, skipped or not.
 *
 * @example
 * const result = checkDocs("/repo", config, ["packages/core"]);
 * for (const problem of result.problems) console.error(formatProblem(problem, "/repo"));
 */
export function checkDocs(
  root: string,
  config: DocsCheckConfig,
  only: readonly string[] = [],
): CheckResult {
  const wanted = only.map((folder) => relative(root, join(root, folder)));
  const selected = (folder: string) => {
    const rel = relative(root, folder);
    if (wanted.length > 0) return wanted.some((w) => rel === w || rel.startsWith(`${w}/`));
    return !config.skip.some((s) => rel === s || rel.startsWith(`${s}/`));
  };
  const result: CheckResult = { problems: [], examples: 0, blocks: 0, packages: [], readmes: [] };

  for (const dir of expand(root, config.packages).filter(selected)) {
    const pkg = readPackage(dir);
    if (!pkg) continue;
    const files = configFiles(dir, "tsconfig.build.json") ?? [];
    const snippets = files.flatMap((file) => jsdocExamples(parse(file)));
    result.packages.push(relative(root, dir));
    result.examples += snippets.length;
    result.problems.push(...typeCheck(root, config, pkg, snippets, true));
  }

  for (const readme of expand(root, config.readmes)) {
    const rel = relative(root, readme);
    if (!selected(dirname(readme)) && !(wanted.length > 0 && wanted.includes(rel))) continue;
    const context = join(root, config.readmeContexts[rel] ?? dirname(rel));
    const pkg = readPackage(context) ?? {
      dir: context,
      name: "",
      private: true,
      entries: [],
      dependencies: [],
    };
    const { snippets, problems, blocks } = readmeSnippets(readme, context);
    result.readmes.push(rel);
    result.blocks += blocks;
    result.problems.push(...problems, ...typeCheck(root, config, pkg, snippets, false));
  }
  return result;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/**
 * Type-checks snippets as modules of `pkg`'s folder. Their free names come from, in order: the
 * file the snippet is written in (`ownFile`, for JSDoc), the package's own exports, the exports
 * of the workspace packages it depends on, the configured namespaces, the preamble.
 */
function typeCheck(
  root: string,
  config: DocsCheckConfig,
  pkg: PackageInfo,
  snippets: readonly Snippet[],
  ownFile: boolean,
): Problem[] {
  if (snippets.length === 0) return [];
  const compiler = new Compiler(pkg.dir, compilerOptionsFor(pkg.dir, config.conditions), root);
  const packages = [pkg, ...workspaceDependencies(pkg, root).filter((dep) => !dep.private)];
  const entries = packages.flatMap((p) => p.entries.map((specifier) => ({ specifier })));
  const ownFiles = ownFile ? [...new Set(snippets.map((s) => s.file))] : [];
  const exported = compiler.exportsOf([
    ...ownFiles.map((file) => ({ specifier: `./${jsName(file)}`, file })),
    ...entries,
  ]);
  const byFile = new Map(ownFiles.map((file, index) => [file, exported[index]]));
  const shared = mergeNames(exported.slice(ownFiles.length));
  const extra = [
    ...Object.entries(config.namespaces).map(([name, from]) => ({ name, from, namespace: true })),
    ...Object.entries(config.imports).map(([name, from]) => ({ name, from, namespace: false })),
  ];
  for (const { name, from, namespace } of extra) {
    if (!shared.has(name) && compiler.resolve(from)) {
      shared.set(name, { from, typeOnly: false, namespace });
    }
  }
  const preamble = new Map(Object.entries(config.preamble));
  const modules: VirtualModule[] = snippets.map((snippet) => {
    const own = byFile.get(snippet.file);
    const names = own ? mergeNames([own, shared]) : shared;
    const at = ownFile ? dirname(snippet.file) : pkg.dir;
    const stem = basename(snippet.file).replace(/\.[^.]+$/, "");
    return {
      path: join(at, `${stem}.docs-check-${snippet.line}.mts`),
      module: exampleModule(snippet.code, names, preamble),
      snippet,
    };
  });
  return compiler.check(modules);
}

/** The specifier of a TypeScript file as imported from its own folder: `a.ts` → `a.js`. */
function jsName(file: string): string {
  return basename(file)
    .replace(/\.ts$/, ".js")
    .replace(/\.mts$/, ".mjs")
    .replace(/\.tsx$/, ".js");
}

function mergeNames(maps: readonly ReadonlyMap<string, NameSource>[]): Map<string, NameSource> {
  const merged = new Map<string, NameSource>();
  for (const map of maps) {
    for (const [name, source] of map) if (!merged.has(name)) merged.set(name, source);
  }
  return merged;
}
