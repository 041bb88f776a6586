import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware } from "@mcpforge/testing";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { silentLogger } from "../test-utils/fixtures.js";
import { checkArguments, validation } from "./validation.js";

testMiddleware("validation", () =>
  validation({ default: { maxStringLength: 1000, maxArrayLength: 100, maxArgumentBytes: 10_000 } }),
);

function guardedApp(options: Parameters<typeof validation>[0]) {
  const handled: unknown[] = [];
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(
    validation(options),
  );
  // No input schema: the handler gets the arguments as sent.
  app.tool("store", { description: "Stores anything" }, (args) => {
    handled.push(args);
    return { stored: true };
  });
  app.tool(
    "search",
    { description: "Searches", input: { query: z.string(), tags: z.array(z.string()).optional() } },
    ({ query }) => `results for ${query}`,
  );
  return { app, handled };
}

async function rejection(promise: Promise<unknown>): Promise<McpError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(McpError);
  expect((err as McpError).code).toBe(-32602);
  return err as McpError;
}

describe("validation middleware", () => {
  it("refuses strings, arrays, sizes and depths over the limits, naming the path", async () => {
    const { app, handled } = guardedApp({
      default: { maxStringLength: 10, maxArrayLength: 3, maxArgumentBytes: 60, maxDepth: 4 },
    });
    await using client = await createTestClient(app);
    const long = await rejection(
      client.callToolRaw("store", { items: [{ name: "ok" }, { name: "much too long" }] }),
    );
    expect(long.message).toContain(
      'Invalid arguments for tool "store": items[1].name is 13 characters long, over the limit of 10',
    );
    const many = await rejection(client.callToolRaw("store", { list: [1, 2, 3, 4] }));
    expect(many.message).toContain("list has 4 items, over the limit of 3");
    const big = await rejection(
      client.callToolRaw("store", {
        a: ["x", "y"],
        b: { c: "0123456789", d: "0123456789" },
        e: 1e300,
      }),
    );
    expect(big.message).toMatch(/the arguments are \d+ bytes of JSON, over the limit of 60/);
    const deep = await rejection(client.callToolRaw("store", { a: { b: { c: { d: { e: 1 } } } } }));
    expect(deep.message).toContain("a.b.c.d is nested 5 levels deep, over the limit of 4");
    const key = await rejection(client.callToolRaw("store", { "a very long key": 1 }));
    expect(key.message).toContain("a key in (arguments) is 15 characters long");
    const odd = await rejection(client.callToolRaw("store", { "odd key": ["x".repeat(11)] }));
    expect(odd.message).toContain('["odd key"][0] is 11 characters long');
    expect(handled).toEqual([]);
    expect(await client.callTool("store", { items: [{ name: "fine" }] })).toEqual({ stored: true });
  });

  it("refuses __proto__, constructor and prototype keys at any depth (JSON-parsed)", async () => {
    const { app, handled } = guardedApp({});
    await using client = await createTestClient(app);
    const polluted = JSON.parse('{"user":{"__proto__":{"isAdmin":true}}}') as Record<
      string,
      unknown
    >;
    const err = await rejection(client.callToolRaw("store", polluted));
    expect(err.message).toContain('user.__proto__ uses the key "__proto__"');
    const ctor = JSON.parse('{"list":[{"constructor":{"prototype":{"x":1}}}]}') as Record<
      string,
      unknown
    >;
    expect((await rejection(client.callToolRaw("store", ctor))).message).toContain(
      'list[0].constructor uses the key "constructor"',
    );
    const proto = await rejection(client.callToolRaw("store", { prototype: 1 }));
    expect(proto.message).toContain('prototype uses the key "prototype"');
    expect(handled).toEqual([]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it("merges per-tool policies over the default and can allow prototype keys", async () => {
    const { app, handled } = guardedApp({
      default: { maxStringLength: 5 },
      tools: { store: { maxStringLength: 50, rejectPrototypeKeys: false } },
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("store", { text: "longer than five", constructor: "ok" })).toEqual(
      {
        stored: true,
      },
    );
    expect(handled).toHaveLength(1);
    const err = await rejection(client.callToolRaw("search", { query: "too long" }));
    expect(err.message).toContain('tool "search": query is 8 characters long');
    expect(await client.callTool("search", { query: "ok" })).toBe("results for ok");
  });

  it("runs before the tool's schema and ignores non-tool requests", async () => {
    const { app } = guardedApp({ default: { maxArrayLength: 1 } });
    await using client = await createTestClient(app);
    // Schema-invalid but over the limit: the limit answers first, as a JSON-RPC error.
    const err = await rejection(client.callToolRaw("search", { query: 1, tags: ["a", "b"] }));
    expect(err.message).toContain("tags has 2 items");
    // Schema-invalid within the limits: core's isError answer.
    expect((await client.callToolRaw("search", { query: 1 })).isError).toBe(true);
    expect((await client.listTools()).map((t) => t.name)).toEqual(["store", "search"]);
  });

  it("validates its options", () => {
    expect(() => validation({ default: { maxStringLength: 0 } })).toThrow(
      /^@mcpforge\/middleware: validation\(\): default.maxStringLength must be a positive integer/,
    );
    expect(() => validation({ tools: { x: { maxArrayLength: -1 } } })).toThrow(
      /tools\["x"\].maxArrayLength/,
    );
    expect(() => validation({ default: { maxStringLenght: 5 } as never })).toThrow(
      /unknown setting "maxStringLenght"/,
    );
    expect(() => validation({ default: { rejectPrototypeKeys: "yes" as never } })).toThrow(
      /rejectPrototypeKeys must be a boolean/,
    );
    expect(() => validation({ tool: {} } as never)).toThrow(/unknown option "tool"/);
  });
});

describe("checkArguments", () => {
  it("walks deep and wide values without recursion limits", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(checkArguments({ deep }, {})).toBeUndefined();
    expect(checkArguments({ deep }, { maxDepth: 100 })).toMatch(/nested 101 levels deep/);
    const wide = { list: Array.from({ length: 50_000 }, (_v, i) => ({ i })) };
    expect(checkArguments(wide, { maxArrayLength: 100_000 })).toBeUndefined();
    expect(checkArguments(undefined, { maxArgumentBytes: 1 })).toBeUndefined();
  });

  it("measures the size as JSON.stringify does, byte for byte at the limit (escapes, UTF-8, nulls, toJSON)", () => {
    const cases: unknown[] = [
      { s: "\u0001".repeat(100) }, // each character escaped to 6 bytes
      { s: "é".repeat(100) }, // 2 bytes of UTF-8 each
      { s: "\ud800".repeat(10) }, // lone surrogates, escaped
      { a: Array.from({ length: 100 }, () => null) },
      { d: new Date(0) }, // toJSON()
      { n: Object(123456789) }, // a boxed number
      { x: [1.5e300, -2, true, false, "ok", { y: [] }] },
    ];
    for (const args of cases) {
      const bytes = Buffer.byteLength(JSON.stringify(args));
      expect(checkArguments(args, { maxArgumentBytes: bytes })).toBeUndefined();
      expect(checkArguments(args, { maxArgumentBytes: bytes - 1 })).toBe(
        `the arguments are ${bytes} bytes of JSON, over the limit of ${bytes - 1}`,
      );
    }
  });

  it("reports the size first, throws for what JSON cannot serialize, and stops on cycles", () => {
    const args = { a: "x".repeat(20), big: "y".repeat(1000) };
    expect(checkArguments(args, { maxStringLength: 10, maxArgumentBytes: 100 })).toMatch(
      /^the arguments are 1037 bytes of JSON/,
    );
    expect(checkArguments(args, { maxStringLength: 10, maxArgumentBytes: 2000 })).toMatch(
      /^a is 20 characters long/,
    );
    expect(() => checkArguments({ n: 1n }, { maxArgumentBytes: 100 })).toThrow(TypeError);
    expect(() =>
      checkArguments({ a: "x".repeat(20), n: 1n }, { maxStringLength: 10, maxArgumentBytes: 100 }),
    ).toThrow(TypeError);
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(() => checkArguments(cyclic, { maxArgumentBytes: 10_000 })).toThrow(TypeError);
  });
});
