import type { ResultSchema } from "@mcpforge/core/authoring";
import { CallToolResultSchema } from "@mcpforge/core/client";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const RESULT_KEYS = new Set(["content", "isError", "structuredContent"]);

/** A text block with nothing else in it. */
function plainText(block: unknown): boolean {
  if (!isObject(block) || block.type !== "text" || typeof block.text !== "string") return false;
  for (const key in block) if (key !== "type" && key !== "text") return false;
  return true;
}

/**
 * Whether a `tools/call` result is a plain one — text blocks, `isError`, `structuredContent` —
 * that `CallToolResultSchema` would return unchanged.
 *
 * @example
 * isPlainToolResult({ content: [{ type: "text", text: "hi" }] }); // true
 * isPlainToolResult({ content: [{ type: "image", data: "…", mimeType: "image/png" }] }); // false
 */
export function isPlainToolResult(value: unknown): boolean {
  if (!isObject(value) || !Array.isArray(value.content)) return false;
  for (const key in value) if (!RESULT_KEYS.has(key)) return false;
  if (value.isError !== undefined && typeof value.isError !== "boolean") return false;
  if (value.structuredContent !== undefined && !isObject(value.structuredContent)) return false;
  for (const block of value.content) if (!plainText(block)) return false;
  return true;
}

/**
 * The schema the proxy checks a backend's `tools/call` result with: a plain result (the
 * common case) is checked by hand and passed on as is; anything else goes through the SDK's
 * `CallToolResultSchema` (zod), so the caller always gets a valid `CallToolResult`.
 *
 * @example
 * TOOL_RESULT.safeParse({ content: [{ type: "text", text: "hi" }] }).success; // true, as is
 * TOOL_RESULT.safeParse({ content: "hi" }).success; // false
 */
export const TOOL_RESULT: ResultSchema = {
  safeParse: (value) =>
    isPlainToolResult(value)
      ? { success: true, data: value }
      : CallToolResultSchema.safeParse(value),
};
