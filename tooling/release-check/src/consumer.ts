import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { Compiler } from "@mcpforge/docs-check/compiler";
import { config } from "@mcpforge/docs-check/config";
import { exampleModule, type NameSource } from "@mcpforge/docs-check/example-module";
import ts from "typescript";
import { run } from "./exec.js";
import { entries, type Manifest, type PublishedPackage } from "./packages.js";
import { contextFolder, type DocBlocks } from "./readme-blocks.js";

const require = createRequire(import.meta.url);

/** The consumer's tsconfig: what docs/first-server.md recommends, minus `types` (TS 7 defaults it to none), no skipLibCheck. */
export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  },
  include: ["**/*.ts", "**/*.mts"],
  exclude: ["node_modules"],
};

/** A generated module of the consumer project and the doc block it came from. */
export interface GeneratedModule {
  /** Absolute path in the consumer project. */
  path: string;
  /** The doc and line of the block's first code line. */
  doc: string;
  line: number;
  headerLines: number;
}

/**
 * Installs the tarballs and `extra` packages (`name` → range) with plain `npm` in a fresh
 * project in `dir`, outside the workspace.
 *
 * @example
 * await installConsumer("/tmp/smoke/consumer", tarballs, { zod: "^4.1.12" });
 */
export async function installConsumer(
  dir: string,
  tarballs: readonly { name: string; tarball: string }[],
  extra: Record<string, string>,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = { ...extra };
  for (const { name, tarball } of tarballs) dependencies[name] = `file:${tarball}`;
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "mcpforge-consumer", private: true, type: "module", dependencies }, null, 2)}\n`,
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: dir,
    env: npmEnv(),
  });
}

/** The environment for npm in a project outside the workspace: no pnpm or workspace settings leak in. */
export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Writes the docs' example files and snippets into the consumer project: each context
 * package's `examples/` folder is copied whole (examples import each other), each snippet
 * becomes a module whose free names are imported from the installed packages, the way
 * `pnpm docs:check` does it in the workspace.
 *
 * @example
 * const generated = writeDocModules(root, consumer, docs, packages);
 */
export function writeDocModules(
  root: string,
  consumer: string,
  docs: readonly DocBlocks[],
  packages: readonly PublishedPackage[],
): { generated: GeneratedModule[]; files: string[] } {
  writeFileSync(join(consumer, "tsconfig.json"), `${JSON.stringify(CONSUMER_TSCONFIG, null, 2)}\n`);
  const generated: GeneratedModule[] = [];
  const files: string[] = [];
  const byName = new Map(packages.map((p) => [p.manifest.name, p.manifest]));
  for (const doc of docs) {
    const folder = contextFolder(consumer, doc.context);
    mkdirSync(folder, { recursive: true });
    const examples = join(root, doc.context, "examples");
    if (doc.files.length > 0 && existsSync(examples) && !existsSync(join(folder, "examples"))) {
      cpSync(examples, join(folder, "examples"), { recursive: true });
    }
    for (const file of doc.files) files.push(join(folder, file));
    if (doc.snippets.length === 0) continue;
    const names = namesFor(folder, contextManifest(root, doc.context), byName);
    const preamble = new Map(Object.entries(config.preamble));
    for (const snippet of doc.snippets) {
      const module = exampleModule(snippet.code, names, preamble);
      const stem = basename(doc.doc).replace(/\.md$/i, "").toLowerCase();
      const path = join(folder, `${stem}.block-${snippet.line}.mts`);
      writeFileSync(path, module.text);
      generated.push({ path, doc: doc.doc, line: snippet.line, headerLines: module.headerLines });
    }
  }
  return { generated, files };
}

function contextManifest(root: string, context: string): Manifest | undefined {
  const file = join(root, context, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Manifest) : undefined;
}

/** The names a snippet may use freely: its package's exports, then those of the packages it depends on. */
function namesFor(
  folder: string,
  manifest: Manifest | undefined,
  published: ReadonlyMap<string, Manifest>,
): Map<string, NameSource> {
  const related = manifest
    ? [
        manifest.name,
        ...Object.keys({
          ...manifest.dependencies,
          ...manifest.peerDependencies,
          ...manifest.devDependencies,
        }),
      ]
    : [];
  const specifiers = related
    .map((name) => published.get(name))
    .filter((m): m is Manifest => m !== undefined)
    .flatMap((m) => entries(m).map((e) => ({ specifier: e.specifier })));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: ["node"],
  };
  const compiler = new Compiler(folder, options, dirname(folder));
  const names = new Map<string, NameSource>();
  for (const map of compiler.exportsOf(specifiers)) {
    for (const [name, source] of map) if (!names.has(name)) names.set(name, source);
  }
  for (const [name, from] of Object.entries(config.namespaces)) {
    if (!names.has(name) && compiler.resolve(from))
      names.set(name, { from, typeOnly: false, namespace: true });
  }
  for (const [name, from] of Object.entries(config.imports)) {
    if (!names.has(name) && compiler.resolve(from)) names.set(name, { from, typeOnly: false });
  }
  return names;
}

/** The TypeScript compilers the consumer project is checked with: the newest 5.x and 7.x pinned here. */
export function compilers(): { label: string; tsc: string }[] {
  return ["typescript", "typescript7"].map((name) => {
    const manifest = require(`${name}/package.json`) as { version: string };
    return {
      label: `TypeScript ${manifest.version}`,
      tsc: join(dirname(require.resolve(`${name}/package.json`)), "bin", "tsc"),
    };
  });
}

/**
 * Type-checks the consumer project with one compiler; errors in generated modules are placed
 * at their doc's line, errors in copied examples at the repository's file.
 *
 * @example
 * const problems = await typeCheckConsumer(root, consumer, generated, compilers()[0]);
 */
export async function typeCheckConsumer(
  root: string,
  consumer: string,
  generated: readonly GeneratedModule[],
  compiler: { label: string; tsc: string },
): Promise<string[]> {
  const { code, stdout, stderr } = await run(
    process.execPath,
    [compiler.tsc, "-p", "tsconfig.json", "--pretty", "false"],
    { cwd: consumer, allowFailure: true },
  );
  if (code === 0) return [];
  const byPath = new Map(generated.map((g) => [relative(consumer, g.path), g]));
  const lines = `${stdout}${stderr}`.split("\n").filter((line) => line.trim() !== "");
  const problems = lines.map((line) => {
    const at = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!at) return `${compiler.label}: ${line}`;
    const [, file = "", row = "0", column = "0", message = ""] = at;
    const module = byPath.get(file);
    if (module) {
      const docLine = module.line + Number(row) - 1 - module.headerLines;
      return `${compiler.label}: ${module.doc}:${docLine}:${column} (${file}) - ${message}`;
    }
    const example = /^([^/]+)\/examples\/(.*)$/.exec(file);
    if (example?.[1]) {
      const context = example[1].replace(/^packages-/, "packages/");
      return `${compiler.label}: ${relative(root, join(root, context, "examples", example[2] ?? ""))}:${row}:${column} - ${message}`;
    }
    return `${compiler.label}: ${file}:${row}:${column} - ${message}`;
  });
  return problems.length > 0 ? problems : [`${compiler.label}: tsc exited with ${code}`];
}

/**
 * One small project per package in the consumer (`entries/<folder>/`), importing every entry
 * of that package and nothing else, checked with TypeScript 7 and no `types` setting: TS 7
 * loads `@types/node` only when something references it, so an entry `.d.ts` that needs
 * Node's types without `/// <reference types="node" />` fails here (in the docs' project,
 * vitest's types pull Node's in and hide it).
 *
 * @example
 * const problems = await checkEntriesAlone(consumer, packages, compilers()[1]);
 */
export async function checkEntriesAlone(
  consumer: string,
  packages: readonly PublishedPackage[],
  compiler: { label: string; tsc: string },
): Promise<string[]> {
  const projects: string[] = [];
  for (const pkg of packages) {
    const specifiers = entries(pkg.manifest).map((e) => e.specifier);
    if (specifiers.length === 0) continue;
    const dir = join(consumer, "entries", basename(pkg.dir));
    mkdirSync(dir, { recursive: true });
    const tsconfig = { ...CONSUMER_TSCONFIG, include: ["index.ts"], exclude: [] };
    writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
    writeFileSync(
      join(dir, "index.ts"),
      specifiers.map((s, i) => `export * as entry${i} from ${JSON.stringify(s)};\n`).join(""),
    );
    projects.push(relative(consumer, dir));
  }
  // One build-mode run checks every project and parses shared files once.
  const { code, stdout, stderr } = await run(
    process.execPath,
    [compiler.tsc, "-b", ...projects, "--pretty", "false"],
    { cwd: consumer, allowFailure: true },
  );
  if (code === 0) return [];
  return [
    `${compiler.label}: the entries of each package alone (${projects.join(", ")}; no "types" in tsconfig.json):\n${`${stdout}${stderr}`.trim()}`,
  ];
}
