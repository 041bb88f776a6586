import { createServer, type HttpServerHandle } from "@mcpforge/core";
import { auth } from "@mcpforge/middleware/auth";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../memory/memory-store.js";
import { CACHE_META_KEY, responseCache } from "./response-cache.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const KEYS = {
  "key-admin-0123456789": { clientId: "alice", scopes: ["docs:read", "admin"] },
  // The same principal as above, with fewer scopes (e.g. a narrower token issued later).
  "key-alice-narrow-0123": { clientId: "alice", scopes: ["docs:read"] },
  "key-reader-012345678": { clientId: "bob", scopes: ["docs:read"] },
};

const handles: HttpServerHandle[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

function hit(result: { _meta?: Record<string, unknown> }): boolean {
  return (result._meta?.[CACHE_META_KEY] as { hit?: boolean } | undefined)?.hit === true;
}

/** A server with admin-only components, the cache installed before or after auth. */
async function start(order: "cache-first" | "auth-first") {
  const calls = { secret: 0, report: 0, stats: 0 };
  const app = createServer({ name: "vis", version: "1.0.0", logger: silent });
  const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: ["admin_report"] });
  const gate = auth({ apiKeys: { keys: KEYS }, require: { tags: { admin: ["admin"] } } });
  if (order === "cache-first") app.use(cache).use(gate);
  else app.use(gate).use(cache);
  app.prompt("secret_prompt", { description: "Admins only", tags: ["admin"] }, () => {
    calls.secret++;
    return "the launch codes";
  });
  app.prompt("public_prompt", { description: "Everyone" }, () => "hello");
  app.tool("admin_report", { description: "Admins only", tags: ["admin"] }, () => {
    calls.report++;
    return { revenue: 42 };
  });
  app.resource("admin://stats", { tags: ["admin"] }, () => {
    calls.stats++;
    return "stats";
  });
  const http = await app.listen({ port: 0 });
  handles.push(http);
  const as = async (key: string) => {
    const client = new Client({ name: key, version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(http.url), {
        requestInit: { headers: { "x-api-key": key } },
      }),
    );
    clients.push(client);
    return client;
  };
  return { app, calls, as };
}

async function code(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
}

describe.each([
  "cache-first",
  "auth-first",
] as const)("responseCache never serves what the caller may not see (%s)", (order) => {
  it("two principals with different scopes: lists, gets, calls and reads", async () => {
    const { calls, as } = await start(order);
    const admin = await as("key-admin-0123456789");
    const reader = await as("key-reader-012345678");
    const names = async (c: Client) => (await c.listPrompts()).prompts.map((p) => p.name).sort();

    expect(await names(admin)).toEqual(["public_prompt", "secret_prompt"]);
    expect(await names(admin)).toEqual(["public_prompt", "secret_prompt"]);
    expect(await names(reader)).toEqual(["public_prompt"]);

    await admin.getPrompt({ name: "secret_prompt" });
    expect(hit(await admin.getPrompt({ name: "secret_prompt" }))).toBe(true);
    expect(await code(reader.getPrompt({ name: "secret_prompt" }))).toBe(-32003);

    await admin.callTool({ name: "admin_report", arguments: {} });
    expect(hit(await admin.callTool({ name: "admin_report", arguments: {} }))).toBe(true);
    expect(await code(reader.callTool({ name: "admin_report", arguments: {} }))).toBe(-32003);

    await admin.readResource({ uri: "admin://stats" });
    expect(await code(reader.readResource({ uri: "admin://stats" }))).toBe(-32003);
    expect(calls).toEqual({ secret: 1, report: 1, stats: 1 });
  });

  it("the same principal with narrower scopes is not served the wider answer", async () => {
    const { as } = await start(order);
    const wide = await as("key-admin-0123456789");
    const narrow = await as("key-alice-narrow-0123");
    await wide.getPrompt({ name: "secret_prompt" });
    await wide.listPrompts();
    expect(await code(narrow.getPrompt({ name: "secret_prompt" }))).toBe(-32003);
    expect((await narrow.listPrompts()).prompts.map((p) => p.name)).toEqual(["public_prompt"]);
  });

  it("a component disabled at runtime between two identical calls is not served", async () => {
    const { app, calls, as } = await start(order);
    const admin = await as("key-admin-0123456789");
    await admin.getPrompt({ name: "secret_prompt" });
    await admin.callTool({ name: "admin_report", arguments: {} });
    await admin.listPrompts();
    app.getPrompt("secret_prompt")?.disable();
    app.getTool("admin_report")?.disable();
    expect(await code(admin.getPrompt({ name: "secret_prompt" }))).toBe(-32602);
    expect(await code(admin.callTool({ name: "admin_report", arguments: {} }))).toBe(-32602);
    expect((await admin.listPrompts()).prompts.map((p) => p.name)).toEqual(["public_prompt"]);
    app.getPrompt("secret_prompt")?.remove();
    app.prompt("secret_prompt", { description: "Replaced", tags: ["admin"] }, () => "new text");
    const again = await admin.getPrompt({ name: "secret_prompt" });
    expect(hit(again)).toBe(false);
    expect(again.messages[0]?.content).toEqual({ type: "text", text: "new text" });
    expect(calls.secret).toBe(1);
  });
});
