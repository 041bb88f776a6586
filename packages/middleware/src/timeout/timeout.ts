import { McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
import { toolNameOf } from "../internal/correlation.js";
import { checkDuration, checkOptionsObject, checkRecord } from "../internal/options.js";

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** The timeout of every tool without its own entry, in ms (default 60000; `Infinity` = none). */
  defaultMs?: number;
  /** Per-tool timeouts in ms, by tool name (`Infinity` = none). */
  tools?: Record<string, number>;
}

/** The `ctx.var` fields {@link timeout} adds. */
export type TimeoutVars = {
  /** Aborts (with the timeout error as its reason) when this tool call's time is up. */
  timeoutSignal: AbortSignal;
};

/**
 * Limits how long a tool call may take: per tool, or `defaultMs`. When the time is up the
 * caller gets `McpForgeError("timeout", 'Tool "x" timed out after N ms')` (an `isError` result
 * once the handler started), the handler's `ctx.signal` and `ctx.var.timeoutSignal` abort, and
 * whatever the handler returns later is dropped.
 *
 * @example
 * import { timeout } from "@mcpforge/middleware/timeout";
 * app.use(timeout({ defaultMs: 10_000, tools: { crawl: 60_000 } }));
 * app.tool("crawl", { input: { url: z.string() } }, async ({ url }, ctx) => {
 *   const res = await fetch(url, { signal: ctx.signal }); // aborted on timeout or cancellation
 *   return res.text();
 * });
 */
export function timeout(options?: TimeoutOptions): MiddlewareHooks<TimeoutVars> {
  const opts = checkOptionsObject("timeout", options);
  checkDuration("timeout", "defaultMs", opts.defaultMs);
  checkRecord("timeout", "tools", opts.tools, (path, v) => checkDuration("timeout", path, v));
  const defaultMs = opts.defaultMs ?? 60_000;
  const perTool = new Map(Object.entries(opts.tools ?? {}));

  return {
    name: "timeout",
    onCallTool: async (ctx, next) => {
      const tool = toolNameOf(ctx);
      const ms = perTool.get(tool) ?? defaultMs;
      // The signals are made only when a handler or middleware reads them: most calls never do,
      // and AbortController / AbortSignal.any are a measurable part of a fast call's cost.
      let controller: AbortController | undefined;
      let expiredWith: McpForgeError | undefined;
      const timeoutSignal = () => {
        if (!controller) {
          controller = new AbortController();
          if (expiredWith) controller.abort(expiredWith);
        }
        return controller.signal;
      };
      Object.defineProperty(ctx.var, "timeoutSignal", {
        get: timeoutSignal,
        configurable: true,
        enumerable: true,
      });
      if (ms === Number.POSITIVE_INFINITY) return next();
      ctx.linkSignal(timeoutSignal);

      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new McpForgeError("timeout", `Tool "${tool}" timed out after ${ms} ms`, {
            data: { tool, timeoutMs: ms },
          });
          expiredWith = error;
          controller?.abort(error);
          reject(error);
        }, ms);
      });
      const run = next();
      // After a timeout the late outcome is dropped; keep a late rejection from going unhandled.
      run.catch(() => {});
      try {
        return await Promise.race([run, expired]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
