import { type AstNode, isNode, staticString, unwrap, walk } from "./ast.js";

/** How one file binds a built-in module: named imports, whole-module names, and the import sites. */
export interface ModuleBindings {
  /** Local name → imported name (`import { exec as run }` → run → exec). */
  named: Map<string, string>;
  /** Local names bound to the whole module (`import * as cp`, `import cp`, `const cp = require(…)`). */
  namespaces: Set<string>;
  /** Each import or require of the module. */
  sites: AstNode[];
}

/** The module a `require("m")` / `import("m")` / `await import("m")` expression loads. */
function loadedModule(init: unknown): string | undefined {
  let node = unwrap(init);
  if (node?.type === "AwaitExpression") node = unwrap(node.argument);
  if (!node) return undefined;
  if (node.type === "ImportExpression") return staticString(node.source);
  if (node.type !== "CallExpression") return undefined;
  const callee = node.callee as AstNode;
  const isLoader =
    callee.type === "Import" || (callee.type === "Identifier" && callee.name === "require");
  return isLoader ? staticString((node.arguments as AstNode[])[0]) : undefined;
}

/**
 * Finds how a file binds a Node built-in (`child_process`, `vm`, with or without `node:`).
 *
 * @example
 * import { parseSource } from "./parse.js";
 * const ast = await parseSource('import { exec as run } from "node:child_process";', "server.ts");
 * const cp = moduleBindings(ast, "child_process");
 * cp.named.get("run"); // "exec"
 */
export function moduleBindings(ast: unknown, module: string): ModuleBindings {
  const names = new Set([module, `node:${module}`]);
  const result: ModuleBindings = { named: new Map(), namespaces: new Set(), sites: [] };
  walk(ast, (node) => {
    if (node.type === "ImportDeclaration" && names.has(staticString(node.source) ?? "")) {
      result.sites.push(node);
      for (const spec of node.specifiers as AstNode[]) {
        const local = (spec.local as AstNode).name as string;
        if (spec.type === "ImportSpecifier") {
          const imported = spec.imported as AstNode;
          result.named.set(local, (imported.name as string) ?? staticString(imported) ?? local);
        } else {
          result.namespaces.add(local);
        }
      }
      return false;
    }
    if (node.type === "VariableDeclarator" && names.has(loadedModule(node.init) ?? "")) {
      result.sites.push(node);
      const id = node.id as AstNode;
      if (id.type === "Identifier") result.namespaces.add(id.name as string);
      if (id.type === "ObjectPattern") {
        for (const prop of id.properties as AstNode[]) {
          if (prop.type !== "ObjectProperty") continue;
          const key = prop.key as AstNode;
          const value = prop.value as AstNode;
          const imported = (key.name as string) ?? staticString(key);
          if (imported && value.type === "Identifier")
            result.named.set(value.name as string, imported);
        }
      }
      return false;
    }
    if (
      (node.type === "CallExpression" || node.type === "ImportExpression") &&
      names.has(loadedModule(node) ?? "")
    ) {
      result.sites.push(node);
    }
    return undefined;
  });
  return result;
}

/** Whether an identifier node is a reference (not a property key, member name or declaration of a type). */
export function isReference(node: AstNode, parent: AstNode | undefined, key: string | undefined) {
  if (!parent || node.type !== "Identifier" || key === "id") return false;
  if (
    (parent.type === "MemberExpression" || parent.type === "OptionalMemberExpression") &&
    key === "property"
  )
    return Boolean(parent.computed);
  if (
    (parent.type === "ObjectProperty" ||
      parent.type === "ObjectMethod" ||
      parent.type.startsWith("Class")) &&
    key === "key"
  )
    return Boolean(parent.computed);
  if (
    parent.type.startsWith("TS") ||
    parent.type.startsWith("Import") ||
    parent.type.startsWith("Export")
  )
    return false;
  return isNode(parent);
}
