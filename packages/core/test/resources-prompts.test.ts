import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { z as z3 } from "zod/v3";
import { createServer } from "../src/index.js";
import { connect, until } from "./helpers.js";

async function rpcError(p: Promise<unknown>): Promise<McpError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof McpError) return err;
  throw new Error(`expected a JSON-RPC error, got ${String(err)}`);
}

function app() {
  const a = createServer({ name: "t", version: "1" });
  a.resource("test://text", { description: "Text", mimeType: "text/plain" }, () => "hello");
  a.resource("test://bin", { mimeType: "image/png" }, () => Buffer.from([1, 2, 3]));
  a.resource("test://json", {}, () => ({ a: 1 }));
  a.resource(
    "users://{user_id}/profile",
    {
      name: "user",
      description: "A user",
      params: { user_id: z.string().regex(/^u\d+$/, "must look like u123") },
      complete: { user_id: (v) => ["u1", "u2", "u10"].filter((x) => x.startsWith(v)) },
    },
    ({ user_id }) => ({ id: user_id }),
  );
  a.resource("files://{+path}", { mimeType: "text/plain" }, ({ path }) => `path=${String(path)}`);
  a.prompt(
    "review",
    {
      description: "Review code",
      args: { code: z.string().describe("The code"), lang: z.string().optional() },
      complete: { lang: (v) => ["go", "python", "typescript"].filter((x) => x.startsWith(v)) },
    },
    ({ code, lang }) => `Review this ${lang ?? "code"}:\n${code}`,
  );
  a.prompt("multi", { description: "two messages" }, () => ({
    description: "custom",
    messages: ["first", { role: "assistant", content: { type: "text", text: "second" } }],
  }));
  return a;
}

describe("resources", () => {
  it("lists static resources and templates separately", async () => {
    const { client } = await connect(app());
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["test://text", "test://bin", "test://json"]);
    expect(resources[0]).toEqual({
      name: "test://text",
      uri: "test://text",
      description: "Text",
      mimeType: "text/plain",
    });
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      "users://{user_id}/profile",
      "files://{+path}",
    ]);
  });

  it("reads text, binary and JSON resources", async () => {
    const { client } = await connect(app());
    expect((await client.readResource({ uri: "test://text" })).contents).toEqual([
      { uri: "test://text", mimeType: "text/plain", text: "hello" },
    ]);
    expect((await client.readResource({ uri: "test://bin" })).contents).toEqual([
      { uri: "test://bin", mimeType: "image/png", blob: "AQID" },
    ]);
    expect((await client.readResource({ uri: "test://json" })).contents).toEqual([
      { uri: "test://json", mimeType: "application/json", text: '{"a":1}' },
    ]);
  });

  it("matches templates, decodes variables once and validates them", async () => {
    const { client } = await connect(app());
    expect((await client.readResource({ uri: "users://u42/profile" })).contents[0]).toMatchObject({
      text: '{"id":"u42"}',
    });
    const bad = await rpcError(client.readResource({ uri: "users://bob/profile" }));
    expect(bad.code).toBe(-32602);
    expect(bad.message).toContain("user_id: must look like u123");
    const decoded = await client.readResource({ uri: "files://a%2520b/c" });
    expect((decoded.contents[0] as { text: string }).text).toBe("path=a%20b/c");
  });

  it("answers unknown resources with -32002", async () => {
    const { client } = await connect(app());
    const err = await rpcError(client.readResource({ uri: "test://missing" }));
    expect(err.code).toBe(-32002);
  });

  it("keeps subscriptions per session and notifies only subscribers", async () => {
    const a = app();
    const one = await connect(a);
    const two = await connect(a);
    expect(await one.client.subscribeResource({ uri: "test://text" })).toEqual({});
    a.notifyResourceUpdated("test://text");
    await until(() => one.notifications.length === 1);
    expect(one.notifications[0]).toMatchObject({
      method: "notifications/resources/updated",
      params: { uri: "test://text" },
    });
    expect(await one.client.unsubscribeResource({ uri: "test://text" })).toEqual({});
    a.notifyResourceUpdated("test://text");
    await new Promise((r) => setTimeout(r, 20));
    expect(one.notifications).toHaveLength(1);
    expect(two.notifications).toHaveLength(0);
    expect((await rpcError(one.client.subscribeResource({ uri: "nope://x" }))).code).toBe(-32002);
  });

  it("completes template variables", async () => {
    const { client } = await connect(app());
    const r = await client.complete({
      ref: { type: "ref/resource", uri: "users://{user_id}/profile" },
      argument: { name: "user_id", value: "u1" },
    });
    expect(r.completion).toEqual({ values: ["u1", "u10"], total: 2, hasMore: false });
  });

  it("rejects malformed templates and URIs at registration", () => {
    const a = createServer({ name: "t", version: "1" });
    expect(() => a.resource("not a uri", {}, () => "")).toThrow(/has no scheme/);
    expect(() => a.resource("x://a b\u0000", {}, () => "")).toThrow(/not a valid absolute URI/);
    expect(() => a.resource("x://{unclosed", {}, () => "")).toThrow();
  });

  it("checks templates at registration: a scheme, params and unsafeRaw naming real variables", () => {
    const a = createServer({ name: "t", version: "1" });
    expect(() => a.resource("users/{id}", {}, () => "")).toThrow(
      /resource template "users\/\{id\}" has no scheme: write it as a URI, e.g. "docs:\/\/users\/\{id\}"/,
    );
    expect(() => a.resource("users://{id}", { params: { user: z.string() } }, () => "")).toThrow(
      /params names "user", which is not one of its variables \(id\)/,
    );
    expect(() => a.resource("users://{id}", { unsafeRaw: ["nope"] }, () => "")).toThrow(
      /unsafeRaw names "nope"/,
    );
  });
});

describe("prompts", () => {
  it("lists prompts with declared arguments", async () => {
    const { client } = await connect(app());
    const { prompts } = await client.listPrompts();
    expect(prompts[0]).toEqual({
      name: "review",
      description: "Review code",
      arguments: [
        { name: "code", description: "The code", required: true },
        { name: "lang", required: false },
      ],
    });
  });

  it("gets prompts, converting strings to user messages", async () => {
    const { client } = await connect(app());
    const r = await client.getPrompt({ name: "review", arguments: { code: "x=1", lang: "go" } });
    expect(r).toEqual({
      description: "Review code",
      messages: [{ role: "user", content: { type: "text", text: "Review this go:\nx=1" } }],
    });
    const m = await client.getPrompt({ name: "multi" });
    expect(m.description).toBe("custom");
    expect(m.messages.map((x) => x.role)).toEqual(["user", "assistant"]);
  });

  it("rejects a missing required argument and unknown prompts with -32602", async () => {
    const { client } = await connect(app());
    const missing = await rpcError(client.getPrompt({ name: "review", arguments: {} }));
    expect(missing.code).toBe(-32602);
    expect(missing.message).toContain("code: is required");
    expect((await rpcError(client.getPrompt({ name: "nope" }))).code).toBe(-32602);
  });

  it("completes prompt arguments and returns an empty list when no completer exists", async () => {
    const { client } = await connect(app());
    const r = await client.complete({
      ref: { type: "ref/prompt", name: "review" },
      argument: { name: "lang", value: "py" },
    });
    expect(r.completion.values).toEqual(["python"]);
    const none = await client.complete({
      ref: { type: "ref/prompt", name: "review" },
      argument: { name: "code", value: "" },
    });
    expect(none.completion.values).toEqual([]);
  });
});

describe("registration mistakes get messages that say what is expected", () => {
  it("a handler without options (the FastMCP habit) shows the expected call", () => {
    const a = createServer({ name: "t", version: "1" });
    const handler = () => "x";
    // As an untyped caller (plain JavaScript) would call them.
    const loose = a as unknown as Record<
      "tool" | "prompt" | "resource",
      (...args: unknown[]) => void
    >;
    expect(() => loose.tool("greet", handler)).toThrow(
      /tool "greet" was given a handler but no options: write app\.tool\("greet", \{ description: "…", input: \{ x: z\.string\(\) \} \}, async \(\{ x \}, ctx\) => …\)/,
    );
    expect(() => loose.prompt("review", handler)).toThrow(
      /prompt "review" was given a handler but no options: write app\.prompt\("review"/,
    );
    expect(() => loose.resource("docs://x", handler)).toThrow(
      /resource "docs:\/\/x" was given a handler but no options/,
    );
    expect(() => loose.tool("greet", {})).toThrow(/tool "greet" needs a handler function/);
  });

  it('a zod 3 schema gets "MCP Forge needs zod 4"', () => {
    const a = createServer({ name: "t", version: "1" });
    // zod 3's API, as zod 4 still ships it under "zod/v3".
    const zod3String = z3.string();
    const zod3Object = z3.object({ name: z3.string() });
    expect(() => a.tool("t1", { input: { name: zod3String } as never }, () => "")).toThrow(
      /input schema of tool "t1": field "name" is a zod 3 schema; MCP Forge needs zod 4/,
    );
    expect(() => a.tool("t2", { input: zod3Object as never }, () => "")).toThrow(
      /input schema of tool "t2" is a zod 3 schema; MCP Forge needs zod 4/,
    );
  });
});
