import type { CheckRule } from "../types.js";

/**
 * Tools whose handler returns an object literal but that declare no output schema: core sends
 * the object as `structuredContent` that clients cannot validate or describe to the model.
 * Found in the source (the registration's handler), so it needs `source`; no tool is called.
 */
export const outputSchemaMissing: CheckRule = {
  id: "output-schema-missing",
  severity: "warning",
  summary: "tools that return objects declare an output schema",
  *check({ tools, toolSites }) {
    for (const tool of tools) {
      if (tool.outputSchema) continue;
      const site = toolSites.find((s) => s.name === tool.name);
      if (!site?.returnsObject || site.hasOutput) continue;
      yield {
        component: { type: "tool", name: tool.name },
        message: `Tool "${tool.name}" returns an object but declares no output schema.`,
        fix: "Add `output: z.object({ … })` so clients get a schema for its structured content.",
        location: site.location,
      };
    }
  },
};
