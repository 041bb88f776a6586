import { McpError } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  audio,
  createServer,
  embeddedResource,
  image,
  jsonSchema,
  resourceLink,
  ToolError,
  text,
} from "../src/index.js";
import { captureStderr, connect, until } from "./helpers.js";

function calcApp() {
  const app = createServer({ name: "t", version: "1.0.0" });
  app.tool(
    "add",
    { description: "Add two numbers", input: { a: z.number(), b: z.number() } },
    ({ a, b }) => ({ sum: a + b }),
  );
  app.tool(
    "slow_echo",
    { description: "Echo later", input: z.object({ text: z.string().max(10) }) },
    async ({ text }) => {
      await new Promise((r) => setTimeout(r, 5));
      return text;
    },
  );
  return app;
}

async function rpcError(p: Promise<unknown>): Promise<McpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof McpError) return err;
    throw err;
  }
  throw new Error("expected a JSON-RPC error");
}

describe("tools", () => {
  it("lists tools with a draft 2020-12 input schema computed at registration", async () => {
    const { client } = await connect(calcApp());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["add", "slow_echo"]);
    const add = tools[0]!;
    expect(add.description).toBe("Add two numbers");
    expect(add.inputSchema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
  });

  it("calls a tool: object results become structuredContent plus a text copy", async () => {
    const { client } = await connect(calcApp());
    const r = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(r.structuredContent).toEqual({ sum: 5 });
    expect(r.content).toEqual([{ type: "text", text: '{"sum":5}' }]);
    expect(r.isError).toBeUndefined();
  });

  it("runs async tools", async () => {
    const { client } = await connect(calcApp());
    const r = await client.callTool({ name: "slow_echo", arguments: { text: "hi" } });
    expect(r.content).toEqual([{ type: "text", text: "hi" }]);
  });

  it("answers invalid argument types with an isError result naming each field, without calling the handler", async () => {
    let called = 0;
    const app = createServer({ name: "t", version: "1" });
    app.tool("f", { input: { a: z.number(), b: z.string(), c: z.boolean() } }, () => {
      called++;
      return "ok";
    });
    const { client } = await connect(app);
    const r = await client.callTool({ name: "f", arguments: { a: "x", c: true } });
    expect(r.isError).toBe(true);
    const message = (r.content as { text: string }[])[0]!.text;
    expect(message).toContain('Invalid arguments for tool "f"');
    expect(message).toMatch(/a: .*expected number/);
    expect(message).toContain("b: is required");
    expect(message).not.toContain("c:");
    expect(called).toBe(0);
  });

  it("accepts a call with no arguments field at all", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("ping_tool", { description: "no args" }, () => "pong");
    const { client } = await connect(app);
    expect((await client.callTool({ name: "ping_tool" })).content).toEqual([
      { type: "text", text: "pong" },
    ]);
  });

  it("answers an unknown tool with JSON-RPC -32602", async () => {
    const { client } = await connect(calcApp());
    const err = await rpcError(client.callTool({ name: "nope", arguments: {} }));
    expect(err.code).toBe(-32602);
    expect(err.message).toContain("Unknown tool: nope");
  });

  it("answers a malformed tools/call (no name) with -32602", async () => {
    const { client } = await connect(calcApp());
    const err = await rpcError(
      client.request({ method: "tools/call", params: { arguments: {} } } as never, z.any()),
    );
    expect(err.code).toBe(-32602);
  });

  it("answers an unknown method with -32601", async () => {
    const { client } = await connect(calcApp());
    const err = await rpcError(client.request({ method: "nope/nope" } as never, z.any()));
    expect(err.code).toBe(-32601);
  });

  it("converts return values and content helpers", async () => {
    const app = createServer({ name: "t", version: "1" });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    app.tool("s", {}, () => "plain");
    app.tool("n", {}, () => 42);
    app.tool("arr", {}, () => [1, 2]);
    app.tool("img", {}, () => image(png, "image/png"));
    app.tool("multi", {}, () => [
      text("a"),
      audio(png.toString("base64"), "audio/wav"),
      embeddedResource({ uri: "mem://x", mimeType: "text/plain", text: "x" }),
      resourceLink({ uri: "mem://y", name: "y" }),
    ]);
    app.tool("none", {}, () => undefined);
    const { client } = await connect(app);
    const call = (name: string) => client.callTool({ name, arguments: {} });
    expect((await call("s")).content).toEqual([{ type: "text", text: "plain" }]);
    expect((await call("n")).content).toEqual([{ type: "text", text: "42" }]);
    expect((await call("arr")).content).toEqual([{ type: "text", text: "[1,2]" }]);
    expect((await call("img")).content).toEqual([
      { type: "image", data: png.toString("base64"), mimeType: "image/png" },
    ]);
    const multi = (await call("multi")).content as { type: string }[];
    expect(multi.map((b) => b.type)).toEqual(["text", "audio", "resource", "resource_link"]);
    expect((await call("none")).content).toEqual([]);
  });

  it("validates results against an output schema; a mismatch is a server error, never sent", async () => {
    const app = createServer({ name: "t", version: "1" });
    const output = z.object({ total: z.number() });
    app.tool("good", { output }, () => ({ total: 1 }));
    app.tool("bad", { output }, () => ({ total: "one" }) as never);
    const { client } = await connect(app);
    const tools = (await client.listTools()).tools;
    expect(tools[0]!.outputSchema).toMatchObject({ type: "object", required: ["total"] });
    expect((await client.callTool({ name: "good", arguments: {} })).structuredContent).toEqual({
      total: 1,
    });
    const { result: err, stderr } = await captureStderr(() =>
      rpcError(client.callTool({ name: "bad", arguments: {} })),
    );
    expect(err.code).toBe(-32603);
    expect(err.message).toContain("does not match its output schema");
    expect(stderr).toContain("total");
  });

  it("serves a plain JSON Schema verbatim and validates calls against it", async () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { type: "object", properties: { city: { type: "string" } } } },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    };
    const app = createServer({ name: "t", version: "1" });
    app.tool("js", { description: "raw schema", input: jsonSchema(schema) }, (args) => args);
    const { client } = await connect(app);
    expect((await client.listTools()).tools[0]!.inputSchema).toEqual(schema);
    const ok = await client.callTool({ name: "js", arguments: { name: "x" } });
    expect(ok.structuredContent).toEqual({ name: "x" });
    const bad = await client.callTool({ name: "js", arguments: { other: 1 } });
    expect(bad.isError).toBe(true);
  });

  it("fails at registration for schemas that cannot be converted, bad names and duplicates", () => {
    const app = createServer({ name: "t", version: "1" });
    expect(() => app.tool("d", { input: { when: z.date() } }, () => "")).toThrow(
      /input schema of tool "d" cannot be converted to JSON Schema/,
    );
    expect(() => app.tool("bad name!", {}, () => "")).toThrow(/invalid tool name/);
    app.tool("x", {}, () => "");
    expect(() => app.tool("x", {}, () => "")).toThrow(/already registered/);
    expect(() => app.tool("y", { input: z.string() as never }, () => "")).toThrow(/zod object/);
  });

  it("turns ToolError into an isError result with its message", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("div", { input: { a: z.number(), b: z.number() } }, ({ a, b }) => {
      if (b === 0) throw new ToolError("Cannot divide by zero");
      return a / b;
    });
    const { client } = await connect(app);
    const r = await client.callTool({ name: "div", arguments: { a: 1, b: 0 } });
    expect(r).toEqual({
      isError: true,
      content: [{ type: "text", text: "Cannot divide by zero" }],
    });
  });

  it("masks unexpected errors: a generic message with a correlation id, details only on stderr", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("boom", {}, () => {
      throw new Error("secret db password at /srv/app/db.ts");
    });
    const { client } = await connect(app);
    const { result, stderr } = await captureStderr(() =>
      client.callTool({ name: "boom", arguments: {} }),
    );
    const message = (result.content as { text: string }[])[0]!.text;
    expect(result.isError).toBe(true);
    expect(message).toMatch(/^Internal error \(correlation id: [0-9a-f-]{36}\)$/);
    expect(message).not.toMatch(/secret|\/srv|\.ts|at /);
    const id = /correlation id: ([0-9a-f-]+)/.exec(message)![1]!;
    expect(stderr).toContain(id);
    expect(stderr).toContain("secret db password");
  });

  it("enables, disables and removes tools at runtime and notifies clients", async () => {
    const app = calcApp();
    const { client, notifications } = await connect(app);
    const handle = app.getTool("add")!;
    handle.disable();
    expect(handle.enabled).toBe(false);
    await until(() => notifications.some((n) => n.method === "notifications/tools/list_changed"));
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["slow_echo"]);
    expect((await rpcError(client.callTool({ name: "add", arguments: { a: 1, b: 1 } }))).code).toBe(
      -32602,
    );
    handle.enable();
    expect((await client.listTools()).tools).toHaveLength(2);
    expect(handle.remove()).toBe(true);
    expect(app.getTool("add")).toBeUndefined();
    const late = app.tool("late", {}, () => "x");
    expect(late.name).toBe("late");
    await until(
      () =>
        notifications.filter((n) => n.method === "notifications/tools/list_changed").length >= 2,
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["slow_echo", "late"]);
  });

  it("paginates lists with opaque cursors and rejects invalid cursors with -32602", async () => {
    const app = createServer({ name: "t", version: "1", pageSize: 3 });
    for (let i = 0; i < 7; i++) app.tool(`t${i}`, {}, () => "");
    const { client } = await connect(app);
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(["t0", "t1", "t2", "t3", "t4", "t5", "t6"]);
    for (const bad of ["garbage", Buffer.from('{"o":-1}').toString("base64url"), "eyJvIjo5OTl9"]) {
      expect((await rpcError(client.listTools({ cursor: bad }))).code).toBe(-32602);
    }
  });

  it("answers 100 concurrent calls correctly", async () => {
    const { client } = await connect(calcApp());
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.callTool({ name: "add", arguments: { a: i, b: 1000 } }),
      ),
    );
    expect(results.map((r) => r.structuredContent)).toEqual(
      results.map((_r, i) => ({ sum: i + 1000 })),
    );
  });

  it("add is commutative (property)", async () => {
    const { client } = await connect(calcApp());
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer(), async (a, b) => {
        const x = await client.callTool({ name: "add", arguments: { a, b } });
        const y = await client.callTool({ name: "add", arguments: { a: b, b: a } });
        expect(x.structuredContent).toEqual(y.structuredContent);
      }),
      { numRuns: 50 },
    );
  });

  it("carries title, annotations, icons and _meta into the list entry", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool(
      "rm",
      {
        title: "Remove",
        description: "Deletes",
        tags: ["admin"],
        annotations: { destructiveHint: true },
        icons: [{ src: "https://example.com/i.png" }],
        _meta: { "example.com/x": 1 },
      },
      () => "",
    );
    const { client } = await connect(app);
    expect((await client.listTools()).tools[0]).toMatchObject({
      name: "rm",
      title: "Remove",
      annotations: { destructiveHint: true },
      icons: [{ src: "https://example.com/i.png" }],
      _meta: { "example.com/x": 1 },
    });
  });
});

describe("onListChanged", () => {
  it("tells watchers which list changed, with or without connected clients", () => {
    const app = createServer({ name: "t", version: "1" });
    const kinds: string[] = [];
    const stop = app.onListChanged((k) => kinds.push(k));
    const tool = app.tool("a", {}, () => "");
    app.resource("mem://x", {}, () => "");
    app.prompt("p", {}, () => "");
    tool.disable();
    stop();
    tool.enable();
    expect(kinds).toEqual(["tools", "resources", "prompts", "tools"]);
  });
});

describe("components()", () => {
  it("lists registered components of a type with their tags", () => {
    const app = createServer({ name: "t", version: "1" });
    app.tool("a", { tags: ["admin"] }, () => "");
    app.tool("b", { enabled: false }, () => "");
    app.resource("mem://{id}", { name: "mem", tags: ["data"] }, () => "");
    expect(app.components("tool").map((c) => [c.key, c.enabled, [...c.info.tags]])).toEqual([
      ["a", true, ["admin"]],
      ["b", false, []],
    ]);
    expect(app.components("template")[0]).toMatchObject({
      key: "mem://{id}",
      info: { name: "mem" },
    });
    expect(app.components("resource")).toEqual([]);
  });
});
