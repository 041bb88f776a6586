import type { CheckRule } from "../types.js";

/** Prompts without a description. */
export const promptDescription: CheckRule = {
  id: "prompt-description",
  severity: "warning",
  summary: "every prompt has a description",
  *check({ prompts }) {
    for (const prompt of prompts) {
      if (prompt.description?.trim()) continue;
      yield {
        component: { type: "prompt", name: prompt.name },
        message: `Prompt "${prompt.name}" has no description.`,
        fix: "Add `description` to the prompt's options: what it asks for and when to pick it.",
      };
    }
  },
};
