import { isEnumerated, typesOf, walkSchema } from "../schema-walk.js";
import type { CheckRule } from "../types.js";

/** Formats whose values have a small fixed size (the server validates the format). */
const FIXED_SIZE_FORMATS = new Set(["date", "time", "date-time", "uuid", "ipv4", "ipv6"]);

/** String inputs without `maxLength` (or an enum): a caller can send megabytes. */
export const unboundedString: CheckRule = {
  id: "unbounded-string",
  severity: "warning",
  summary: "string inputs have a maximum length (or a fixed set of values, or a fixed-size format)",
  *check({ tools }) {
    for (const tool of tools) {
      for (const { path, schema } of walkSchema(tool.inputSchema)) {
        if (!typesOf(schema).includes("string") || isEnumerated(schema)) continue;
        if (typeof schema.maxLength === "number") continue;
        if (typeof schema.format === "string" && FIXED_SIZE_FORMATS.has(schema.format)) continue;
        yield {
          component: { type: "tool", name: tool.name },
          message: `Input "${path}" of tool "${tool.name}" is a string without a maximum length.`,
          fix: "Bound it: `z.string().max(…)`, or `z.enum([...])` for a fixed set of values.",
        };
      }
    }
  },
};
