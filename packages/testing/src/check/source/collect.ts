import { readFile, stat } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { SourceFile } from "../types.js";
import { type AstNode, staticString, walk } from "./ast.js";
import { parseSource } from "./parse.js";

/** The most files one scan reads (a guard against runaway import graphs). */
const MAX_FILES = 500;

const JS_TO_TS: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
  ".jsx": [".tsx"],
};

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Resolves a relative import the way TypeScript projects write them (`./x.js` may be `./x.ts`). */
async function resolveImport(from: string, specifier: string): Promise<string | undefined> {
  const base = resolve(dirname(from), specifier);
  const ext = /\.[cm]?jsx?$/.exec(base)?.[0];
  const candidates = [base];
  if (ext) for (const ts of JS_TO_TS[ext] ?? []) candidates.push(base.slice(0, -ext.length) + ts);
  for (const suffix of [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs"])
    candidates.push(base + suffix);
  for (const index of ["index.ts", "index.js"]) candidates.push(resolve(base, index));
  for (const candidate of candidates) {
    if (candidate.split(sep).includes("node_modules")) return undefined;
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** The relative module specifiers a file imports (static, dynamic, re-exports, require). */
function relativeImports(ast: unknown): string[] {
  const found: string[] = [];
  const add = (node: unknown) => {
    const s = staticString(node);
    if (s?.startsWith("./") || s?.startsWith("../")) found.push(s);
  };
  walk(ast, (node: AstNode) => {
    if (
      node.type === "ImportDeclaration" ||
      node.type === "ExportNamedDeclaration" ||
      node.type === "ExportAllDeclaration"
    ) {
      add(node.source);
    } else if (node.type === "ImportExpression") {
      add(node.source);
    } else if (node.type === "CallExpression") {
      const callee = node.callee as AstNode;
      const args = node.arguments as AstNode[];
      if (callee.type === "Import" || (callee.type === "Identifier" && callee.name === "require"))
        add(args[0]);
    }
    return undefined;
  });
  return found;
}

/**
 * Reads and parses a server's own source: the entry file and every file it reaches through
 * relative imports (never `node_modules`).
 *
 * @example
 * const files = await collectSources("src/server.ts");
 */
export async function collectSources(entry: string, cwd = process.cwd()): Promise<SourceFile[]> {
  const first = resolve(cwd, entry);
  if (!(await isFile(first))) throw new Error(`@mcpforge/testing: checkServer(): no file ${entry}`);
  const queue = [first];
  const seen = new Set(queue);
  const files: SourceFile[] = [];
  while (queue.length > 0 && files.length < MAX_FILES) {
    const path = queue.shift() as string;
    const name = relative(cwd, path).split(sep).join("/");
    const ast = await parseSource(await readFile(path, "utf8"), name);
    files.push({ file: name, ast });
    for (const specifier of relativeImports(ast)) {
      const target = await resolveImport(path, specifier);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return files;
}
