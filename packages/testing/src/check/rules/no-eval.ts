import { type AstNode, positionOf, propertyName, walk } from "../source/ast.js";
import { isReference } from "../source/bindings.js";
import type { CheckRule } from "../types.js";

const GLOBALS = new Set(["globalThis", "global", "window", "self"]);

/** Whether a node is `eval` itself or `globalThis.eval` (and friends). */
function isEval(node: AstNode, parent: AstNode | undefined, key: string | undefined): boolean {
  if (node.type === "Identifier" && node.name === "eval") return isReference(node, parent, key);
  if (node.type !== "MemberExpression" && node.type !== "OptionalMemberExpression") return false;
  const object = node.object as AstNode;
  return (
    object.type === "Identifier" &&
    GLOBALS.has(object.name as string) &&
    propertyName(node) === "eval"
  );
}

/** `eval` in the server's source: it runs strings as code. */
export const noEval: CheckRule = {
  id: "no-eval",
  severity: "error",
  summary: "the server's source never uses eval",
  *check({ sources }) {
    for (const { file, ast } of sources) {
      const hits: AstNode[] = [];
      walk(ast, (node, parent, key) => {
        if (!isEval(node, parent, key)) return undefined;
        hits.push(node);
        return false;
      });
      for (const node of hits) {
        yield {
          component: { type: "source", name: file },
          message: `eval at ${file}:${positionOf(node).line} runs a string as code; with tool input in it, anyone can run code on the server.`,
          fix: "Parse the input instead (JSON.parse, a small expression parser, a lookup table).",
          location: { file, ...positionOf(node) },
        };
      }
    }
  },
};
