import { type AstNode, positionOf, propertyName, unwrap, walk } from "../source/ast.js";
import { isReference, moduleBindings } from "../source/bindings.js";
import type { CheckRule } from "../types.js";

/** child_process functions that always go through a shell with a command string. */
const SHELL = new Set(["exec", "execSync"]);
/** child_process functions that use a shell only with `{ shell: true }`. */
const MAYBE_SHELL = new Set(["spawn", "spawnSync", "execFile", "execFileSync"]);

/** Whether a call passes an options object with `shell` set to anything but `false`. */
function withShell(call: AstNode): boolean {
  return (call.arguments as AstNode[]).some((arg) => {
    const o = unwrap(arg);
    if (o?.type !== "ObjectExpression") return false;
    return (o.properties as AstNode[]).some((p) => {
      if (p.type !== "ObjectProperty") return false;
      const key = p.key as AstNode;
      const value = p.value as AstNode;
      return key.name === "shell" && !(value.type === "BooleanLiteral" && value.value === false);
    });
  });
}

/** child_process `exec`/`execSync` (or `shell: true`) in the server's source: shell injection. */
export const noShellExec: CheckRule = {
  id: "no-shell-exec",
  severity: "error",
  summary: "the server's source never runs shell command strings (child_process exec)",
  *check({ sources }) {
    for (const { file, ast } of sources) {
      const cp = moduleBindings(ast, "child_process");
      if (cp.sites.length === 0) continue;
      const hits: { node: AstNode; fn: string }[] = [];
      const declarations = new Set(cp.sites);
      walk(ast, (node, parent, key) => {
        if (declarations.has(node)) return false;
        // `exec` imported by name: any use (a call, promisify(exec), an alias).
        if (node.type === "Identifier" && isReference(node, parent, key)) {
          const fn = cp.named.get(node.name as string);
          if (fn && SHELL.has(fn)) hits.push({ node, fn });
          return undefined;
        }
        if (node.type === "MemberExpression") {
          const object = node.object as AstNode;
          const fn = propertyName(node);
          if (
            object.type === "Identifier" &&
            cp.namespaces.has(object.name as string) &&
            fn &&
            SHELL.has(fn)
          ) {
            hits.push({ node, fn });
            return false;
          }
        }
        if (node.type === "CallExpression" && withShell(node)) {
          const callee = unwrap(node.callee);
          const fn =
            callee?.type === "Identifier"
              ? cp.named.get(callee.name as string)
              : callee?.type === "MemberExpression" &&
                  (callee.object as AstNode).type === "Identifier" &&
                  cp.namespaces.has((callee.object as AstNode).name as string)
                ? propertyName(callee)
                : undefined;
          if (fn && MAYBE_SHELL.has(fn)) hits.push({ node, fn: `${fn} with shell: true` });
        }
        return undefined;
      });
      for (const { node, fn } of hits) {
        yield {
          component: { type: "source", name: file },
          message: `child_process ${fn} at ${file}:${positionOf(node).line} runs a command string through a shell; input in it becomes shell injection.`,
          fix: "Use execFile/spawn with the program and an argument array (no shell), and validate the arguments.",
          location: { file, ...positionOf(node) },
        };
      }
    }
  },
};
