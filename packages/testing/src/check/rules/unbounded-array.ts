import { typesOf, walkSchema } from "../schema-walk.js";
import type { CheckRule } from "../types.js";

/** Array inputs without `maxItems`: a caller can send any number of items. */
export const unboundedArray: CheckRule = {
  id: "unbounded-array",
  severity: "warning",
  summary: "array inputs have a maximum number of items",
  *check({ tools }) {
    for (const tool of tools) {
      for (const { path, schema } of walkSchema(tool.inputSchema)) {
        if (!typesOf(schema).includes("array")) continue;
        if (typeof schema.maxItems === "number") continue;
        if (Array.isArray(schema.prefixItems) && schema.items === false) continue;
        yield {
          component: { type: "tool", name: tool.name },
          message: `Input "${path}" of tool "${tool.name}" is an array without a maximum number of items.`,
          fix: "Bound it: `z.array(…).max(…)`.",
        };
      }
    }
  },
};
