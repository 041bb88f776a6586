import { type Context, McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
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
      const controller = new AbortController();
      ctx.var.timeoutSignal = controller.signal;
      if (ms === Number.POSITIVE_INFINITY) return next();
      exposeOnContextSignal(ctx as Context, controller.signal);

      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new McpForgeError("timeout", `Tool "${tool}" timed out after ${ms} ms`, {
            data: { tool, timeoutMs: ms },
          });
          controller.abort(error);
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

/**
 * Makes `ctx.signal` (the SDK's cancellation signal, a getter on core's `Context`) also abort
 * on timeout, by shadowing it with an own property on this request's context.
 */
function exposeOnContextSignal(ctx: Context, timeoutSignal: AbortSignal): void {
  try {
    const combined = anySignal([ctx.signal, timeoutSignal]);
    Object.defineProperty(ctx, "signal", { value: combined, configurable: true });
  } catch {
    // A future core may forbid this; handlers can still use ctx.var.timeoutSignal.
  }
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
