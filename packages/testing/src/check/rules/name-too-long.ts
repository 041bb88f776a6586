import type { CheckRule } from "../types.js";

/** The longest tool name model APIs accept (OpenAI and Anthropic function names). */
export const MAX_TOOL_NAME = 64;

/** Tool names longer than clients accept. */
export const nameTooLong: CheckRule = {
  id: "name-too-long",
  severity: "error",
  summary: `tool names are at most ${MAX_TOOL_NAME} characters`,
  *check({ tools }) {
    for (const tool of tools) {
      if (tool.name.length <= MAX_TOOL_NAME) continue;
      yield {
        component: { type: "tool", name: tool.name },
        message: `Tool name "${tool.name}" is ${tool.name.length} characters; clients reject or truncate names over ${MAX_TOOL_NAME} (and some prefix the server name).`,
        fix: `Shorten it to ${MAX_TOOL_NAME} characters or fewer (leave room for a server prefix); put detail in the title.`,
      };
    }
  },
};
