// Health wiring, in one file. INTERIM: until @mcpforge/health lands on main, this file
// answers /healthz, /readyz, /metrics (prom-client: process metrics and one MCP duration
// histogram) and the health_check tool itself, with two checks (PostgreSQL through the app's
// pool, Redis through a connection of its own). When it lands, the body of
// installHealth() becomes:
//   app.use(health({
//     checks: { postgres: postgresCheck({ pool }), redis: redisCheck({ url: redisUrl }) },
//     metrics: enableMetrics ? {} : false,
//     paths: { metrics: metricsEndpoint },
//     tool: true,
//   }));
import type { McpForgeApp } from "@mcpforge/core";
import { Redis } from "ioredis";
import type pg from "pg";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import * as z from "zod";

/** What {@link installHealth} needs. */
export interface HealthWiring {
  /** The app's PostgreSQL pool (the one the plugins use). */
  pool: pg.Pool;
  redisUrl: string;
  /** How long one check may take (default 1000 ms). */
  timeoutMs?: number;
  enableMetrics: boolean;
  metricsEndpoint: string;
}

type Status = "pass" | "fail";

/** Rejects after `ms` (the timer does not keep the process alive). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Adds `/healthz` (liveness: the process answers), `/readyz` (readiness: serving, PostgreSQL
 * and Redis answer; 503 otherwise) and the read-only `health_check` tool. The probes are public
 * routes (no Host check, no auth) and disclose only pass/fail per dependency.
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * import pg from "pg";
 * const app = createServer({ name: "x", version: "1.0.0" });
 * const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
 * installHealth(app, { pool, redisUrl: "redis://127.0.0.1:6379", enableMetrics: false, metricsEndpoint: "/metrics" });
 */
export function installHealth(app: McpForgeApp, wiring: HealthWiring): void {
  const timeoutMs = wiring.timeoutMs ?? 1_000;
  const redis = new Redis(wiring.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
  });
  redis.on("error", () => undefined); // reported by the check, reconnects by itself
  const checks: Record<string, () => Promise<unknown>> = {
    "postgres:responseTime": () => wiring.pool.query("SELECT 1"),
    "redis:responseTime": async () => {
      if (redis.status === "wait") await redis.connect();
      return redis.ping();
    },
  };

  const report = async () => {
    type Entry = [string, { status: Status; observedValue?: number; observedUnit?: string }];
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, run]): Promise<Entry> => {
        const started = performance.now();
        try {
          await within(run(), timeoutMs);
          const ms = Math.round((performance.now() - started) * 100) / 100;
          return [name, { status: "pass", observedValue: ms, observedUnit: "ms" }];
        } catch {
          return [name, { status: "fail" }];
        }
      }),
    );
    const allPass = entries.every(([, r]) => r.status === "pass");
    const status: Status = app.ready && allPass ? "pass" : "fail";
    // The IETF health+json shape: each check is a list of results.
    const byName = Object.fromEntries(entries.map(([name, r]) => [name, [r]]));
    return { status, checks: byName };
  };

  const send = (res: import("node:http").ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, {
      "content-type": "application/health+json",
      "cache-control": "no-store",
    });
    res.end(JSON.stringify(body));
  };

  app.route("GET", "/healthz", (_req, res) => send(res, 200, { status: "pass" }), {
    public: true,
  });
  app.route(
    "GET",
    "/readyz",
    async (_req, res) => {
      const body = await report();
      send(res, body.status === "pass" ? 200 : 503, body);
    },
    { public: true },
  );

  app.tool(
    "health_check",
    {
      description: "Readiness of the server and its dependencies (PostgreSQL, Redis).",
      output: z.object({
        status: z.enum(["pass", "fail"]),
        checks: z.record(z.string(), z.unknown()),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => report(),
  );

  if (wiring.enableMetrics) installMetrics(app, wiring.metricsEndpoint);

  app.onClose(() => {
    redis.disconnect();
  });
}

/** `GET <path>`: Prometheus text with the process metrics and MCP request durations. */
function installMetrics(app: McpForgeApp, path: string): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Named after the OpenTelemetry MCP convention mcp.server.operation.duration.
  const duration = new Histogram({
    name: "mcp_server_operation_duration_seconds",
    help: "Duration of MCP requests handled by the server",
    labelNames: ["mcp_method_name", "error_type"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  app.use(async (ctx, next) => {
    const end = duration.startTimer({ mcp_method_name: ctx.method });
    try {
      const result = await next();
      end({ error_type: "" });
      return result;
    } catch (err) {
      end({ error_type: err instanceof Error ? err.name : "unknown" });
      throw err;
    }
  });
  app.route("GET", path, async (_req, res) => {
    res.writeHead(200, { "content-type": registry.contentType });
    res.end(await registry.metrics());
  });
}
