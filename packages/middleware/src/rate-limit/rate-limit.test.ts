import { createServer, type HttpServerHandle, type McpForgeApp } from "@mcpforge/core";
import { createTestClient, testMiddleware, textOf } from "@mcpforge/testing";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { refusal, silentLogger, sleep } from "../test-utils/fixtures.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { rateLimit } from "./rate-limit.js";

/** A bucket that does not refill during a test. */
const bucket = (capacity: number) =>
  ({ algorithm: "token-bucket", capacity, refillPerSecond: 0.001 }) as const;

testMiddleware("rateLimit (generous limits)", () =>
  rateLimit({
    global: { algorithm: "token-bucket", capacity: 1000, refillPerSecond: 100 },
    perTool: { echo: { algorithm: "fixed-window", limit: 1000, windowMs: 60_000 } },
  }),
);
testMiddleware("rateLimit (tight limits: some calls refused)", () =>
  rateLimit({
    global: bucket(100),
    perTool: { slow_echo: bucket(5) },
  }),
);

function limitedApp(options: RateLimitOptions) {
  const limiter = rateLimit(options);
  const runs: Record<string, number> = {};
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(limiter);
  const tool = (name: string, tags: string[] = []) =>
    app.tool(name, { description: `Tool ${name}`, tags }, () => {
      runs[name] = (runs[name] ?? 0) + 1;
      return `${name} ran`;
    });
  tool("search");
  tool("render", ["expensive"]);
  tool("translate", ["expensive", "text"]);
  tool("free");
  return { app, limiter, runs };
}

describe("rateLimit per tool and per tag (in memory)", () => {
  it("refuses a tool's calls over its limit with rate_limited and retryAfterMs", async () => {
    const { app, limiter, runs } = limitedApp({ perTool: { search: bucket(2) } });
    await using client = await createTestClient(app);
    expect(await client.callTool("search")).toBe("search ran");
    expect(await client.callTool("search")).toBe("search ran");
    const err = await refusal(client.callToolRaw("search", {}));
    expect(err.code).toBe(-32029);
    expect(err.message).toMatch(/Rate limit exceeded for tool "search"; retry in \d+ s/);
    const data = err.data as { retryAfterMs: number; scope: string };
    expect(data.scope).toBe("tool");
    expect(data.retryAfterMs).toBeGreaterThan(900_000); // one token per 1000 s
    expect(err.message).toContain(`retry in ${Math.ceil(data.retryAfterMs / 1000)} s`);
    expect(runs.search).toBe(2); // the refused call never reached the handler
    // Other tools are not limited.
    for (let i = 0; i < 5; i++) expect(await client.callTool("free")).toBe("free ran");
    expect(limiter.stats()).toEqual({ allowed: 2, limited: 1, failOpen: 0 });
  });

  it("shares a tag's budget between the tools carrying it", async () => {
    const { app, runs } = limitedApp({ perTag: { expensive: bucket(3) } });
    await using client = await createTestClient(app);
    expect(await client.callTool("render")).toBe("render ran");
    expect(await client.callTool("translate")).toBe("translate ran");
    expect(await client.callTool("render")).toBe("render ran");
    const err = await refusal(client.callToolRaw("translate", {}));
    expect(err.code).toBe(-32029);
    expect(err.message).toMatch(/^.*Rate limit exceeded for tool "translate"; retry in \d+ s/);
    expect(err.data).toMatchObject({ scope: "tag", tag: "expensive" });
    expect(runs).toEqual({ render: 2, translate: 1 });
    expect(await client.callTool("search")).toBe("search ran");
  });

  it("applies every matching limit: the tool's and each tag's", async () => {
    const { app } = limitedApp({
      perTool: { translate: bucket(10) },
      perTag: { text: bucket(1), expensive: bucket(10) },
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("translate")).toBe("translate ran");
    const err = await refusal(client.callToolRaw("translate", {}));
    expect(err.data).toMatchObject({ scope: "tag", tag: "text" });
    expect(await client.callTool("render")).toBe("render ran"); // "expensive" still has budget
  });

  it("fixed windows reopen when the window ends", async () => {
    const windowMs = 400;
    const { app } = limitedApp({
      perTool: { search: { algorithm: "fixed-window", limit: 2, windowMs } },
    });
    await using client = await createTestClient(app);
    const wall = performance.timeOrigin + performance.now();
    await sleep(windowMs - (wall % windowMs) + 2); // start at the beginning of a window
    expect(await client.callTool("search")).toBe("search ran");
    expect(await client.callTool("search")).toBe("search ran");
    const err = await refusal(client.callToolRaw("search", {}));
    const { retryAfterMs } = err.data as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(windowMs);
    expect(err.message).toContain("retry in 1 s");
    await sleep(retryAfterMs + 10);
    expect(await client.callTool("search")).toBe("search ran");
  });

  it("token buckets refill over time", async () => {
    const { app } = limitedApp({
      perTool: { search: { algorithm: "token-bucket", capacity: 1, refillPerSecond: 20 } },
    });
    await using client = await createTestClient(app);
    expect(await client.callTool("search")).toBe("search ran");
    const err = await refusal(client.callToolRaw("search", {}));
    const { retryAfterMs } = err.data as { retryAfterMs: number };
    expect(retryAfterMs).toBeLessThanOrEqual(50);
    await sleep(retryAfterMs + 10);
    expect(await client.callTool("search")).toBe("search ran");
  });

  it("lets exactly the limit through out of many simultaneous calls", async () => {
    const { app, limiter, runs } = limitedApp({ perTool: { search: bucket(10) } });
    await using client = await createTestClient(app);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        client.callToolRaw("search", {}).then(
          (r) => textOf(r),
          (e: unknown) => (e as McpError).code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "search ran")).toHaveLength(10);
    expect(outcomes.filter((o) => o === -32029)).toHaveLength(90);
    expect(runs.search).toBe(10);
    expect(limiter.stats()).toEqual({ allowed: 10, limited: 90, failOpen: 0 });
  });

  it("keys by principal (core's principalKey: issuer, client id and subject together)", async () => {
    const limiter = rateLimit({ perTool: { whoami: bucket(1) } });
    const app = createServer({ name: "t", version: "1", logger: silentLogger })
      // Stands in for an auth middleware: the principal comes from the arguments here.
      .use(async (ctx, next) => {
        const args = (ctx.params.arguments ?? {}) as { user?: string; app?: string };
        ctx.auth = {
          token: "t",
          clientId: args.app ?? "app",
          scopes: [],
          ...(args.user ? { extra: { subject: args.user } } : {}),
        };
        return next();
      })
      .use(limiter);
    app.tool(
      "whoami",
      {
        description: "Names the caller",
        input: { user: z.string().optional(), app: z.string().optional() },
      },
      (_args, ctx) => String(ctx.auth?.extra?.subject ?? ctx.auth?.clientId),
    );
    await using client = await createTestClient(app);
    expect(await client.callTool("whoami", { user: "alice" })).toBe("alice");
    expect((await refusal(client.callToolRaw("whoami", { user: "alice" }))).code).toBe(-32029);
    expect(await client.callTool("whoami", { user: "bob" })).toBe("bob");
    // Same clientId, different subjects: different budgets; no subject: the clientId's budget.
    expect(await client.callTool("whoami", { app: "app-2" })).toBe("app-2");
    expect((await refusal(client.callToolRaw("whoami", { app: "app-2" }))).code).toBe(-32029);
    expect(await client.callTool("whoami", { app: "app-2", user: "carol" })).toBe("carol");
  });
});

describe("rateLimit global limit (in memory)", () => {
  it("counts every MCP request and answers a JSON-RPC rate_limited error", async () => {
    const { app, limiter, runs } = limitedApp({ global: bucket(3) });
    await using client = await createTestClient(app);
    expect(await client.callTool("search")).toBe("search ran");
    expect((await client.listTools()).length).toBe(4);
    expect(await client.callTool("free")).toBe("free ran");
    const err = await refusal(client.listTools());
    expect(err.code).toBe(-32029);
    expect(err.message).toMatch(/^.*Rate limit exceeded; retry in \d+ s/);
    expect(err.data).toMatchObject({ scope: "global" });
    expect((await refusal(client.callToolRaw("free", {}))).code).toBe(-32029);
    expect(runs).toEqual({ search: 1, free: 1 });
    expect(limiter.stats()).toEqual({ allowed: 3, limited: 2, failOpen: 0 });
  });
});

describe("rateLimit options", () => {
  it("validates them when called", () => {
    const prefix = /^@mcpforge\/middleware: rateLimit\(\): /;
    expect(() => rateLimit(undefined as never)).toThrow(prefix);
    expect(() => rateLimit({})).toThrow(/needs at least one limit/);
    expect(() => rateLimit({ global: { algorithm: "sliding" } as never })).toThrow(
      /global\.algorithm must be "token-bucket" or "fixed-window"/,
    );
    expect(() =>
      rateLimit({ global: { algorithm: "token-bucket", capacity: 0, refillPerSecond: 1 } }),
    ).toThrow(/global\.capacity must be a positive integer/);
    expect(() =>
      rateLimit({ global: { algorithm: "token-bucket", capacity: 1, refillPerSecond: 0 } }),
    ).toThrow(/global\.refillPerSecond must be a finite number > 0/);
    expect(() =>
      rateLimit({ perTool: { x: { algorithm: "fixed-window", limit: 1.5, windowMs: 10 } } }),
    ).toThrow(/perTool\["x"\]\.limit must be a positive integer/);
    expect(() =>
      rateLimit({ perTag: { t: { algorithm: "fixed-window", limit: 1, windowMs: -1 } } }),
    ).toThrow(/perTag\["t"\]\.windowMs/);
    expect(() => rateLimit({ perTool: [] as never })).toThrow(/perTool must be an object/);
    expect(() => rateLimit({ global: bucket(1), store: {} as never })).toThrow(/store must be/);
    expect(() => rateLimit({ global: bucket(1), trustProxy: -1 })).toThrow(/trustProxy/);
    expect(() => rateLimit({ global: bucket(1), trustProxy: "yes" as never })).toThrow(
      /trustProxy/,
    );
    expect(() => rateLimit({ global: bucket(1), trustProxy: 2 })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP: a real server on an ephemeral port, raw fetch.

const servers: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(app: McpForgeApp, mode: "stateless" | "stateful" = "stateless") {
  const http = await app.listen({ port: 0, mode });
  servers.push(http);
  return http;
}

let nextId = 1;
function post(
  url: string,
  message: { method: string; params?: Record<string, unknown>; id?: number | null },
  headers: Record<string, string> = {},
) {
  const { id = nextId++, ...rest } = message;
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(
      id === null ? { jsonrpc: "2.0", ...rest } : { jsonrpc: "2.0", id, ...rest },
    ),
  });
}

const callSearch = (url: string, headers: Record<string, string> = {}) =>
  post(url, { method: "tools/call", params: { name: "search" } }, headers);

describe("rateLimit over HTTP", () => {
  it("answers 429 with Retry-After and a JSON-RPC error over the global limit", async () => {
    const { app, limiter, runs } = limitedApp({
      global: { algorithm: "token-bucket", capacity: 2, refillPerSecond: 0.01 },
    });
    const http = await serve(app);
    expect((await callSearch(http.url)).status).toBe(200);
    expect((await callSearch(http.url)).status).toBe(200);
    const res = await callSearch(http.url);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("100");
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as {
      jsonrpc: string;
      id: null;
      error: { code: number; message: string; data: { retryAfterMs: number } };
    };
    expect(body.jsonrpc).toBe("2.0");
    expect(body.id).toBeNull();
    expect(body.error.code).toBe(-32029);
    expect(body.error.message).toBe("Rate limit exceeded; retry in 100 s");
    expect(body.error.data.retryAfterMs).toBeGreaterThan(99_000);
    expect(runs.search).toBe(2);
    // The global limit is applied once per HTTP request, not again in onRequest.
    expect(limiter.stats()).toEqual({ allowed: 2, limited: 1, failOpen: 0 });
  });

  it("counts every request to the MCP endpoint in stateful mode, session set-up included", async () => {
    const { app } = limitedApp({ global: bucket(3) });
    const http = await serve(app, "stateful");
    const init = await post(http.url, {
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw", version: "1" },
      },
    });
    expect(init.status).toBe(200);
    const session = init.headers.get("mcp-session-id") ?? "";
    expect(session).not.toBe("");
    const headers = { "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" };
    const initialized = await post(
      http.url,
      { method: "notifications/initialized", id: null },
      headers,
    );
    expect(initialized.status).toBe(202);
    expect((await callSearch(http.url, headers)).status).toBe(200);
    const refused = await callSearch(http.url, headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("ignores X-Forwarded-For without trustProxy", async () => {
    const { app } = limitedApp({ global: bucket(1) });
    const http = await serve(app);
    expect((await callSearch(http.url, { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    // Another claimed address from the same socket address: the same client.
    expect((await callSearch(http.url, { "x-forwarded-for": "203.0.113.2" })).status).toBe(429);
    expect((await callSearch(http.url, { forwarded: "for=203.0.113.3" })).status).toBe(429);
  });

  it("honours X-Forwarded-For with trustProxy: true", async () => {
    const { app } = limitedApp({ global: bucket(1), trustProxy: true });
    const http = await serve(app);
    expect((await callSearch(http.url, { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    expect((await callSearch(http.url, { "x-forwarded-for": "203.0.113.2" })).status).toBe(200);
    expect((await callSearch(http.url, { "x-forwarded-for": "203.0.113.1" })).status).toBe(429);
    expect((await callSearch(http.url, { forwarded: 'for="[2001:db8::7]:1234"' })).status).toBe(
      200,
    );
    expect((await callSearch(http.url, { forwarded: "for=2001:db8::7" })).status).toBe(429);
  });

  it("with a hop count, a forged left part does not give a fresh budget", async () => {
    const { app } = limitedApp({ global: bucket(1), trustProxy: 1 });
    const http = await serve(app);
    const via = (forged: string) => ({ "x-forwarded-for": `${forged}, 198.51.100.7` });
    expect((await callSearch(http.url, via("1.1.1.1"))).status).toBe(200);
    expect((await callSearch(http.url, via("2.2.2.2"))).status).toBe(429);
    expect((await callSearch(http.url, { "x-forwarded-for": "198.51.100.8" })).status).toBe(200);
  });

  it("keys per-tool limits by the HTTP client's address", async () => {
    const { app, runs } = limitedApp({ perTool: { search: bucket(1) }, trustProxy: true });
    const http = await serve(app);
    const a = { "x-forwarded-for": "203.0.113.1" };
    const b = { "x-forwarded-for": "203.0.113.2" };
    const first = (await (await callSearch(http.url, a)).json()) as { result: unknown };
    expect(textOf(first.result as { content: unknown })).toBe("search ran");
    const refused = await callSearch(http.url, a);
    expect(refused.status).toBe(200); // a JSON-RPC error, not an HTTP one
    const body = (await refused.json()) as {
      error: { code: number; message: string; data: unknown };
    };
    expect(body.error.code).toBe(-32029);
    expect(body.error.message).toMatch(/Rate limit exceeded for tool "search"; retry in \d+ s/);
    expect(body.error.data).toMatchObject({ scope: "tool" });
    expect(
      ((await (await callSearch(http.url, b)).json()) as { result?: unknown }).result,
    ).toBeDefined();
    expect(runs.search).toBe(2);
  });

  it("keys by the principal an earlier HTTP auth hook set, not by address", async () => {
    const limiter = rateLimit({ global: bucket(1) });
    const app = createServer({ name: "t", version: "1", logger: silentLogger });
    app.useHttp((req) => {
      const user = req.headers["x-user"];
      if (typeof user === "string") {
        req.auth = { token: "t", clientId: "web", scopes: [], extra: { subject: user } };
      }
    });
    app.use(limiter);
    app.tool("search", { description: "Searches" }, () => "found");
    const http = await serve(app);
    expect((await callSearch(http.url, { "x-user": "alice" })).status).toBe(200);
    expect((await callSearch(http.url, { "x-user": "alice" })).status).toBe(429);
    expect((await callSearch(http.url, { "x-user": "bob" })).status).toBe(200);
    expect((await callSearch(http.url, { "x-user": "alice" })).status).toBe(429); // still spent
    expect((await callSearch(http.url)).status).toBe(200); // anonymous: by address
    expect((await callSearch(http.url)).status).toBe(429);
    expect((await callSearch(http.url, { "x-user": "bob" })).status).toBe(429);
  });
});
