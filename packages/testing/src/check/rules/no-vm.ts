import { positionOf } from "../source/ast.js";
import { moduleBindings } from "../source/bindings.js";
import type { CheckRule } from "../types.js";

/** The `vm` module in the server's source: it runs code and is no security boundary. */
export const noVm: CheckRule = {
  id: "no-vm",
  severity: "warning",
  summary: "the server's source does not run code through node:vm",
  *check({ sources }) {
    for (const { file, ast } of sources) {
      for (const node of moduleBindings(ast, "vm").sites) {
        yield {
          component: { type: "source", name: file },
          message: `${file}:${positionOf(node).line} loads node:vm, which runs code and is not a sandbox (code inside can escape it).`,
          fix: "Do not run user-supplied code; if you must, use a separate process or an isolate with limits.",
          location: { file, ...positionOf(node) },
        };
      }
    }
  },
};
