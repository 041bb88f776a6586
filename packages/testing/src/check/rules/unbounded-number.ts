import { isEnumerated, typesOf, walkSchema } from "../schema-walk.js";
import type { CheckRule } from "../types.js";

/** A bound that means something: zod's `int()` emits ±MAX_SAFE_INTEGER, which bounds nothing. */
const isBound = (v: unknown) => typeof v === "number" && Math.abs(v) < Number.MAX_SAFE_INTEGER;

/** Number inputs without both a minimum and a maximum. */
export const unboundedNumber: CheckRule = {
  id: "unbounded-number",
  severity: "warning",
  summary: "number inputs have a minimum and a maximum",
  *check({ tools }) {
    for (const tool of tools) {
      for (const { path, schema } of walkSchema(tool.inputSchema)) {
        const types = typesOf(schema);
        if (!types.includes("number") && !types.includes("integer")) continue;
        if (isEnumerated(schema)) continue;
        const low = isBound(schema.minimum) || isBound(schema.exclusiveMinimum);
        const high = isBound(schema.maximum) || isBound(schema.exclusiveMaximum);
        if (low && high) continue;
        const missing = !low && !high ? "a minimum and a maximum" : low ? "a maximum" : "a minimum";
        yield {
          component: { type: "tool", name: tool.name },
          message: `Input "${path}" of tool "${tool.name}" is a number without ${missing}.`,
          fix: "Bound it to the range the tool can handle: `z.number().min(…).max(…)`.",
        };
      }
    }
  },
};
