import {
  createServer,
  type McpForgeApp,
  McpForgeError,
  type ServerLogger,
  ToolError,
} from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import {
  connectRedis,
  deletePrefix,
  REDIS_URL,
  randomPrefix,
  requireRedis,
} from "@mcpforge/testing/redis";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { memoryStore } from "../memory/memory-store.js";
import { redisStore } from "../redis/redis-store.js";
import type { CacheStore } from "../types.js";
import {
  CACHE_META_KEY,
  type ResponseCache,
  type ResponseCacheOptions,
  responseCache,
} from "./response-cache.js";

const silent: ServerLogger = { debug() {}, info() {}, warn() {}, error() {} };

testMiddleware("responseCache", () =>
  responseCache({
    store: memoryStore(),
    ttlMs: 60_000,
    tools: ["echo", "add", "slow_echo", "tool_error", "crash"],
  }),
);

type Meta = { _meta?: Record<string, unknown> };
const cacheMeta = (result: Meta) =>
  result._meta?.[CACHE_META_KEY] as { hit: boolean; ageMs: number } | undefined;
const isHit = (result: Meta) => cacheMeta(result)?.hit === true;

/** A fixture app counting origin calls per component. */
function fixture(options: Partial<ResponseCacheOptions> = {}, store: CacheStore = memoryStore()) {
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const cache = responseCache({
    store,
    ttlMs: 60_000,
    tools: ["add", "big", "whoami"],
    ...options,
  });
  const app = createServer({ name: "rc", version: "1.0.0", logger: silent });
  app.use(cache);
  app.tool("add", { description: "Adds", input: { a: z.number(), b: z.number() } }, ({ a, b }) => {
    count("add");
    return { sum: a + b };
  });
  app.tool("uncached", { description: "Not opted in", input: { x: z.number() } }, ({ x }) => {
    count("uncached");
    return x;
  });
  app.tool(
    "lookup",
    {
      description: "Read-only lookup",
      input: { id: z.string() },
      annotations: { readOnlyHint: true },
      tags: ["catalog"],
    },
    ({ id }) => {
      count("lookup");
      return { id };
    },
  );
  app.tool("fails", { description: "Tool error" }, () => {
    count("fails");
    throw new ToolError("nope");
  });
  app.tool("crashes", { description: "Unexpected error" }, () => {
    count("crashes");
    throw new Error("kaboom");
  });
  app.tool("reports_error", { description: "Returns an isError result" }, () => {
    count("reports_error");
    return { isError: true, content: [{ type: "text" as const, text: "bad" }] };
  });
  app.tool("big", { description: "A large result", input: { n: z.number() } }, ({ n }) => {
    count("big");
    return "x".repeat(n);
  });
  app.tool("whoami", { description: "The caller" }, (_args, ctx) => {
    count("whoami");
    const subject = (ctx.auth?.extra as { subject?: string } | undefined)?.subject;
    return { subject: subject ?? "anonymous", secret: `data of ${subject ?? "nobody"}` };
  });
  app.resource("config://app", { description: "Config", tags: ["config"] }, () => {
    count("config");
    return { debug: false };
  });
  app.resource("items://{id}", { description: "Items", params: { id: z.string() } }, ({ id }) => {
    count(`item:${id}`);
    if (id === "missing") throw new McpForgeError("resource_not_found", `No item ${id}`);
    return `item ${id}`;
  });
  app.prompt("hello", { description: "Hello", args: { name: z.string() } }, ({ name }) => {
    count("hello");
    return `Hello ${name}`;
  });
  return { app, cache, calls, store };
}

describe("responseCache: tools", () => {
  it("answers the second identical call from the cache and marks it", async () => {
    const { app, calls, cache } = fixture();
    await using client = await createTestClient(app);
    const first = await client.callToolRaw("add", { a: 1, b: 2 });
    expect(cacheMeta(first)).toBeUndefined();
    const second = await client.callToolRaw("add", { a: 1, b: 2 });
    expect(second.structuredContent).toEqual({ sum: 3 });
    expect(cacheMeta(second)).toEqual({ hit: true, ageMs: expect.any(Number) });
    expect(cacheMeta(second)?.ageMs).toBeGreaterThanOrEqual(0);
    expect(calls.get("add")).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, sets: 1 });
    // Different arguments are a different entry.
    await client.callToolRaw("add", { a: 2, b: 2 });
    expect(calls.get("add")).toBe(2);
  });

  it("single-flight: concurrent identical requests run the origin once", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: ["slow", "bad"] });
    const app = createServer({ name: "flight", version: "1.0.0", logger: silent });
    app.use(cache);
    const calls = { slow: 0, bad: 0 };
    app.tool("slow", { description: "Slow", input: { n: z.number() } }, async ({ n }) => {
      calls.slow++;
      await gate;
      return { n };
    });
    app.tool("bad", { description: "Slow failure" }, async () => {
      calls.bad++;
      await gate;
      throw new ToolError("no");
    });
    await using client = await createTestClient(app);
    const same = Array.from({ length: 20 }, () => client.callToolRaw("slow", { n: 1 }));
    const other = client.callToolRaw("slow", { n: 2 });
    const failing = Array.from({ length: 5 }, () => client.callToolRaw("bad", {}));
    await new Promise((r) => setTimeout(r, 20));
    release();
    const results = await Promise.all(same);
    expect(results.map((r) => r.structuredContent)).toEqual(Array(20).fill({ n: 1 }));
    expect(results.filter(isHit)).toHaveLength(19);
    expect((await other).structuredContent).toEqual({ n: 2 });
    expect(calls.slow).toBe(2);
    // Errors are never shared: each waiting request ran the tool itself.
    expect((await Promise.all(failing)).every((r) => r.isError === true)).toBe(true);
    expect(calls.bad).toBe(5);
    expect(cache.stats().coalesced).toBe(19);
  });

  it("ignores the order of argument keys", async () => {
    const { app, calls } = fixture();
    await using client = await createTestClient(app);
    await client.callToolRaw("add", { a: 1, b: 2 });
    expect(isHit(await client.callToolRaw("add", { b: 2, a: 1 }))).toBe(true);
    expect(calls.get("add")).toBe(1);
  });

  it("caches only tools that opted in", async () => {
    const { app, calls } = fixture();
    await using client = await createTestClient(app);
    await client.callToolRaw("uncached", { x: 1 });
    const again = await client.callToolRaw("uncached", { x: 1 });
    expect(isHit(again)).toBe(false);
    expect(calls.get("uncached")).toBe(2);
    await client.callToolRaw("lookup", { id: "a" });
    await client.callToolRaw("lookup", { id: "a" });
    expect(calls.get("lookup")).toBe(2); // read-only, but not opted in by name
  });

  it('tools: "readOnly" caches the tools annotated readOnlyHint', async () => {
    const { app, calls } = fixture({ tools: "readOnly" });
    await using client = await createTestClient(app);
    await client.callToolRaw("lookup", { id: "a" });
    expect(isHit(await client.callToolRaw("lookup", { id: "a" }))).toBe(true);
    await client.callToolRaw("add", { a: 1, b: 1 });
    await client.callToolRaw("add", { a: 1, b: 1 });
    expect(calls.get("lookup")).toBe(1);
    expect(calls.get("add")).toBe(2);
  });

  it("never caches errors, isError results, or invalid arguments", async () => {
    const { app, calls, cache } = fixture({ tools: ["fails", "crashes", "reports_error", "add"] });
    await using client = await createTestClient(app);
    for (let i = 0; i < 2; i++) {
      expect((await client.callToolRaw("fails", {})).isError).toBe(true);
      expect((await client.callToolRaw("crashes", {})).isError).toBe(true);
      const reported = await client.callToolRaw("reports_error", {});
      expect(reported.isError).toBe(true);
      expect(isHit(reported)).toBe(false);
      expect((await client.callToolRaw("add", { a: "x" })).isError).toBe(true);
    }
    expect(calls.get("fails")).toBe(2);
    expect(calls.get("crashes")).toBe(2);
    expect(calls.get("reports_error")).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 0, sets: 0 });
  });

  it("does not cache a response larger than maxItemBytes", async () => {
    const { app, calls, cache } = fixture({ maxItemBytes: 1000 });
    await using client = await createTestClient(app);
    await client.callToolRaw("big", { n: 5000 });
    const again = await client.callToolRaw("big", { n: 5000 });
    expect(textOf(again)).toHaveLength(5000);
    expect(isHit(again)).toBe(false);
    await client.callToolRaw("big", { n: 10 });
    expect(isHit(await client.callToolRaw("big", { n: 10 }))).toBe(true);
    expect(calls.get("big")).toBe(3);
    expect(cache.stats().oversized).toBe(2);
  });

  it("invalidate({ tool }) drops every cached result of that tool only", async () => {
    const { app, calls, cache } = fixture({ tools: ["add", "lookup"] });
    await using client = await createTestClient(app);
    await client.callToolRaw("add", { a: 1, b: 1 });
    await client.callToolRaw("add", { a: 2, b: 2 });
    await client.callToolRaw("lookup", { id: "a" });
    const before = cache.stats().invalidations;
    await cache.invalidate({ tool: "add" });
    expect(isHit(await client.callToolRaw("add", { a: 1, b: 1 }))).toBe(false);
    expect(isHit(await client.callToolRaw("add", { a: 2, b: 2 }))).toBe(false);
    expect(isHit(await client.callToolRaw("lookup", { id: "a" }))).toBe(true);
    expect(calls.get("add")).toBe(4);
    expect(cache.stats().invalidations).toBe(before + 1);
  });

  it("invalidateTag() drops the responses of components with that tag", async () => {
    const { app, calls, cache } = fixture({ tools: ["add", "lookup"] });
    await using client = await createTestClient(app);
    await client.callToolRaw("lookup", { id: "a" });
    await client.callToolRaw("add", { a: 1, b: 1 });
    await client.readResource("config://app");
    await cache.invalidateTag("catalog");
    expect(isHit(await client.callToolRaw("lookup", { id: "a" }))).toBe(false);
    expect(isHit(await client.callToolRaw("add", { a: 1, b: 1 }))).toBe(true);
    expect(isHit(await client.readResource("config://app"))).toBe(true);
    await cache.invalidateTag("config");
    expect(isHit(await client.readResource("config://app"))).toBe(false);
    expect(calls.get("lookup")).toBe(2);
    expect(calls.get("config")).toBe(2);
  });

  it("an invalidation while the origin runs keeps that response from being served", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: ["slow"] });
    const app = createServer({ name: "race", version: "1.0.0", logger: silent });
    app.use(cache);
    let version = 0;
    app.tool("slow", { description: "Slow" }, async () => {
      const v = ++version;
      if (v === 1) await gate;
      return { v };
    });
    await using client = await createTestClient(app);
    const first = client.callToolRaw("slow", {});
    await new Promise((r) => setTimeout(r, 20));
    await cache.invalidate({ tool: "slow" });
    release();
    expect((await first).structuredContent).toEqual({ v: 1 });
    const second = await client.callToolRaw("slow", {});
    expect(second.structuredContent).toEqual({ v: 2 });
    expect(isHit(second)).toBe(false);
  });
});

describe("responseCache: resources, prompts and lists", () => {
  it("caches resources/read per URI; invalidates by URI or by template", async () => {
    const { app, calls, cache } = fixture();
    await using client = await createTestClient(app);
    await client.readResource("items://1");
    await client.readResource("items://2");
    const hit = await client.readResource("items://1");
    expect(isHit(hit)).toBe(true);
    expect(hit.contents[0]).toMatchObject({ uri: "items://1", text: "item 1" });
    await cache.invalidate({ resource: "items://1" });
    expect(isHit(await client.readResource("items://1"))).toBe(false);
    expect(isHit(await client.readResource("items://2"))).toBe(true);
    await cache.invalidate({ resource: "items://{id}" });
    expect(isHit(await client.readResource("items://2"))).toBe(false);
    expect(calls.get("item:1")).toBe(2);
    expect(calls.get("item:2")).toBe(2);
  });

  it("does not cache a failed resource read", async () => {
    const { app, calls } = fixture();
    await using client = await createTestClient(app);
    await expect(client.readResource("items://missing")).rejects.toThrow(/No item missing/);
    await expect(client.readResource("items://missing")).rejects.toThrow(/No item missing/);
    expect(calls.get("item:missing")).toBe(2);
  });

  it("caches prompts/get per arguments; invalidate({ prompt })", async () => {
    const { app, calls, cache } = fixture();
    await using client = await createTestClient(app);
    await client.getPrompt("hello", { name: "Ada" });
    const hit = await client.getPrompt("hello", { name: "Ada" });
    expect(isHit(hit)).toBe(true);
    expect(hit.messages[0]?.content).toEqual({ type: "text", text: "Hello Ada" });
    await client.getPrompt("hello", { name: "Alan" });
    await cache.invalidate({ prompt: "hello" });
    await client.getPrompt("hello", { name: "Ada" });
    expect(calls.get("hello")).toBe(3);
  });

  it("resources: false, prompts: false and lists: false turn those off", async () => {
    const { app, calls } = fixture({ resources: false, prompts: false, lists: false });
    await using client = await createTestClient(app);
    for (let i = 0; i < 2; i++) {
      await client.readResource("config://app");
      await client.getPrompt("hello", { name: "Ada" });
      expect(isHit(await client.client.listTools())).toBe(false);
    }
    expect(calls.get("config")).toBe(2);
    expect(calls.get("hello")).toBe(2);
  });

  /** A server with one named template, `docs://{slug}` ("doc"), behind `cache`. */
  function docsServer(cache: ResponseCache) {
    const app = createServer({ name: "named", version: "1.0.0", logger: silent });
    app.use(cache);
    const reads = { count: 0 };
    app.resource("docs://{slug}", { name: "doc", description: "Docs" }, ({ slug }) => {
      reads.count++;
      return `doc ${String(slug)}`;
    });
    return { app, reads };
  }

  it("recognises a named template by the template listed in resources", async () => {
    const cache = responseCache({
      store: memoryStore(),
      ttlMs: 60_000,
      resources: ["docs://{slug}"],
    });
    const { app, reads } = docsServer(cache);
    await using client = await createTestClient(app);
    await client.readResource("docs://a");
    expect(isHit(await client.readResource("docs://a"))).toBe(true);
    await cache.invalidate({ resource: "docs://{slug}" });
    expect(isHit(await client.readResource("docs://a"))).toBe(false);
    await cache.invalidate({ resource: "doc" });
    expect(isHit(await client.readResource("docs://a"))).toBe(false);
    expect(reads.count).toBe(3);
  });

  it("recognises a named template by its template string without listing it", async () => {
    const cache = responseCache({ store: memoryStore(), ttlMs: 60_000 });
    const { app, reads } = docsServer(cache);
    await using client = await createTestClient(app);
    await client.readResource("docs://a");
    await client.readResource("docs://b");
    expect(isHit(await client.readResource("docs://a"))).toBe(true);
    await cache.invalidate({ resource: "docs://{slug}" });
    expect(isHit(await client.readResource("docs://a"))).toBe(false);
    expect(isHit(await client.readResource("docs://b"))).toBe(false);
    expect(reads.count).toBe(4);
  });

  it("resources: [names] caches only those", async () => {
    const { app, calls } = fixture({ resources: ["items://{id}"] });
    await using client = await createTestClient(app);
    for (let i = 0; i < 2; i++) {
      await client.readResource("config://app");
      await client.readResource("items://1");
    }
    expect(calls.get("config")).toBe(2);
    expect(calls.get("item:1")).toBe(1);
  });

  it("caches list answers and drops them when a list changes", async () => {
    const { app, cache } = fixture();
    await using client = await createTestClient(app);
    await client.client.listTools();
    const cachedList = await client.client.listTools();
    expect(isHit(cachedList)).toBe(true);
    expect(cachedList.tools.map((t) => t.name)).not.toContain("late");
    for (const list of [
      () => client.client.listResources(),
      () => client.client.listResourceTemplates(),
      () => client.client.listPrompts(),
    ]) {
      await list();
      expect(isHit(await list())).toBe(true);
    }

    // Registering, disabling and removing components changes the lists.
    const late = app.tool("late", { description: "Added later" }, () => "late");
    const afterAdd = await client.client.listTools();
    expect(isHit(afterAdd)).toBe(false);
    expect(afterAdd.tools.map((t) => t.name)).toContain("late");
    expect(isHit(await client.client.listTools())).toBe(true);
    late.disable();
    expect((await client.client.listTools()).tools.map((t) => t.name)).not.toContain("late");
    app.getPrompt("hello")?.remove();
    expect((await client.client.listPrompts()).prompts).toEqual([]);
    // Resource lists were not touched by tool changes.
    expect(isHit(await client.client.listResourceTemplates())).toBe(true);

    await cache.invalidateList();
    expect(isHit(await client.client.listResourceTemplates())).toBe(false);
  });

  it("a disabled tool is not answered from the cache, nor its answers from before", async () => {
    const { app, calls } = fixture();
    await using client = await createTestClient(app);
    await client.callToolRaw("add", { a: 1, b: 1 });
    expect(isHit(await client.callToolRaw("add", { a: 1, b: 1 }))).toBe(true);
    app.getTool("add")?.disable();
    await expect(client.callToolRaw("add", { a: 1, b: 1 })).rejects.toThrow(/Unknown tool/);
    app.getTool("add")?.enable();
    // Any change to the tool list drops cached tool answers: a component that was hidden (or
    // replaced under the same name) is never served from before.
    expect(isHit(await client.callToolRaw("add", { a: 1, b: 1 }))).toBe(false);
    expect(calls.get("add")).toBe(2);
  });
});

describe("responseCache: identity partitioning", () => {
  /** Middleware standing in for auth: the caller named in `_meta.user` becomes `ctx.auth`. */
  function withFakeAuth(app: McpForgeApp) {
    app.use(async (ctx, next) => {
      const user = (ctx.params._meta as { user?: string } | undefined)?.user;
      if (user) {
        ctx.auth = {
          token: `token-of-${user}`,
          clientId: "app",
          scopes: [],
          extra: { subject: user },
        };
      }
      return next();
    });
  }

  it("two principals never share an entry (in memory, ctx.auth set by middleware)", async () => {
    const calls = { n: 0 };
    const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: ["whoami"] });
    const app = createServer({ name: "ids", version: "1.0.0", logger: silent });
    withFakeAuth(app);
    app.use(cache);
    app.tool("whoami", { description: "The caller" }, (_args, ctx) => {
      calls.n++;
      const subject = (ctx.auth?.extra as { subject?: string } | undefined)?.subject;
      return { subject: subject ?? "anonymous" };
    });
    await using client = await createTestClient(app);
    const call = (user?: string) =>
      client.client.callTool({
        name: "whoami",
        arguments: {},
        ...(user ? { _meta: { user } } : {}),
      }) as Promise<CallToolResult>;

    expect((await call("alice")).structuredContent).toEqual({ subject: "alice" });
    const bob = await call("bob");
    expect(bob.structuredContent).toEqual({ subject: "bob" });
    expect(isHit(bob)).toBe(false);
    const alice2 = await call("alice");
    expect(alice2.structuredContent).toEqual({ subject: "alice" });
    expect(isHit(alice2)).toBe(true);
    const bob2 = await call("bob");
    expect(bob2.structuredContent).toEqual({ subject: "bob" });
    expect(isHit(bob2)).toBe(true);
    // Unauthenticated callers share one anonymous identity, separate from both.
    expect((await call()).structuredContent).toEqual({ subject: "anonymous" });
    await using other = await createTestClient(app);
    const anon = await other.callToolRaw("whoami", {});
    expect(anon.structuredContent).toEqual({ subject: "anonymous" });
    expect(isHit(anon)).toBe(true);
    expect(calls.n).toBe(3);
  });

  it("two principals never share an entry (over HTTP, req.auth set by app.useHttp)", async () => {
    const calls = { n: 0 };
    const cache = responseCache({ store: memoryStore(), ttlMs: 60_000, tools: ["whoami"] });
    const app = createServer({ name: "ids-http", version: "1.0.0", logger: silent });
    app.useHttp((req) => {
      const user = req.headers["x-user"];
      if (typeof user === "string") {
        req.auth = {
          token: `token-of-${user}`,
          clientId: "web",
          scopes: [],
          extra: { subject: user },
        };
      }
    });
    app.use(cache);
    app.tool("whoami", { description: "The caller" }, (_args, ctx) => {
      calls.n++;
      const subject = (ctx.auth?.extra as { subject?: string } | undefined)?.subject;
      return { subject: subject ?? "anonymous", secret: `data of ${subject ?? "nobody"}` };
    });
    const http = await app.listen({ port: 0 });
    const connect = async (user: string) => {
      const client = new Client({ name: `client-${user}`, version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: { headers: { "x-user": user } },
        }),
      );
      return client;
    };
    const alice = await connect("alice");
    const bob = await connect("bob");
    try {
      const call = (c: Client) =>
        c.callTool({ name: "whoami", arguments: {} }) as Promise<CallToolResult>;
      expect((await call(alice)).structuredContent).toEqual({
        subject: "alice",
        secret: "data of alice",
      });
      const bobFirst = await call(bob);
      expect(bobFirst.structuredContent).toEqual({ subject: "bob", secret: "data of bob" });
      expect(isHit(bobFirst)).toBe(false);
      const aliceAgain = await call(alice);
      expect(aliceAgain.structuredContent).toMatchObject({ subject: "alice" });
      expect(isHit(aliceAgain)).toBe(true);
      const bobAgain = await call(bob);
      expect(bobAgain.structuredContent).toMatchObject({ subject: "bob" });
      expect(isHit(bobAgain)).toBe(true);
      expect(calls.n).toBe(2);
    } finally {
      await alice.close();
      await bob.close();
      await http.close();
      await app.close();
    }
  });

  it("a custom identity can partition by session", async () => {
    const { app, calls } = fixture({ identity: (ctx) => ctx.session.id });
    await using a = await createTestClient(app);
    await using b = await createTestClient(app);
    await a.callToolRaw("add", { a: 1, b: 1 });
    expect(isHit(await b.callToolRaw("add", { a: 1, b: 1 }))).toBe(false);
    expect(isHit(await a.callToolRaw("add", { a: 1, b: 1 }))).toBe(true);
    expect(calls.get("add")).toBe(2);
  });

  it("an identity of undefined is not cached", async () => {
    const { app, calls } = fixture({ identity: () => undefined });
    await using client = await createTestClient(app);
    await client.callToolRaw("add", { a: 1, b: 1 });
    await client.callToolRaw("add", { a: 1, b: 1 });
    expect(calls.get("add")).toBe(2);
  });
});

describe("responseCache: keys", () => {
  beforeAll(() => requireRedis());
  const prefixes: string[] = [];
  afterEach(async () => {
    await Promise.all(prefixes.splice(0).map((p) => deletePrefix(p)));
  });

  it("are SHA-256 hashes: no raw arguments, subjects or tokens in any key", async () => {
    const prefix = randomPrefix("keys");
    prefixes.push(prefix);
    const store = redisStore({ url: REDIS_URL, prefix, logger: { warn() {}, info() {} } });
    const cache = responseCache({ store, ttlMs: 60_000, tools: ["echo"] });
    const app = createServer({ name: "keys", version: "1.0.0", logger: silent });
    app.use(async (ctx, next) => {
      ctx.auth = {
        token: "tok-SECRET-123",
        clientId: "client-xyz",
        scopes: [],
        extra: { subject: "subject-alice" },
      };
      return next();
    });
    app.use(cache);
    app.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
    const raw = await connectRedis();
    try {
      await using client = await createTestClient(app);
      await client.callToolRaw("echo", { text: "argument-PLAINTEXT" });
      expect(isHit(await client.callToolRaw("echo", { text: "argument-PLAINTEXT" }))).toBe(true);
      const keys = (await raw.keys(`${prefix}*`)) as string[];
      expect(keys.length).toBeGreaterThanOrEqual(2); // the entry and the tool's generation
      for (const key of keys) {
        const rest = key.slice(prefix.length);
        expect(rest).toMatch(/^mcpforge:(rc|gen):[0-9a-f]{64}$/);
        expect(key).not.toMatch(/PLAINTEXT|SECRET|alice|client-xyz|echo/);
      }
    } finally {
      raw.disconnect();
      await store.close();
    }
  });
});

describe("responseCache: counters and failures", () => {
  it("reports the store's evictions", async () => {
    const store = memoryStore({ maxEntries: 5 });
    const { app, cache } = fixture({}, store);
    await using client = await createTestClient(app);
    for (let i = 0; i < 10; i++) await client.callToolRaw("add", { a: i, b: 0 });
    expect(cache.stats().evictions).toBeGreaterThan(0);
    expect(cache.stats().evictions).toBe(store.stats().evictions);
  });

  it("a failing store never fails a request: the origin answers, one warning", async () => {
    const store = memoryStore();
    await store.close(); // every operation now rejects
    const warnings: string[] = [];
    const { app, calls, cache } = fixture({ logger: { warn: (m) => warnings.push(m) } }, store);
    await using client = await createTestClient(app);
    const before = cache.stats().errors; // list invalidations at registration failed too
    for (let i = 0; i < 3; i++) {
      const result = await client.callToolRaw("add", { a: 1, b: 2 });
      expect(result.structuredContent).toEqual({ sum: 3 });
    }
    expect(calls.get("add")).toBe(3);
    expect(cache.stats().errors).toBe(before + 3);
    expect(warnings).toHaveLength(1);
  });
});

describe("responseCache options", () => {
  const store = memoryStore();
  it.each([
    [undefined, /needs \{ store, ttlMs \}/],
    [{ ttlMs: 1 }, /store must be a CacheStore/],
    [{ store }, /needs ttlMs/],
    [{ store, ttlMs: -1 }, /ttlMs must be a positive integer/],
    [{ store, ttlMs: 1, tools: true }, /tools must be "readOnly"/],
    [{ store, ttlMs: 1, tools: "all" }, /tools must be "readOnly"/],
    [{ store, ttlMs: 1, resources: "x" }, /resources must be a boolean/],
    [{ store, ttlMs: 1, lists: 1 }, /lists must be a boolean/],
    [{ store, ttlMs: 1, resources: ["bad://{"] }, /resources: Invalid URI template/],
    [{ store, ttlMs: 1, maxItemBytes: 0 }, /maxItemBytes/],
    [{ store, ttlMs: 1, identity: "me" }, /identity must be a function/],
  ])("refuses %o", (options, message) => {
    expect(() => responseCache(options as never)).toThrow(message);
    expect(() => responseCache(options as never)).toThrow(/^@mcpforge\/cache: responseCache\(\)/);
  });

  it("throws core's error for a bad invalidation at request time", async () => {
    const cache = responseCache({ store, ttlMs: 1 });
    await expect(cache.invalidate({})).rejects.toBeInstanceOf(McpForgeError);
    await expect(cache.invalidateTag("")).rejects.toBeInstanceOf(McpForgeError);
    await expect(cache.invalidateList("nope" as never)).rejects.toBeInstanceOf(McpForgeError);
  });
});
