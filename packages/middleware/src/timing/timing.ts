import { performance } from "node:perf_hooks";
import type { Context, MiddlewareHooks, ServerLogger } from "@mcpforge/core";
import { createStderrLogger } from "@mcpforge/core/authoring";
import { checkNonNegativeNumber, checkOptionsObject, optionsError } from "../internal/options.js";

/** The `ctx.var` fields {@link timing} adds. */
export type TimingVars = {
  /** How long the rest of the chain took, in milliseconds (set once `next()` settles). */
  durationMs: number;
};

/** Options of {@link timing}. */
export interface TimingOptions {
  /** Operations taking longer than this many milliseconds are logged as slow (default 1000). */
  slowMs?: number;
  /**
   * Where slow operations are reported (`warn`); default: core's JSON-lines stderr logger
   * named `@mcpforge/middleware/timing`.
   */
  log?: Pick<ServerLogger, "warn">;
}

/**
 * Measures every operation: puts its duration on `ctx.var.durationMs` (for middleware added
 * before this one, after their `next()`), adds a `Server-Timing: mcp;dur=…` header to HTTP
 * answers, and logs operations slower than `slowMs`.
 *
 * @example
 * import { type TimingVars, timing } from "@mcpforge/middleware/timing";
 * app.use<Partial<TimingVars>>(async (ctx, next) => {
 *   const result = await next();
 *   console.error(ctx.method, ctx.var.durationMs);
 *   return result;
 * });
 * app.use(timing({ slowMs: 500 }));
 */
export function timing(options?: TimingOptions): MiddlewareHooks<TimingVars> {
  const opts = checkOptionsObject("timing", options);
  checkNonNegativeNumber("timing", "slowMs", opts.slowMs);
  if (opts.log !== undefined && typeof opts.log?.warn !== "function") {
    throw optionsError("timing", "log must have a warn(message, fields) method");
  }
  const slowMs = opts.slowMs ?? 1000;
  let log = opts.log;
  // Made once, not per request: the request's own callbacks stay two small closures.
  const record = (ctx: Context<TimingVars>, start: number, outcome: string) => {
    const durationMs = Math.round((performance.now() - start) * 1000) / 1000;
    ctx.var.durationMs = durationMs;
    // On HTTP the answer carries the figure too (a no-op on stdio and in-memory).
    ctx.setResponseHeader("server-timing", `mcp;dur=${durationMs}`);
    if (durationMs > slowMs) {
      log ??= createStderrLogger("@mcpforge/middleware/timing");
      log.warn("slow operation", {
        method: ctx.method,
        component: ctx.component?.name,
        durationMs,
        slowMs,
        outcome,
        sessionId: ctx.session.id,
        requestId: ctx.requestId,
      });
    }
  };
  return {
    name: "timing",
    onRequest: (ctx, next) => {
      const start = performance.now();
      // A promise chain, not an async frame: one promise less per request.
      return next().then(
        (result) => {
          record(ctx, start, "ok");
          return result;
        },
        (err: unknown) => {
          record(ctx, start, "error");
          throw err;
        },
      );
    },
  };
}
