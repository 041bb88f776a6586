import { describe, expect, it } from "vitest";
import { isPlainToolResult, TOOL_RESULT } from "./results.js";

describe("TOOL_RESULT (the proxy's check of a backend's tools/call result)", () => {
  it("passes a plain result on as is, without zod", () => {
    const plain = {
      content: [{ type: "text", text: "hi" }],
      isError: false,
      structuredContent: { a: 1 },
    };
    expect(isPlainToolResult(plain)).toBe(true);
    const r = TOOL_RESULT.safeParse(plain);
    expect(r.success).toBe(true);
    expect(r.data).toBe(plain);
  });

  it("checks anything else with CallToolResultSchema, which still refuses what is invalid", () => {
    const image = { content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] };
    expect(isPlainToolResult(image)).toBe(false);
    expect(TOOL_RESULT.safeParse(image)).toMatchObject({ success: true, data: image });
    for (const bad of [
      { content: [{ type: "text", text: 5 }] },
      { content: [{ type: "text" }] },
      { content: "hi" },
      { content: [], isError: "yes" },
      { content: [], structuredContent: [1] },
    ]) {
      expect(isPlainToolResult(bad), JSON.stringify(bad)).toBe(false);
      expect(TOOL_RESULT.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    // annotations, _meta and unknown members are left to the schema
    expect(isPlainToolResult({ content: [{ type: "text", text: "x", annotations: {} }] })).toBe(
      false,
    );
    expect(isPlainToolResult({ content: [], _meta: {} })).toBe(false);
    expect(TOOL_RESULT.safeParse({}).data).toEqual({ content: [] });
  });
});
