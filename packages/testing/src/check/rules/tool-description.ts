import type { CheckRule } from "../types.js";

/** Tools without a description: the model cannot tell when to call them. */
export const toolDescription: CheckRule = {
  id: "tool-description",
  severity: "error",
  summary: "every tool has a description",
  *check({ tools }) {
    for (const tool of tools) {
      if (tool.description?.trim()) continue;
      yield {
        component: { type: "tool", name: tool.name },
        message: `Tool "${tool.name}" has no description; the model cannot tell when to use it.`,
        fix: "Add `description` to the tool's options: what it does, when to use it, what it returns.",
      };
    }
  },
};
