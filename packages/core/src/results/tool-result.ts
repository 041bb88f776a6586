import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";
import { isContentBlock } from "./content.js";

/**
 * Tells whether a value already is a full `CallToolResult` (a `content` array of blocks).
 *
 * @example
 * isCallToolResult({ content: [{ type: "text", text: "x" }] }); // true
 */
export function isCallToolResult(value: unknown): value is CallToolResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const content = (value as { content?: unknown }).content;
  return Array.isArray(content) && content.every(isContentBlock);
}

/**
 * Converts what a tool handler returned into a `CallToolResult`: string → text;
 * content block(s) → content; plain object → `structuredContent` plus a JSON text copy;
 * other values → their JSON text.
 *
 * @example
 * toCallToolResult({ sum: 3 }); // { content: [{ type: "text", text: '{"sum":3}' }], structuredContent: { sum: 3 } }
 */
export function toCallToolResult(value: unknown): CallToolResult {
  if (isCallToolResult(value)) return value;
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === "string") return { content: [{ type: "text", text: value }] };
  if (isContentBlock(value)) return { content: [value] };
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isContentBlock))
      return { content: value as ContentBlock[] };
    return { content: [{ type: "text", text: JSON.stringify(value) }] };
  }
  if (typeof value === "object") {
    if (value instanceof Uint8Array) {
      throw new TypeError(
        "A tool returned raw bytes: wrap them with image(), audio() or embeddedResource()",
      );
    }
    const structured = value as Record<string, unknown>;
    return {
      content: [{ type: "text", text: JSON.stringify(structured) }],
      structuredContent: structured,
    };
  }
  return { content: [{ type: "text", text: String(value) }] };
}
