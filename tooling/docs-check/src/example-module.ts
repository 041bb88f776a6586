import ts from "typescript";
import { declaredNames } from "./jsdoc-examples.js";

/** Where a free name of a snippet is imported from. */
export interface NameSource {
  /** The module specifier. */
  from: string;
  /** Imported with `type` (it has no value). */
  typeOnly: boolean;
  /** `import * as name from ...` instead of a named import. */
  namespace?: boolean;
}

/** A generated module: a header that brings the snippet's free names into scope, then the snippet. */
export interface ExampleModule {
  text: string;
  /** How many lines precede the snippet's first line. */
  headerLines: number;
}

/**
 * Wraps a snippet into a module of its own: every name the snippet uses without declaring or
 * importing it is imported from `names` (first match wins), or else declared from `preamble`
 * (`name` → a type). The module is ESM (`.mts`), so top-level `await` needs no wrapping; a
 * snippet that `return`s (the body of a handler) becomes the body of an async function, its
 * imports moved out (their lines left blank, so that line numbers stay true).
 *
 * @example
 * const names = new Map([["timing", { from: "@mcpforge/middleware/timing", typeOnly: false }]]);
 * exampleModule("app.use(timing());", names, new Map([["app", 'import("@mcpforge/core").McpForgeApp']]));
 * // { text: 'import { timing } from "@mcpforge/middleware/timing";\ndeclare const app: …;\napp.use(timing());', headerLines: 2 }
 */
export function exampleModule(
  code: string,
  names: ReadonlyMap<string, NameSource>,
  preamble: ReadonlyMap<string, string>,
): ExampleModule {
  const parsed = ts.createSourceFile("snippet.mts", code, ts.ScriptTarget.Latest, true);
  const declared = new Set(parsed.statements.flatMap(declaredNames));
  const named = new Map<string, string[]>();
  const header: string[] = [];
  const declarations: string[] = [];
  for (const name of usedNames(parsed)) {
    if (declared.has(name)) continue;
    const source = names.get(name);
    if (source?.namespace) {
      header.push(`import * as ${name} from ${JSON.stringify(source.from)};`);
    } else if (source) {
      const list = named.get(source.from) ?? [];
      list.push(source.typeOnly ? `type ${name}` : name);
      named.set(source.from, list);
    } else if (preamble.has(name)) {
      declarations.push(`declare const ${name}: ${preamble.get(name)};`);
    }
  }
  for (const [from, list] of named) {
    header.push(`import { ${list.join(", ")} } from ${JSON.stringify(from)};`);
  }
  header.push(...declarations);
  if (!returns(parsed)) return { text: [...header, code].join("\n"), headerLines: header.length };
  const lines = code.split("\n");
  for (const statement of parsed.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    header.push(statement.getText(parsed).replace(/\s*\n\s*/g, " "));
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    const last = parsed.getLineAndCharacterOfPosition(statement.end).line;
    for (let line = first; line <= last; line++) lines[line] = "";
  }
  header.push("export async function docsCheckExample() {");
  return { text: [...header, ...lines, "}"].join("\n"), headerLines: header.length };
}

/** Whether the snippet has a `return` outside any function: it is the body of one. */
function returns(sourceFile: ts.SourceFile): boolean {
  const visit = (node: ts.Node): boolean =>
    ts.isReturnStatement(node) ||
    (!ts.isFunctionLike(node) && !ts.isClassLike(node) && (ts.forEachChild(node, visit) ?? false));
  return sourceFile.statements.some(visit);
}

/** Every identifier the code refers to (not property names), sorted. */
function usedNames(sourceFile: ts.SourceFile): string[] {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && !isPropertyName(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return [...names].sort();
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isMethodSignature(parent) && parent.name === node)
  );
}
