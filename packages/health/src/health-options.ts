import type { IncomingMessage } from "node:http";
import type { Registry } from "prom-client";
import type { CheckFunction, HealthCheck } from "./checks/types.js";
import { check } from "./internal/options.js";
import type { RejectionRule } from "./internal/rejections.js";
import type { StatsSources } from "./metrics/stats-sources.js";

/** When reports show their checks (`checks`, `output`, service id); otherwise `status` alone. */
export type DetailsMode = "always" | "never" | "authenticated";

/** Options of the `/metrics` endpoint and the MCP metrics (`health({ metrics })`). */
export interface MetricsOptions extends StatsSources {
  /** The prom-client registry (default: a new one; pass yours to serve your metrics too). */
  registry?: Registry;
  /** prom-client's process default metrics on that registry (default true). */
  defaultMetrics?: boolean;
  /** Distinct tool and prompt names kept as label values; later ones become `_OTHER` (default 100). */
  maxNames?: number;
}

/** The paths of the probe and metrics routes. */
export interface HealthPaths {
  /** Default `/healthz`. */
  liveness?: string;
  /** Default `/readyz`. */
  readiness?: string;
  /** Default `/metrics`. */
  metrics?: string;
}

/** Options of `health()`. */
export interface HealthOptions {
  /** Named checks, run for `/readyz`: built-in ones, your own, or plain async functions. */
  checks?: Record<string, HealthCheck | CheckFunction>;
  /** Default timeout of a check run, in ms (default 1000). */
  timeoutMs?: number;
  /** Default time a check result is reused, in ms (default 5000). */
  intervalMs?: number;
  /** Default for checks that do not say whether they are critical (default true). */
  critical?: boolean;
  /** What reports disclose (default `"never"`: the status alone). */
  details?: DetailsMode;
  /**
   * A bearer token: with it `/metrics` requires `Authorization: Bearer <token>`, and
   * `details: "authenticated"` shows details to requests that carry it.
   */
  token?: string;
  /** Decides who sees details with `details: "authenticated"` (instead of, or with, `token`). */
  authenticate?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /** Prometheus metrics (default on); `false` turns `/metrics` and the MCP metrics off. */
  metrics?: boolean | MetricsOptions;
  /**
   * Unready while the share of rejected requests (HTTP 429/503, JSON-RPC rate-limited or
   * unavailable) over a sliding window exceeds `maxRatio` (off by default).
   */
  rejections?: RejectionRule;
  /** Serves the probes and `/metrics` on this port of their own (and not on the MCP port). */
  adminPort?: number;
  /** The address of the admin server (default `127.0.0.1`; `0.0.0.0` in a container). */
  adminHost?: string;
  /** Route paths. */
  paths?: HealthPaths;
  /** Registers a read-only MCP tool returning the readiness report: `true` (`health_check`) or a name. */
  tool?: boolean | string;
}

const FACTORY = "health";

function checkPath(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !value.startsWith("/")) {
    throw check.error(FACTORY, `paths.${name} must be a path starting with "/"`);
  }
}

/**
 * Checks `health()`'s options; throws `@mcpforge/health: health(): …` for the first bad one.
 *
 * @example
 * checkHealthOptions({ details: "authenticated", token: process.env.HEALTH_TOKEN });
 */
export function checkHealthOptions(opts: HealthOptions): void {
  check.record(FACTORY, "checks", opts.checks, (path, entry) => {
    if (typeof entry === "function") return;
    if (
      typeof entry !== "object" ||
      entry === null ||
      typeof (entry as HealthCheck).check !== "function"
    ) {
      throw check.error(FACTORY, `${path} must be a check (an object with check()) or a function`);
    }
  });
  check.duration(FACTORY, "timeoutMs", opts.timeoutMs);
  if (opts.intervalMs !== 0) check.duration(FACTORY, "intervalMs", opts.intervalMs);
  if (opts.critical !== undefined && typeof opts.critical !== "boolean") {
    throw check.error(FACTORY, "critical must be a boolean");
  }
  if (opts.details !== undefined && !["always", "never", "authenticated"].includes(opts.details)) {
    throw check.error(FACTORY, 'details must be "always", "never" or "authenticated"');
  }
  check.string(FACTORY, "token", opts.token, { nonEmpty: true });
  check.function(FACTORY, "authenticate", opts.authenticate);
  if (opts.details === "authenticated" && opts.token === undefined && !opts.authenticate) {
    throw check.error(
      FACTORY,
      'details: "authenticated" needs a token or an authenticate function',
    );
  }
  const m = opts.metrics;
  if (m !== undefined && typeof m !== "boolean") {
    if (typeof m !== "object" || m === null) {
      throw check.error(FACTORY, "metrics must be a boolean or an object");
    }
    check.methods(FACTORY, "metrics.registry", m.registry, ["metrics", "registerMetric"]);
    if (m.defaultMetrics !== undefined && typeof m.defaultMetrics !== "boolean") {
      throw check.error(FACTORY, "metrics.defaultMetrics must be a boolean");
    }
    check.positiveInteger(FACTORY, "metrics.maxNames", m.maxNames, 10_000);
    for (const kind of ["rateLimiters", "caches"] as const) {
      check.record(FACTORY, `metrics.${kind}`, m[kind], (path, source) => {
        check.methods(FACTORY, path, source, ["stats"]);
      });
    }
  }
  const r = opts.rejections;
  if (r !== undefined) {
    if (typeof r !== "object" || r === null)
      throw check.error(FACTORY, "rejections must be an object");
    if (typeof r.maxRatio !== "number" || !(r.maxRatio >= 0 && r.maxRatio < 1)) {
      throw check.error(FACTORY, "rejections.maxRatio must be a number in [0, 1)");
    }
    check.duration(FACTORY, "rejections.windowMs", r.windowMs);
    check.positiveInteger(FACTORY, "rejections.minRequests", r.minRequests);
  }
  if (opts.adminPort !== undefined) {
    if (!Number.isInteger(opts.adminPort) || opts.adminPort < 0 || opts.adminPort > 65535) {
      throw check.error(FACTORY, "adminPort must be a port number (0-65535; 0 picks a free one)");
    }
  }
  check.string(FACTORY, "adminHost", opts.adminHost, { nonEmpty: true });
  if (opts.paths !== undefined) {
    if (typeof opts.paths !== "object" || opts.paths === null) {
      throw check.error(FACTORY, "paths must be an object");
    }
    checkPath("liveness", opts.paths.liveness);
    checkPath("readiness", opts.paths.readiness);
    checkPath("metrics", opts.paths.metrics);
  }
  const tool = opts.tool;
  if (
    tool !== undefined &&
    typeof tool !== "boolean" &&
    (typeof tool !== "string" || tool === "")
  ) {
    throw check.error(FACTORY, "tool must be a boolean or a tool name");
  }
}
