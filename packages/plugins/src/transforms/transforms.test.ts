import { describe, expect, it } from "vitest";
import { checkToolTransforms, transformTool } from "./transforms.js";

const search = {
  name: "search",
  description: "Search",
  inputSchema: {
    type: "object" as const,
    properties: { q: { type: "string" }, limit: { type: "number" }, tenant: { type: "string" } },
    required: ["q", "tenant"],
  },
};

describe("transformTool", () => {
  it("without transforms the tool is unchanged", () => {
    const t = transformTool(search, new Set(["a"]), undefined);
    expect(t?.entry).toBe(search);
    expect(t?.mapArgs({ q: "x" })).toEqual({ q: "x" });
  });

  it("renames, re-describes and hides arguments with fixed values (a client value is replaced)", () => {
    const t = transformTool(search, new Set(), {
      tools: {
        search: {
          name: "find",
          title: "Find",
          description: "Find things",
          hide: { tenant: "acme" },
          tags: ["x"],
        },
      },
    });
    expect(t?.entry).toEqual({
      name: "find",
      title: "Find",
      description: "Find things",
      inputSchema: {
        type: "object",
        properties: { q: { type: "string" }, limit: { type: "number" } },
        required: ["q"],
      },
    });
    expect([...(t?.tags ?? [])]).toEqual(["x"]);
    expect(t?.mapArgs({ q: "a", tenant: "evil" })).toEqual({ q: "a", tenant: "acme" });
    expect(t?.mapArgs(undefined)).toEqual({ tenant: "acme" });
    expect(search.inputSchema.required).toEqual(["q", "tenant"]); // the original is untouched
  });

  it("filters by name or tag: include keeps, exclude drops", () => {
    const tags = new Set(["admin"]);
    expect(transformTool(search, tags, { include: { names: ["other"] } })).toBeUndefined();
    expect(transformTool(search, tags, { include: { tags: ["admin"] } })).toBeDefined();
    expect(transformTool(search, tags, { exclude: { tags: ["admin"] } })).toBeUndefined();
    expect(transformTool(search, tags, { exclude: { names: ["search"] } })).toBeUndefined();
    expect(transformTool(search, new Set(), { exclude: { tags: ["admin"] } })).toBeDefined();
  });
});

describe("checkToolTransforms", () => {
  it("refuses unknown keys and wrong types, naming the field", () => {
    expect(() => checkToolTransforms("mount", { incude: {} })).toThrow(
      "@mcpforge/plugins: mount(): tools.incude is not an option",
    );
    expect(() => checkToolTransforms("mount", { include: { names: "x" } })).toThrow(
      /tools\.include\.names must be an array of strings/,
    );
    expect(() => checkToolTransforms("mount", { tools: { a: { rename: "b" } } })).toThrow(
      /tools\.tools\["a"\]\.rename is not an option/,
    );
    expect(() => checkToolTransforms("mount", { tools: { a: { hide: ["x"] } } })).toThrow(
      /hide must be an object/,
    );
    expect(() =>
      checkToolTransforms("mount", { tools: { a: { name: "b", tags: ["t"] } } }),
    ).not.toThrow();
  });
});
