import type { CheckRule } from "../types.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Tool parameters and prompt arguments without a description. */
export const parameterDescription: CheckRule = {
  id: "parameter-description",
  severity: "warning",
  summary: "every tool parameter and prompt argument has a description",
  *check({ tools, prompts }) {
    for (const tool of tools) {
      const properties = tool.inputSchema.properties;
      if (!isObject(properties)) continue;
      for (const [key, schema] of Object.entries(properties)) {
        if (isObject(schema) && typeof schema.description === "string" && schema.description.trim())
          continue;
        yield {
          component: { type: "tool", name: tool.name },
          message: `Parameter "${key}" of tool "${tool.name}" has no description.`,
          fix: `Describe it in the schema, e.g. \`${key}: z.string().max(100).describe("…")\`.`,
        };
      }
    }
    for (const prompt of prompts) {
      for (const arg of prompt.arguments ?? []) {
        if (arg.description?.trim()) continue;
        yield {
          component: { type: "prompt", name: prompt.name },
          message: `Argument "${arg.name}" of prompt "${prompt.name}" has no description.`,
          fix: `Describe it, e.g. \`${arg.name}: z.string().describe("…")\`.`,
        };
      }
    }
  },
};
