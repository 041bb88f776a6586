import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, MiddlewareHooks } from "@mcpforge/core";
import type { SetupApi } from "@mcpforge/core/authoring";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { CheckFunction, HealthCheck } from "./checks/types.js";
import { checkHealthOptions, type HealthOptions } from "./health-options.js";
import { type AdminRoutes, type AdminServer, startAdminServer } from "./internal/admin-server.js";
import { sendReport, sendUnauthorized } from "./internal/http-reply.js";
import { optionsOf } from "./internal/options.js";
import { RejectionWindow } from "./internal/rejections.js";
import { checkEntries, type HealthReport, overall } from "./internal/report.js";
import { CheckRunner } from "./internal/runner.js";
import { bearerChecker } from "./internal/token.js";
import { registerHealthTool } from "./internal/tool.js";
import { McpMetrics } from "./metrics/mcp-metrics.js";
import { CHECK_DURATION, CHECK_STATUS, READY } from "./metrics/names.js";
import { errorTypeOf, isRejection } from "./metrics/outcome.js";
import { registerStatsSources } from "./metrics/stats-sources.js";

/** What `health()` returns: middleware to install with `app.use()`, plus reports on demand. */
export interface HealthMiddleware extends MiddlewareHooks {
  /** The prom-client registry `/metrics` serves (undefined with `metrics: false`). */
  readonly registry: Registry | undefined;
  /** The admin server's base URL once the app started (with `adminPort`). */
  readonly adminUrl: string | undefined;
  /** The liveness report, with details. */
  liveness(): HealthReport;
  /** The readiness report, with details (runs the checks whose results are older than their interval). */
  readiness(): Promise<HealthReport>;
}

function toCheck(entry: HealthCheck | CheckFunction): HealthCheck {
  return typeof entry === "function" ? { check: entry as HealthCheck["check"] } : entry;
}

function statusAlone(report: HealthReport): HealthReport {
  return { status: report.status };
}

/**
 * Liveness and readiness probes, dependency checks and Prometheus metrics, installed with one
 * line. `GET|HEAD /healthz` answers while the process and its event loop do (it checks no
 * dependency); `GET|HEAD /readyz` is 503 until startup finished, as soon as shutdown starts
 * draining, while a critical check fails and (optionally) while too many requests are
 * rejected. Both are answered before the MCP endpoint's Host/Origin checks and auth and
 * disclose only their status unless `details` says otherwise (IETF `application/health+json`).
 * `GET /metrics` serves prom-client's default metrics plus the MCP metrics of the
 * OpenTelemetry conventions. Install it first, so its metrics see the other middleware too.
 *
 * @param options.checks - named checks (`redisCheck()`, `postgresCheck()`, functions, …)
 * @param options.timeoutMs - default check timeout (default 1000)
 * @param options.intervalMs - default time a check result is reused (default 5000)
 * @param options.critical - default criticality of checks (default true)
 * @param options.details - `"never"` (default), `"always"` or `"authenticated"`
 * @param options.token - bearer token for `/metrics` and authenticated details
 * @param options.metrics - `false`, or metrics options (registry, rate limiters, caches)
 * @param options.rejections - unready above a share of rejected requests
 * @param options.adminPort - serve probes and metrics on a port of their own
 * @param options.tool - register the `health_check` tool (default false)
 * @example
 * app.use(
 *   health({
 *     checks: {
 *       eventLoop: eventLoopCheck({ maxDelayMs: 200 }),
 *       redis: redisCheck({ url: "redis://127.0.0.1:6379" }),
 *       config: async () => existsSync("/etc/app/config.json"),
 *     },
 *     tool: true,
 *   }),
 * );
 * import { existsSync } from "node:fs";
 */
export function health(options?: HealthOptions): HealthMiddleware {
  const opts = optionsOf("health", options);
  checkHealthOptions(opts);
  const defaults = {
    timeoutMs: opts.timeoutMs ?? 1000,
    intervalMs: opts.intervalMs ?? 5000,
    critical: opts.critical ?? true,
  };
  const runners = Object.entries(opts.checks ?? {}).map(
    ([name, entry]) => new CheckRunner(name, toCheck(entry), defaults),
  );
  const details = opts.details ?? "never";
  const tokenOk = opts.token === undefined ? undefined : bearerChecker(opts.token);
  const paths = {
    liveness: opts.paths?.liveness ?? "/healthz",
    readiness: opts.paths?.readiness ?? "/readyz",
    metrics: opts.paths?.metrics ?? "/metrics",
  };
  const metricsOptions =
    opts.metrics === false ? undefined : opts.metrics === true ? {} : (opts.metrics ?? {});
  const rejections = opts.rejections ? new RejectionWindow(opts.rejections) : undefined;

  let api: SetupApi | undefined;
  let wasReady = false;
  let admin: AdminServer | undefined;
  let serviceId: string | undefined;

  const ready = () => {
    const now = api?.ready === true;
    if (now) wasReady = true;
    return now;
  };

  function liveness(): HealthReport {
    const report: HealthReport = {
      status: "pass",
      checks: {
        "uptime:duration": [
          {
            componentType: "system",
            status: "pass",
            time: new Date().toISOString(),
            observedValue: Math.round(process.uptime()),
            observedUnit: "s",
            critical: false,
            durationMs: 0,
          },
        ],
      },
    };
    if (serviceId !== undefined) report.serviceId = serviceId;
    return report;
  }

  async function readiness(): Promise<HealthReport> {
    const results = await Promise.all(runners.map((r) => r.result()));
    const checks = checkEntries(results);
    let status = overall(results);
    let output: string | undefined = results.find((r) => r.status === "fail")?.name;
    if (output !== undefined) output = `check failing: ${output}`;
    if (rejections) {
      const state = rejections.state();
      checks["rejections:ratio"] = [
        {
          componentType: "component",
          status: state.exceeded ? "fail" : "pass",
          time: new Date().toISOString(),
          observedValue: Math.round(state.ratio * 1000) / 1000,
          observedUnit: "ratio",
          critical: true,
          durationMs: 0,
        },
      ];
      if (state.exceeded) {
        status = "fail";
        output ??= `rejected ${state.rejected} of ${state.total} requests`;
      }
    }
    if (!ready()) {
      status = "fail";
      output = wasReady ? "shutting down" : "starting";
    }
    const report: HealthReport = { status };
    if (output !== undefined) report.output = output;
    if (serviceId !== undefined) report.serviceId = serviceId;
    report.checks = checks;
    return report;
  }

  async function showDetails(req: IncomingMessage): Promise<boolean> {
    if (details === "always") return true;
    if (details === "never") return false;
    if (tokenOk?.(req)) return true;
    return opts.authenticate ? (await opts.authenticate(req)) === true : false;
  }

  const onLiveness = async (req: IncomingMessage, res: ServerResponse) => {
    const report = liveness();
    sendReport(req, res, (await showDetails(req)) ? report : statusAlone(report));
  };
  const onReadiness = async (req: IncomingMessage, res: ServerResponse) => {
    const report = await readiness();
    sendReport(req, res, (await showDetails(req)) ? report : statusAlone(report));
  };

  let registry: Registry | undefined;
  let mcp: McpMetrics | undefined;
  if (metricsOptions) {
    registry = metricsOptions.registry ?? new Registry();
    if (metricsOptions.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
    mcp = new McpMetrics(registry, { maxNames: metricsOptions.maxNames ?? 100 });
    registerStatsSources(registry, metricsOptions);
    new Gauge({
      name: READY,
      help: "1 while the server is ready (what /readyz last said of startup and drain), else 0.",
      registers: [registry],
      collect() {
        this.set(ready() ? 1 : 0);
      },
    });
    new Gauge({
      name: CHECK_STATUS,
      help: "The last result of each health check: 1 pass, 0.5 warn, 0 fail.",
      labelNames: ["check"],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of runners) {
          const last = r.last;
          if (last)
            this.set(
              { check: r.name },
              last.status === "pass" ? 1 : last.status === "warn" ? 0.5 : 0,
            );
        }
      },
    });
    new Gauge({
      name: CHECK_DURATION,
      help: "How long the last run of each health check took.",
      labelNames: ["check"],
      registers: [registry],
      collect() {
        this.reset();
        for (const r of runners) {
          const last = r.last;
          if (last) this.set({ check: r.name }, last.durationMs / 1000);
        }
      },
    });
    if (rejections)
      mcp.onOutcome = (errorType) =>
        rejections.record(errorType !== undefined && isRejection(errorType));
  }
  const served = registry;
  const onMetrics = async (req: IncomingMessage, res: ServerResponse) => {
    if (!served) return;
    if (tokenOk && !tokenOk(req)) return sendUnauthorized(res);
    const body = await served.metrics();
    res.writeHead(200, { "content-type": served.contentType, "cache-control": "no-store" });
    res.end(body);
  };

  function onRequest(ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    // No async frame of its own around the metrics' one.
    if (mcp) return mcp.measure(ctx, next);
    return countRejections(ctx, next);
  }

  async function countRejections(ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    try {
      const result = await next();
      rejections?.record(false);
      return result;
    } catch (err) {
      rejections?.record(isRejection(errorTypeOf(ctx, err)));
      throw err;
    }
  }

  const middleware: HealthMiddleware = {
    name: "health",
    get registry() {
      return served;
    },
    get adminUrl() {
      return admin?.url;
    },
    liveness,
    readiness,
    setup(setupApi) {
      api = setupApi;
      serviceId = setupApi.name;
      const routes: AdminRoutes = new Map();
      for (const method of ["GET", "HEAD"]) {
        routes.set(`${method} ${paths.liveness}`, onLiveness);
        routes.set(`${method} ${paths.readiness}`, onReadiness);
      }
      if (served) routes.set(`GET ${paths.metrics}`, onMetrics);
      if (opts.adminPort === undefined) {
        for (const [key, handler] of routes) {
          const [method, path] = key.split(" ") as [string, string];
          setupApi.route(method, path, handler, { public: true });
        }
      }
      setupApi.onStart(async () => {
        for (const r of runners) await r.check.start?.();
        if (opts.adminPort !== undefined) {
          admin = await startAdminServer(
            routes,
            opts.adminPort,
            opts.adminHost ?? "127.0.0.1",
            (err) => setupApi.logger.error("health: admin request failed", { error: String(err) }),
          );
        }
      });
      setupApi.onClose(async () => {
        await admin?.close();
        admin = undefined;
        for (const r of runners) {
          try {
            await r.check.close?.();
          } catch (err) {
            setupApi.logger.warn("health: closing a check failed", {
              check: r.name,
              error: String(err),
            });
          }
        }
      });
      if (mcp) {
        const m = mcp;
        setupApi.onSessionOpen(() => m.sessionOpened());
        setupApi.onSessionClose((session, ms) => m.sessionClosed(session, ms));
      }
      if (opts.tool) {
        const name = typeof opts.tool === "string" ? opts.tool : "health_check";
        registerHealthTool(setupApi, name, async (ctx) => {
          const report = await readiness();
          const show =
            details === "always" || (details === "authenticated" && ctx.auth !== undefined);
          return show ? report : statusAlone(report);
        });
      }
    },
  };
  if (mcp || rejections) middleware.onRequest = onRequest;
  if (rejections) {
    middleware.onHttpRequest = (_req, res) => {
      res.once("finish", () => {
        if (res.statusCode === 429 || res.statusCode === 503) rejections.record(true);
      });
      return undefined;
    };
  }
  return middleware;
}
