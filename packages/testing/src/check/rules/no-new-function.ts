import { type AstNode, positionOf, propertyName, unwrap, walk } from "../source/ast.js";
import type { CheckRule } from "../types.js";

/** Whether a callee is `Function` or `globalThis.Function`. */
function isFunctionConstructor(callee: unknown): boolean {
  const n = unwrap(callee);
  if (!n) return false;
  if (n.type === "Identifier") return n.name === "Function";
  if (n.type !== "MemberExpression") return false;
  const object = n.object as AstNode;
  return (
    object.type === "Identifier" && object.name === "globalThis" && propertyName(n) === "Function"
  );
}

/** `new Function(...)` / `Function(...)` in the server's source: eval by another name. */
export const noNewFunction: CheckRule = {
  id: "no-new-function",
  severity: "error",
  summary: "the server's source never builds functions from strings (new Function)",
  *check({ sources }) {
    for (const { file, ast } of sources) {
      const hits: AstNode[] = [];
      walk(ast, (node) => {
        if (
          (node.type === "NewExpression" || node.type === "CallExpression") &&
          isFunctionConstructor(node.callee)
        )
          hits.push(node);
        return undefined;
      });
      for (const node of hits) {
        yield {
          component: { type: "source", name: file },
          message: `new Function at ${file}:${positionOf(node).line} compiles a string into code.`,
          fix: "Write the function in code; pick behaviour from a table of functions instead of building source text.",
          location: { file, ...positionOf(node) },
        };
      }
    }
  },
};
