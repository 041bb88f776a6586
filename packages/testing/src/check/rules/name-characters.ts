import type { CheckRule } from "../types.js";

const PORTABLE = /^[A-Za-z0-9_-]+$/;

/** Tool names with characters that model APIs reject (`.` is valid MCP but not a valid function name). */
export const nameCharacters: CheckRule = {
  id: "name-characters",
  severity: "warning",
  summary: "tool names use only A-Z a-z 0-9 _ -",
  *check({ tools }) {
    for (const tool of tools) {
      if (PORTABLE.test(tool.name)) continue;
      const bad = [...new Set(tool.name.replace(/[A-Za-z0-9_-]/g, ""))].join("");
      yield {
        component: { type: "tool", name: tool.name },
        message: `Tool name "${tool.name}" contains ${JSON.stringify(bad)}; clients that map tools to model function names (pattern ^[a-zA-Z0-9_-]{1,64}$) reject or rewrite it.`,
        fix: "Use only letters, digits, `_` and `-` (e.g. `files_read` instead of `files.read`).",
      };
    }
  },
};
