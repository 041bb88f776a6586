import { memoryStore } from "@mcpforge/cache/memory";
import { responseCache } from "@mcpforge/cache/middleware";
import { createServer, McpForgeError, ToolError } from "@mcpforge/core";
import { rateLimit } from "@mcpforge/middleware/rate-limit";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { health } from "../health.js";
import { httpGet } from "../test-utils/http.js";
import { find, parseMetrics, value } from "../test-utils/prometheus.js";
import { DURATION_BUCKETS } from "./names.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "metrics-test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  closers.push(() => client.close());
  return client;
}

async function scrape(base: string, headers: Record<string, string> = {}) {
  const a = await httpGet(`${base}/metrics`, { headers });
  expect(a.status).toBe(200);
  expect(a.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(a.body);
}

describe("health(): /metrics (parsed with a Prometheus text-format parser)", () => {
  it("counts every call in mcp_server_operation_duration_seconds, by method, tool and error type", async () => {
    const limiter = rateLimit({
      perTool: { limited: { algorithm: "fixed-window", limit: 2, windowMs: 60_000 } },
    });
    const cache = responseCache({
      store: memoryStore({ maxEntries: 100 }),
      ttlMs: 60_000,
      tools: ["cached"],
      lists: false,
      prompts: false,
    });
    const app = createServer({ name: "metrics", version: "1" });
    app.use(
      health({ metrics: { rateLimiters: { perTool: limiter }, caches: { responses: cache } } }),
    );
    app.use(limiter);
    app.use(cache);
    app.tool("echo", { description: "Echo", input: { text: z.string() } }, ({ text }) => text);
    app.tool("fails", { description: "Fails" }, () => {
      throw new ToolError("nope");
    });
    app.tool("broken", { description: "Throws" }, () => {
      throw new McpForgeError("unavailable", "backend down");
    });
    app.tool("limited", { description: "Limited" }, () => "ok");
    app.tool(
      "cached",
      { description: "Cached", annotations: { readOnlyHint: true } },
      () => "same",
    );
    app.prompt("greet", { description: "Greets" }, () => "hello");
    const http = await app.listen({ port: 0, mode: "stateful" });
    closers.push(() => http.close());
    const base = http.url.replace(/\/mcp$/, "");
    const client = await connect(http.url);

    for (let i = 0; i < 7; i++)
      await client.callTool({ name: "echo", arguments: { text: `${i}` } });
    for (let i = 0; i < 3; i++) await client.callTool({ name: "fails", arguments: {} });
    await client.callTool({ name: "broken", arguments: {} }).catch(() => undefined);
    for (let i = 0; i < 5; i++) {
      await client.callTool({ name: "limited", arguments: {} }).catch(() => undefined);
    }
    for (let i = 0; i < 4; i++) await client.callTool({ name: "cached", arguments: {} });
    for (let i = 0; i < 2; i++) {
      await client.callTool({ name: "no_such_tool", arguments: {} }).catch(() => undefined);
    }
    await client.getPrompt({ name: "greet" });
    await client.listTools();

    const m = await scrape(base);
    expect(m.types.get("mcp_server_operation_duration_seconds")).toBe("HISTOGRAM");
    const op = "mcp_server_operation_duration_seconds_count";
    const call = { mcp_method_name: "tools/call" };
    expect(value(m, op, { ...call, gen_ai_tool_name: "echo" })).toBe(7);
    expect(value(m, op, { ...call, gen_ai_tool_name: "fails", error_type: "tool_error" })).toBe(3);
    // Anything thrown inside a tool's handler reaches the client as an isError result.
    expect(value(m, op, { ...call, gen_ai_tool_name: "broken", error_type: "tool_error" })).toBe(1);
    expect(value(m, op, { ...call, gen_ai_tool_name: "limited" })).toBe(2);
    expect(value(m, op, { ...call, gen_ai_tool_name: "limited", error_type: "-32029" })).toBe(3);
    expect(value(m, op, { ...call, gen_ai_tool_name: "cached" })).toBe(4);
    // Unknown names collapse to one value (and the core answers them with an error).
    const unknown = find(m, op, { ...call, gen_ai_tool_name: "_OTHER" });
    expect(unknown.reduce((n, s) => n + Number(s.value), 0)).toBe(2);
    expect(find(m, op, { gen_ai_tool_name: "no_such_tool" })).toEqual([]);
    expect(value(m, op, { mcp_method_name: "prompts/get", gen_ai_prompt_name: "greet" })).toBe(1);
    expect(value(m, op, { mcp_method_name: "tools/list" })).toBe(1);
    // initialize is answered by the session layer, before any middleware.
    expect(find(m, op, { mcp_method_name: "initialize" })).toEqual([]);

    // The advised buckets, cumulative, +Inf equal to the count.
    const buckets = find(m, "mcp_server_operation_duration_seconds_bucket", {
      ...call,
      gen_ai_tool_name: "echo",
    });
    expect(buckets.map((b) => b.labels?.le)).toEqual([...DURATION_BUCKETS.map(String), "+Inf"]);
    expect(Number(buckets.at(-1)?.value)).toBe(7);
    const counts = buckets.map((b) => Number(b.value));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    // Sessions and requests in flight; the counters the limiter and the cache keep.
    expect(value(m, "mcpforge_sessions_active")).toBe(1);
    expect(value(m, "mcpforge_requests_in_flight")).toBe(0);
    expect(
      value(m, "mcpforge_rate_limit_decisions_total", { limiter: "perTool", decision: "limited" }),
    ).toBe(3);
    expect(
      value(m, "mcpforge_rate_limit_decisions_total", { limiter: "perTool", decision: "allowed" }),
    ).toBe(2);
    expect(value(m, "mcpforge_cache_requests_total", { cache: "responses", result: "hit" })).toBe(
      3,
    );
    expect(value(m, "mcpforge_cache_requests_total", { cache: "responses", result: "miss" })).toBe(
      1,
    );
    expect(value(m, "mcpforge_cache_evictions_total", { cache: "responses" })).toBe(0);
    expect(value(m, "mcpforge_ready")).toBe(1);
    // prom-client's process default metrics.
    expect(m.types.get("process_cpu_user_seconds_total")).toBe("COUNTER");
    expect(m.types.get("nodejs_eventloop_lag_seconds")).toBe("GAUGE");

    // A closed session lands in mcp_server_session_duration_seconds.
    await client.close();
    await http.handler.closeSession([...app.sessions.keys()][0] ?? "");
    const after = await scrape(base);
    expect(
      value(after, "mcp_server_session_duration_seconds_count", {
        network_transport: "tcp",
        mcp_protocol_version: "2025-11-25",
      }),
    ).toBe(1);
    expect(value(after, "mcpforge_sessions_active")).toBe(0);
  });

  it("bounds tool-name cardinality: names past maxNames become _OTHER", async () => {
    const app = createServer({ name: "many", version: "1" });
    app.use(health({ metrics: { maxNames: 3 } }));
    for (let i = 0; i < 6; i++) app.tool(`t${i}`, { description: `Tool ${i}` }, () => "ok");
    const http = await app.listen({ port: 0, mode: "stateless" });
    closers.push(() => http.close());
    const client = await connect(http.url);
    for (let i = 0; i < 6; i++) await client.callTool({ name: `t${i}`, arguments: {} });
    const m = await scrape(http.url.replace(/\/mcp$/, ""));
    const calls = find(m, "mcp_server_operation_duration_seconds_count", {
      mcp_method_name: "tools/call",
    });
    expect(calls.map((s) => s.labels?.gen_ai_tool_name).sort()).toEqual([
      "_OTHER",
      "t0",
      "t1",
      "t2",
    ]);
    expect(
      value(m, "mcp_server_operation_duration_seconds_count", {
        mcp_method_name: "tools/call",
        gen_ai_tool_name: "_OTHER",
      }),
    ).toBe(3);
  });

  it("a token restricts /metrics (probes stay open); your registry can be served", async () => {
    const registry = new Registry();
    const app = createServer({ name: "private", version: "1" });
    app.use(health({ token: "scrape-me", metrics: { registry, defaultMetrics: false } }));
    const http = await app.listen({ port: 0 });
    closers.push(() => http.close());
    const base = http.url.replace(/\/mcp$/, "");
    const refused = await httpGet(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(
      (await httpGet(`${base}/metrics`, { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    const m = await scrape(base, { authorization: "Bearer scrape-me" });
    expect(m.types.get("mcp_server_operation_duration_seconds")).toBe("HISTOGRAM");
    expect(m.types.has("process_cpu_user_seconds_total")).toBe(false);
    expect(await registry.getSingleMetric("mcpforge_ready")?.get()).toBeDefined();
    expect((await httpGet(`${base}/readyz`)).status).toBe(200);
  });

  it("metrics: false serves no /metrics", async () => {
    const app = createServer({ name: "quiet", version: "1" });
    const mw = health({ metrics: false });
    app.use(mw);
    const http = await app.listen({ port: 0 });
    closers.push(() => http.close());
    expect(mw.registry).toBeUndefined();
    expect((await httpGet(http.url.replace(/\/mcp$/, "/metrics"))).status).toBe(404);
  });
});

describe("health(): the rejection rule (unready while too many requests are refused)", () => {
  it("goes 503 when the share of 429s exceeds maxRatio over the window, and recovers as it slides", async () => {
    const app = createServer({ name: "busy", version: "1" });
    app.use(
      health({ rejections: { maxRatio: 0.5, windowMs: 1_000, minRequests: 4 }, details: "always" }),
    );
    app.use(rateLimit({ global: { algorithm: "fixed-window", limit: 2, windowMs: 60_000 } }));
    app.tool("echo", { description: "Echo" }, () => "ok");
    const http = await app.listen({ port: 0, mode: "stateless" });
    closers.push(() => http.close());
    const base = http.url.replace(/\/mcp$/, "");
    const post = () =>
      fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "echo", arguments: {} },
        }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post()).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    const unready = await httpGet(`${base}/readyz`);
    expect(unready.status).toBe(503);
    expect(JSON.parse(unready.body)).toMatchObject({
      output: "rejected 6 of 8 requests",
      checks: { "rejections:ratio": [{ status: "fail", observedValue: 0.75 }] },
    });
    const { until } = await import("../test-utils/http.js");
    await until(async () => (await httpGet(`${base}/readyz`)).status === 200);
  });
});
