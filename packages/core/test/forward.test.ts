import { type CreateMessageResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { ForwardedCall } from "../src/authoring.js";
import { createServer, jsonSchema, McpForgeError } from "../src/index.js";
import { connect, until } from "./helpers.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const anyResult = z.looseObject({});

function app(name = "parent") {
  return createServer({ name, version: "1.0.0", logger: silent });
}

const remoteTool = {
  name: "remote_add",
  description: "Adds, remotely",
  inputSchema: {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object" as const,
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  },
  annotations: { readOnlyHint: true },
};

describe("app.forward(): forwarded components", () => {
  it("serves the entry as given and hands raw params to the forwarder (no validation)", async () => {
    const a = app();
    const calls: ForwardedCall[] = [];
    a.forward({ type: "tool", entry: remoteTool, tags: ["remote"] }, async (call) => {
      calls.push(call);
      return { content: [{ type: "text", text: JSON.stringify(call.params.arguments) }] };
    });
    const { client } = await connect(a);
    const { tools } = await client.listTools();
    expect(tools).toEqual([remoteTool]);
    // arguments the schema refuses still reach the forwarder: the target validates
    const r = await client.callTool({ name: "remote_add", arguments: { a: "x" } });
    expect(r.content).toEqual([{ type: "text", text: '{"a":"x"}' }]);
    expect(calls[0]?.method).toBe("tools/call");
    expect(calls[0]?.ctx.component?.tags.has("remote")).toBe(true);
    expect(a.components("tool")).toMatchObject([
      { key: "remote_add", forwarded: true, entry: remoteTool },
    ]);
  });

  it("errors from the forwarder are JSON-RPC errors (code kept), not isError results", async () => {
    const a = app();
    a.forward({ type: "tool", entry: remoteTool }, async () => {
      throw new McpForgeError("unavailable", "Backend is down");
    });
    a.forward({ type: "tool", entry: { ...remoteTool, name: "buggy" } }, async () => {
      throw new Error("secret detail");
    });
    const { client } = await connect(a);
    const err = await client
      .callTool({ name: "remote_add", arguments: {} })
      .catch((e: McpError) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(-32010);
    expect((err as McpError).message).toContain("Backend is down");
    const masked = await client.callTool({ name: "buggy", arguments: {} }).catch((e) => e);
    expect((masked as McpError).code).toBe(-32603);
    expect((masked as McpError).message).not.toContain("secret detail");
  });

  it("runs inside the app's middleware chain, which sees the component and may answer", async () => {
    const a = app();
    a.use({
      onCallTool: async (ctx, next) => {
        if (ctx.component?.tags.has("blocked")) {
          return { isError: true, content: [{ type: "text", text: "blocked" }] };
        }
        return next();
      },
    });
    let reached = false;
    a.forward({ type: "tool", entry: remoteTool, tags: ["blocked"] }, async () => {
      reached = true;
      return { content: [] };
    });
    const { client } = await connect(a);
    const r = await client.callTool({ name: "remote_add", arguments: { a: 1, b: 2 } });
    expect(r).toMatchObject({ isError: true, content: [{ text: "blocked" }] });
    expect(reached).toBe(false);
  });

  it("call.notify sends progress and logs tied to the request (logs filtered by level)", async () => {
    const a = app();
    a.forward({ type: "tool", entry: remoteTool }, async (call) => {
      const token = (call.params._meta as { progressToken?: string | number }).progressToken;
      await call.notify({
        method: "notifications/progress",
        params: { progressToken: token as number, progress: 1, total: 2 },
      });
      await call.notify({ method: "notifications/message", params: { level: "debug", data: "d" } });
      await call.notify({
        method: "notifications/message",
        params: { level: "critical", data: "c" },
      });
      return { content: [] };
    });
    const { client, notifications } = await connect(a);
    await client.setLoggingLevel("warning");
    const progress: unknown[] = [];
    await client.callTool({ name: "remote_add", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(progress).toEqual([{ progress: 1, total: 2 }]);
    const logs = notifications.filter((n) => n.method === "notifications/message");
    expect(logs.map((n) => n.params)).toEqual([{ level: "critical", data: "c" }]);
  });

  it("call.request sends a server-to-client request (sampling) and returns the answer", async () => {
    const a = app();
    a.forward({ type: "tool", entry: remoteTool }, async (call) => {
      const answer = await call.request<CreateMessageResult>(
        {
          method: "sampling/createMessage",
          params: {
            messages: [{ role: "user", content: { type: "text", text: "hi" } }],
            maxTokens: 5,
          },
        },
        anyResult,
      );
      return { content: [answer.content] };
    });
    const { client } = await connect(a, {
      sampling: () => ({
        role: "assistant",
        content: { type: "text", text: "sampled" },
        model: "m",
      }),
    });
    const r = await client.callTool({ name: "remote_add", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "sampled" }]);
  });

  it("forwards resources, templates, prompts and their completions; ctx.readResource too", async () => {
    const a = app();
    const seen: string[] = [];
    const answer = async (call: ForwardedCall) => {
      seen.push(`${call.method} ${JSON.stringify(call.params)}`);
      if (call.method === "resources/read") {
        return { contents: [{ uri: call.params.uri, text: "remote text" }] };
      }
      if (call.method === "prompts/get") {
        return { messages: [{ role: "user", content: { type: "text", text: "remote prompt" } }] };
      }
      return { completion: { values: ["one", "two"], total: 2, hasMore: false } };
    };
    a.forward({ type: "resource", entry: { uri: "remote://doc", name: "doc" } }, answer);
    a.forward(
      { type: "template", entry: { uriTemplate: "remote://items/{id}", name: "item" } },
      answer,
    );
    a.forward(
      {
        type: "prompt",
        entry: { name: "remote_prompt", arguments: [{ name: "x", required: true }] },
      },
      answer,
    );
    a.tool("local", { description: "reads a forwarded resource" }, async (_args, ctx) => {
      const { contents } = await ctx.readResource("remote://doc");
      return (contents[0] as { text: string }).text;
    });
    const { client } = await connect(a);
    expect((await client.listResources()).resources).toEqual([
      { uri: "remote://doc", name: "doc" },
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
      { uriTemplate: "remote://items/{id}", name: "item" },
    ]);
    expect((await client.listPrompts()).prompts).toEqual([
      { name: "remote_prompt", arguments: [{ name: "x", required: true }] },
    ]);
    expect((await client.readResource({ uri: "remote://items/7" })).contents).toEqual([
      { uri: "remote://items/7", text: "remote text" },
    ]);
    // no argument validation: the target checks its own
    expect((await client.getPrompt({ name: "remote_prompt" })).messages[0]?.content).toEqual({
      type: "text",
      text: "remote prompt",
    });
    const completion = await client.complete({
      ref: { type: "ref/prompt", name: "remote_prompt" },
      argument: { name: "x", value: "o" },
    });
    expect(completion.completion.values).toEqual(["one", "two"]);
    await client.complete({
      ref: { type: "ref/resource", uri: "remote://items/{id}" },
      argument: { name: "id", value: "" },
    });
    const local = await client.callTool({ name: "local", arguments: {} });
    expect(local.content).toEqual([{ type: "text", text: "remote text" }]);
    expect(seen.map((s) => s.split(" ")[0])).toEqual([
      "resources/read",
      "prompts/get",
      "completion/complete",
      "completion/complete",
      "resources/read",
    ]);
  });

  it("checks entries: names, URIs, templates and an object input schema", () => {
    const a = app();
    const f = async () => ({});
    expect(() =>
      a.forward({ type: "tool", entry: { ...remoteTool, name: "bad name" } }, f),
    ).toThrow(/invalid tool name/);
    expect(() =>
      a.forward({ type: "tool", entry: { name: "t", inputSchema: { type: "array" } as never } }, f),
    ).toThrow(/inputSchema with "type": "object"/);
    expect(() =>
      a.forward({ type: "resource", entry: { uri: "not a uri", name: "x" } }, f),
    ).toThrow(/not a valid absolute URI/);
    expect(() =>
      a.forward({ type: "template", entry: { uriTemplate: "x://{", name: "x" } }, f),
    ).toThrow();
    expect(() => a.forward({ type: "tool", entry: remoteTool }, undefined as never)).toThrow(
      /forwarder function/,
    );
    a.forward({ type: "tool", entry: remoteTool }, f);
    expect(() => a.forward({ type: "tool", entry: remoteTool }, f)).toThrow(/already registered/);
  });
});

describe("app.dispatchFor(): serving one app's components through another", () => {
  function child() {
    const c = app("child");
    const order: string[] = [];
    c.use({
      name: "child-mw",
      onCallTool: async (ctx, next) => {
        order.push(`child-mw ${String(ctx.params.name)} ${ctx.session.id.length > 0}`);
        return next();
      },
    });
    c.tool("add", { input: { a: z.number(), b: z.number() } }, async ({ a: x, b: y }, ctx) => {
      await ctx.progress(1, 1, "adding");
      await ctx.log.info("child log");
      return x + y;
    });
    c.tool("ask", { description: "samples" }, async (_args, ctx) => {
      const r = await ctx.sample("question?");
      return (r.content as { text: string }).text;
    });
    return { c, order };
  }

  it("runs the child's middleware and handler in the caller's session and channel", async () => {
    const { c, order } = child();
    const parent = app();
    parent.use({
      onCallTool: async (_ctx, next) => {
        order.push("parent-mw");
        return next();
      },
    });
    for (const entry of c.components("tool")) {
      parent.forward(
        { type: "tool", entry: { ...entry.entry, name: `ns_${entry.key}` } as never },
        (call) =>
          c.dispatchFor(call, {
            method: "tools/call",
            params: { ...call.params, name: entry.key },
          }),
      );
    }
    const { client, notifications } = await connect(parent, {
      sampling: () => ({ role: "assistant", content: { type: "text", text: "yes" }, model: "m" }),
    });
    const progress: unknown[] = [];
    const r = await client.callTool({ name: "ns_add", arguments: { a: 2, b: 3 } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    expect(r.content).toEqual([{ type: "text", text: "5" }]);
    expect(order).toEqual(["parent-mw", "child-mw add true"]);
    expect(progress).toEqual([{ progress: 1, total: 1, message: "adding" }]);
    await until(() => notifications.some((n) => n.method === "notifications/message"));
    // the child validates its own arguments: an isError result naming the field
    const bad = await client.callTool({ name: "ns_add", arguments: { a: "x", b: 1 } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('Invalid arguments for tool \\"add\\": a:');
    const asked = await client.callTool({ name: "ns_ask", arguments: {} });
    expect(asked.content).toEqual([{ type: "text", text: "yes" }]);
  });

  it("refuses a call object it did not make", async () => {
    const { c } = child();
    const fake = { ctx: {}, method: "tools/call", params: {} } as unknown as ForwardedCall;
    expect(() => c.dispatchFor(fake, { method: "tools/call" })).toThrow(
      /takes the call a forwarder/,
    );
  });
});

describe("lifecycle and routes for composition", () => {
  it("start() runs onStart hooks once and sets started", async () => {
    const a = app();
    let runs = 0;
    a.onStart(() => {
      runs++;
    });
    expect(a.started).toBe(false);
    await Promise.all([a.start(), a.start()]);
    expect(a.started).toBe(true);
    await connect(a);
    expect(runs).toBe(1);
  });

  it("removeRoute() removes a route", () => {
    const a = app();
    a.route("get", "/x", (_req, res) => res.end());
    expect(a.removeRoute("GET", "/x")).toBe(true);
    expect(a.removeRoute("GET", "/x")).toBe(false);
  });

  it("jsonSchema input stays validated for ordinary tools (forwarding is opt-in)", async () => {
    const a = app();
    a.tool(
      "plain",
      {
        input: jsonSchema({
          type: "object",
          properties: { a: { type: "number" } },
          required: ["a"],
        }),
      },
      () => "ok",
    );
    const { client } = await connect(a);
    const r = await client.callTool({ name: "plain", arguments: {} });
    expect(r.isError).toBe(true);
  });
});
