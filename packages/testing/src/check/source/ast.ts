/** The part of a Babel AST node the checker reads. */
export interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number } } | null;
  [key: string]: unknown;
}

const SKIP = new Set([
  "loc",
  "start",
  "end",
  "extra",
  "range",
  "leadingComments",
  "trailingComments",
  "innerComments",
  "comments",
  "tokens",
]);

/** Whether a value is an AST node. */
export const isNode = (v: unknown): v is AstNode =>
  typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";

/**
 * Visits every node under `root` depth-first with its parent and the key it sits under;
 * return `false` from `visit` to skip a node's children.
 *
 * @example
 * import { parseSource } from "./parse.js";
 * const ast = await parseSource("run(a(), b());", "server.ts");
 * let calls = 0;
 * walk(ast, (node) => {
 *   if (node.type === "CallExpression") calls++;
 *   return undefined;
 * });
 * calls; // 3
 */
export function walk(
  root: unknown,
  visit: (node: AstNode, parent: AstNode | undefined, key: string | undefined) => undefined | false,
): void {
  const step = (node: AstNode, parent: AstNode | undefined, key: string | undefined) => {
    if (visit(node, parent, key) === false) return;
    for (const [k, value] of Object.entries(node)) {
      if (SKIP.has(k)) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) step(item, node, k);
      } else if (isNode(value)) {
        step(value, node, k);
      }
    }
  };
  if (isNode(root)) step(root, undefined, undefined);
}

/** A string the node stands for: a string literal or a template without expressions. */
export function staticString(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === "StringLiteral") return node.value as string;
  if (node.type === "TemplateLiteral" && (node.expressions as unknown[]).length === 0) {
    const quasis = node.quasis as { value: { cooked?: string } }[];
    return quasis[0]?.value.cooked;
  }
  return undefined;
}

/** The name of a member's property (`a.b` and `a["b"]` → `b`), or undefined. */
export function propertyName(member: AstNode): string | undefined {
  const property = member.property as AstNode;
  if (!member.computed && property.type === "Identifier") return property.name as string;
  return member.computed ? staticString(property) : undefined;
}

/** The callee name of a call: `f()` → f, `a.b.f()` → f. */
export function calleeName(call: AstNode): string | undefined {
  const callee = unwrap(call.callee);
  if (!callee) return undefined;
  if (callee.type === "Identifier") return callee.name as string;
  if (callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression")
    return propertyName(callee);
  return undefined;
}

const WRAPPERS = new Set([
  "ParenthesizedExpression",
  "TSAsExpression",
  "TSSatisfiesExpression",
  "TSNonNullExpression",
  "TSTypeAssertion",
]);

/** Strips parentheses, TypeScript casts, and `(0, x)` sequences down to the value expression. */
export function unwrap(node: unknown): AstNode | undefined {
  let n = isNode(node) ? node : undefined;
  while (n) {
    if (WRAPPERS.has(n.type)) n = n.expression as AstNode;
    else if (n.type === "SequenceExpression") n = (n.expressions as AstNode[]).at(-1);
    else break;
  }
  return n;
}

/** Where a node starts (1-based line and column). */
export function positionOf(node: AstNode): { line: number; column: number } {
  const start = node.loc?.start;
  return { line: start?.line ?? 1, column: (start?.column ?? 0) + 1 };
}
