import type { SourceFile, ToolSite } from "../types.js";
import { type AstNode, calleeName, isNode, positionOf, staticString, unwrap, walk } from "./ast.js";

/** Calls that delete or overwrite things (fs, processes, databases, caches). */
const DESTRUCTIVE_CALLS = new Set([
  "rm",
  "rmSync",
  "rmdir",
  "rmdirSync",
  "unlink",
  "unlinkSync",
  "truncate",
  "truncateSync",
  "kill",
  "dropDatabase",
  "dropCollection",
  "deleteOne",
  "deleteMany",
  "destroy",
  "flushall",
  "flushdb",
]);

const DESTRUCTIVE_SQL = /^\s*(DELETE\s+FROM|DROP\s+(TABLE|DATABASE|SCHEMA|INDEX)|TRUNCATE)\b/i;

const FUNCTIONS = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);

/** Whether an expression evaluates to an object literal (through casts, `await`, `?:`, `&&`/`||`). */
function isObjectLiteral(node: unknown): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === "ObjectExpression") return true;
  if (n.type === "AwaitExpression") return isObjectLiteral(n.argument);
  if (n.type === "ConditionalExpression")
    return isObjectLiteral(n.consequent) || isObjectLiteral(n.alternate);
  if (n.type === "LogicalExpression") return isObjectLiteral(n.left) || isObjectLiteral(n.right);
  return false;
}

/** Whether a handler returns an object literal (its own `return`s, not nested functions'). */
function returnsObject(handler: AstNode): boolean {
  if (handler.expression === true || (handler.body as AstNode).type !== "BlockStatement")
    return isObjectLiteral(handler.body);
  let found = false;
  walk(handler.body, (node) => {
    if (found || FUNCTIONS.has(node.type)) return false;
    if (node.type === "ReturnStatement" && isObjectLiteral(node.argument)) found = true;
    return undefined;
  });
  return found;
}

function destructiveCalls(handler: AstNode): string[] {
  const found = new Set<string>();
  walk(handler.body, (node) => {
    if (node.type === "CallExpression" || node.type === "OptionalCallExpression") {
      const name = calleeName(node);
      if (name && DESTRUCTIVE_CALLS.has(name)) found.add(`${name}()`);
    }
    const text =
      node.type === "TemplateElement"
        ? (node.value as { cooked?: string }).cooked
        : node.type === "StringLiteral"
          ? (node.value as string)
          : undefined;
    const sql = text ? DESTRUCTIVE_SQL.exec(text) : null;
    if (sql?.[1]) found.add(`SQL ${sql[1].toUpperCase().replace(/\s+/g, " ")}`);
    return undefined;
  });
  return [...found];
}

function hasKey(options: AstNode, key: string): boolean {
  return (options.properties as AstNode[]).some((p) => {
    if (p.type === "SpreadElement") return true; // unknown keys: assume it may be there
    const k = p.key as AstNode;
    return !p.computed && ((k.name as string) ?? staticString(k)) === key;
  });
}

/**
 * Finds `x.tool("name", { ... }, handler)` registrations in parsed source files.
 *
 * @example
 * import { collectSources } from "./collect.js";
 * const sites = findToolSites(await collectSources("src/server.ts"));
 * for (const site of sites) console.log(site.name, site.location.file, site.returnsObject);
 */
export function findToolSites(files: readonly SourceFile[]): ToolSite[] {
  const sites: ToolSite[] = [];
  for (const { file, ast } of files) {
    walk(ast, (node) => {
      if (node.type !== "CallExpression") return undefined;
      const callee = unwrap(node.callee);
      if (callee?.type !== "MemberExpression" || calleeName(node) !== "tool") return undefined;
      const args = node.arguments as AstNode[];
      const name = staticString(args[0]);
      const handler = unwrap(args.at(-1));
      if (name === undefined || !handler || !FUNCTIONS.has(handler.type)) return undefined;
      const options = args.length >= 3 && isNode(args[1]) ? unwrap(args[1]) : undefined;
      sites.push({
        name,
        hasOutput:
          options?.type === "ObjectExpression" ? hasKey(options, "output") : options !== undefined,
        returnsObject: returnsObject(handler),
        destructiveCalls: destructiveCalls(handler),
        location: { file, ...positionOf(node) },
      });
      return undefined;
    });
  }
  return sites;
}
