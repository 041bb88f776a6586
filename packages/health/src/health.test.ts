import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware } from "@mcpforge/testing";
import { afterEach, describe, expect, it } from "vitest";
import { health } from "./health.js";
import { HEALTH_JSON } from "./internal/report.js";
import { type Answer, httpGet, json } from "./test-utils/http.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(
  mw: ReturnType<typeof health>,
  listen: Parameters<ReturnType<typeof createServer>["listen"]>[0] = {},
) {
  const app = createServer({ name: "probe-test", version: "1.2.3" });
  app.use(mw);
  app.tool("echo", { description: "Echo" }, () => "ok");
  const http = await app.listen({ port: 0, ...listen });
  closers.push(() => http.close());
  const base = http.url.replace(/\/mcp$/, "");
  return { app, http, base };
}

function reportOf(a: Answer) {
  expect(a.headers["content-type"]).toBe(HEALTH_JSON);
  expect(a.headers["cache-control"]).toBe("no-store");
  return json(a);
}

testMiddleware("health", () => health({ checks: { ok: () => true } }));

describe("health(): probes on the MCP port", () => {
  it("answers GET and HEAD /healthz and /readyz with a pod-IP Host and no credentials, before the Host check", async () => {
    const { base } = await serve(health({ checks: { ok: () => true } }));
    const podHost = { host: "10.42.3.17:8080" };
    for (const path of ["/healthz", "/readyz"]) {
      const get = await httpGet(`${base}${path}`, { headers: podHost });
      expect(get.status).toBe(200);
      expect(reportOf(get)).toEqual({ status: "pass" });
      const head = await httpGet(`${base}${path}`, { method: "HEAD", headers: podHost });
      expect(head.status).toBe(200);
      expect(head.body).toBe("");
      expect(head.headers["content-type"]).toBe(HEALTH_JSON);
    }
    // The MCP endpoint itself still refuses that Host (DNS-rebinding protection on loopback).
    const mcp = await httpGet(`${base}/mcp`, { method: "POST", headers: podHost });
    expect(mcp.status).toBe(403);
  });

  it("answers before an auth layer: probes need no credentials while /mcp does", async () => {
    const app = createServer({ name: "authed", version: "1" });
    app.use(health());
    app.use({
      name: "deny-all",
      setup: (api) => api.declareAuthentication(),
      onHttpRequest: (_req, res) => {
        res.writeHead(401).end();
        return true;
      },
    });
    const http = await app.listen({ port: 0 });
    closers.push(() => http.close());
    const base = http.url.replace(/\/mcp$/, "");
    expect((await httpGet(`${base}/readyz`)).status).toBe(200);
    expect((await httpGet(`${base}/healthz`)).status).toBe(200);
    expect((await httpGet(`${base}/mcp`, { method: "POST" })).status).toBe(401);
  });

  it("/readyz is 503 while a critical check fails; /healthz stays 200 (it checks no dependency)", async () => {
    let up = false;
    const { base } = await serve(
      health({ checks: { db: () => up }, intervalMs: 0, details: "always" }),
    );
    const down = await httpGet(`${base}/readyz`);
    expect(down.status).toBe(503);
    const report = reportOf(down);
    expect(report.status).toBe("fail");
    expect(report.output).toBe("check failing: db");
    expect(report.checks).toMatchObject({
      "db:status": [{ status: "fail", componentType: "component", critical: true }],
    });
    expect((await httpGet(`${base}/healthz`)).status).toBe(200);
    up = true;
    expect((await httpGet(`${base}/readyz`)).status).toBe(200);
  });

  it("a non-critical failure is a warn: still ready (200)", async () => {
    const { base } = await serve(
      health({
        checks: {
          cache: { critical: false, check: () => ({ status: "fail", output: "cold" }) },
          db: () => true,
        },
        details: "always",
      }),
    );
    const a = await httpGet(`${base}/readyz`);
    expect(a.status).toBe(200);
    const report = reportOf(a);
    expect(report.status).toBe("warn");
    expect(report.checks).toMatchObject({
      "cache:status": [{ status: "warn", critical: false, output: "cold" }],
      "db:status": [{ status: "pass", critical: true }],
    });
  });

  it("details: never shows the status alone; always shows checks; authenticated only with the token", async () => {
    const checks = { db: () => ({ observedValue: 3, observedUnit: "ms" }) };
    const never = await serve(health({ checks }));
    expect(json(await httpGet(`${never.base}/readyz`))).toEqual({ status: "pass" });
    expect(json(await httpGet(`${never.base}/healthz`))).toEqual({ status: "pass" });

    const always = await serve(health({ checks, details: "always" }));
    const full = json(await httpGet(`${always.base}/readyz`));
    expect(full).toMatchObject({
      status: "pass",
      serviceId: "probe-test",
      checks: { "db:status": [{ status: "pass", observedValue: 3, observedUnit: "ms" }] },
    });
    const entry = (full.checks as Record<string, { time: string; durationMs: number }[]>)[
      "db:status"
    ]?.[0];
    expect(Number.isNaN(Date.parse(entry?.time ?? ""))).toBe(false);
    expect(entry?.durationMs).toBeGreaterThanOrEqual(0);
    expect(json(await httpGet(`${always.base}/healthz`))).toMatchObject({
      status: "pass",
      checks: { "uptime:duration": [{ observedUnit: "s" }] },
    });

    const authed = await serve(health({ checks, details: "authenticated", token: "s3cret" }));
    expect(json(await httpGet(`${authed.base}/readyz`))).toEqual({ status: "pass" });
    const wrong = { authorization: "Bearer nope" };
    expect(json(await httpGet(`${authed.base}/readyz`, { headers: wrong }))).toEqual({
      status: "pass",
    });
    const right = { authorization: "Bearer s3cret" };
    expect(json(await httpGet(`${authed.base}/readyz`, { headers: right }))).toHaveProperty(
      "checks",
    );
  });

  it("never discloses credentials in a failing check's output", async () => {
    const { base } = await serve(
      health({
        details: "always",
        checks: {
          db: () => {
            throw new Error(
              "connect failed: postgres://app:hunter2@db.internal:5432/app password=hunter2 Bearer abc.def",
            );
          },
        },
      }),
    );
    const a = await httpGet(`${base}/readyz`);
    expect(a.status).toBe(503);
    expect(a.body).not.toContain("hunter2");
    expect(a.body).not.toContain("abc.def");
    expect(a.body).toContain("postgres://***@db.internal:5432/app");
  });

  it("caches results for the interval: 200 concurrent probes run a check once", async () => {
    let runs = 0;
    const { base } = await serve(
      health({
        intervalMs: 60_000,
        checks: {
          counted: async () => {
            runs++;
            await new Promise((r) => setTimeout(r, 20));
            return true;
          },
        },
      }),
    );
    const answers = await Promise.all(Array.from({ length: 200 }, () => httpGet(`${base}/readyz`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(runs).toBe(1);
  });

  it("a hung check times out: the probe answers 503, and the next run does not pile up on it", async () => {
    let attempts = 0;
    const { base } = await serve(
      health({
        details: "always",
        timeoutMs: 100,
        intervalMs: 0,
        checks: {
          hung: () => {
            attempts++;
            return new Promise<boolean>(() => {});
          },
        },
      }),
    );
    const first = await httpGet(`${base}/readyz`, { timeoutMs: 10_000 });
    expect(first.status).toBe(503);
    expect(first.body).toContain("timed out after 100 ms");
    const second = await httpGet(`${base}/readyz`, { timeoutMs: 10_000 });
    expect(second.status).toBe(503);
    expect(second.body).toContain("the previous attempt has not finished");
    expect(attempts).toBe(1);
  });

  it("custom paths, and other methods are not probes", async () => {
    const { base } = await serve(health({ paths: { liveness: "/live", readiness: "/ready" } }));
    expect((await httpGet(`${base}/live`)).status).toBe(200);
    expect((await httpGet(`${base}/ready`)).status).toBe(200);
    expect((await httpGet(`${base}/healthz`)).status).toBe(404);
  });
});

describe("health(): readiness and the app's lifecycle", () => {
  it("is 503 (starting) until every onStart hook finished, on the admin port; /healthz is 200 meanwhile", async () => {
    const mw = health({ adminPort: 0, details: "always" });
    const app = createServer({ name: "slow-start", version: "1" });
    app.use(mw);
    let release = () => {};
    const warmingUp = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.onStart(() => warmingUp); // e.g. loading plugins, warming a cache
    const listening = app.listen({ port: 0 });
    const { until } = await import("./test-utils/http.js");
    await until(async () => mw.adminUrl !== undefined);
    const admin = mw.adminUrl as string;
    const starting = await httpGet(`${admin}/readyz`);
    expect(starting.status).toBe(503);
    expect(json(starting)).toMatchObject({ status: "fail", output: "starting" });
    expect((await httpGet(`${admin}/healthz`)).status).toBe(200);
    release();
    const http = await listening;
    closers.push(() => http.close());
    expect((await httpGet(`${admin}/readyz`)).status).toBe(200);
    // The probes live on the admin port only.
    expect((await httpGet(http.url.replace(/\/mcp$/, "/readyz"))).status).toBe(404);
  });

  it("is never unready just because there are no sessions", async () => {
    const { app, base } = await serve(health(), { mode: "stateful" });
    expect(app.sessions.size).toBe(0);
    expect((await httpGet(`${base}/readyz`)).status).toBe(200);
  });

  it("rejects bad options with the package and factory named", () => {
    expect(() => health({ details: "sometimes" as never })).toThrow(
      '@mcpforge/health: health(): details must be "always", "never" or "authenticated"',
    );
    expect(() => health({ details: "authenticated" })).toThrow(/needs a token/);
    expect(() => health({ checks: { x: 42 as never } })).toThrow(/checks\["x"\] must be a check/);
    expect(() => health({ adminPort: 70_000 })).toThrow(/adminPort/);
    expect(() => health({ rejections: { maxRatio: 2 } })).toThrow(/maxRatio/);
  });
});

describe("health(): the health_check tool", () => {
  it("is off by default; tool: true registers a read-only tool returning the report", async () => {
    const off = createServer({ name: "t", version: "1" });
    off.use(health());
    await using c1 = await createTestClient(off);
    expect((await c1.listTools()).map((t) => t.name)).toEqual([]);

    const app = createServer({ name: "t", version: "1" });
    app.use(health({ tool: true, details: "always", checks: { db: () => true } }));
    await using client = await createTestClient(app);
    const [tool] = await client.listTools();
    expect(tool?.name).toBe("health_check");
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    const result = await client.client.callTool({ name: "health_check", arguments: {} });
    expect(result.structuredContent).toMatchObject({
      status: "pass",
      checks: { "db:status": [{ status: "pass" }] },
    });
  });

  it("takes a name, and shows the status alone unless details allow more", async () => {
    const app = createServer({ name: "t", version: "1" });
    app.use(health({ tool: "server_health", checks: { db: () => false } }));
    await using client = await createTestClient(app);
    const result = await client.client.callTool({ name: "server_health", arguments: {} });
    expect(result.structuredContent).toEqual({ status: "fail" });
  });
});
