// Health wiring, in one file: @mcpforge/health with the app's PostgreSQL pool and Redis.
import type { McpForgeApp } from "@mcpforge/core";
import { eventLoopCheck, health, postgresCheck, redisCheck } from "@mcpforge/health";
import type pg from "pg";

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

/**
 * Installs `@mcpforge/health`: `/healthz` (liveness), `/readyz` (readiness: started, not
 * draining, PostgreSQL and Redis answer), `/metrics` when enabled (Prometheus: process metrics
 * and the MCP operation/session histograms), and the read-only `health_check` tool. The probes
 * skip the MCP endpoint's Host check and auth; their details carry statuses, timings and
 * sanitized errors only.
 *
 * @example
 * import { createServer } from "@mcpforge/core";
 * import pg from "pg";
 * const app = createServer({ name: "x", version: "1.0.0" });
 * const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
 * installHealth(app, { pool, redisUrl: "redis://127.0.0.1:6379", enableMetrics: false, metricsEndpoint: "/metrics" });
 */
export function installHealth(app: McpForgeApp, wiring: HealthWiring): void {
  app.use(
    health({
      checks: {
        postgres: postgresCheck({ pool: wiring.pool }),
        redis: redisCheck({ url: wiring.redisUrl }),
        // reported, never makes the server unready
        eventLoop: eventLoopCheck({ maxDelayMs: 500, critical: false }),
      },
      timeoutMs: wiring.timeoutMs ?? 1_000,
      intervalMs: 2_000,
      details: "always",
      metrics: wiring.enableMetrics,
      paths: { metrics: wiring.metricsEndpoint },
      tool: true,
    }),
  );
}
