import { McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
import { toolNameOf } from "../internal/correlation.js";
import { checkOptionsObject, checkPositiveInteger, checkRecord } from "../internal/options.js";

/** Options of {@link concurrency}. */
export interface ConcurrencyOptions {
  /** The most tool calls in flight at once, across all tools (default 100). */
  max?: number;
  /** The most calls in flight at once per tool, by tool name (default: only `max` applies). */
  perTool?: Record<string, number>;
}

/**
 * Caps the tool calls in flight, globally and per tool. A call over capacity is refused at
 * once (no queue) with `McpForgeError("unavailable", …)`, a JSON-RPC error the client may retry;
 * the handler does not run. Slots are released however the call ends.
 *
 * @example
 * import { concurrency } from "@mcpforge/middleware/concurrency";
 * app.use(concurrency({ max: 50, perTool: { render_pdf: 2 } }));
 */
export function concurrency(options?: ConcurrencyOptions): MiddlewareHooks {
  const opts = checkOptionsObject("concurrency", options);
  checkPositiveInteger("concurrency", "max", opts.max);
  checkRecord("concurrency", "perTool", opts.perTool, (path, v) =>
    checkPositiveInteger("concurrency", path, v),
  );
  const max = opts.max ?? 100;
  const limits = new Map(Object.entries(opts.perTool ?? {}));
  const inFlight = new Map<string, number>();
  let total = 0;

  return {
    name: "concurrency",
    onCallTool: (ctx, next) => {
      const tool = toolNameOf(ctx);
      if (total >= max) {
        throw new McpForgeError(
          "unavailable",
          `Server busy: ${max} tool calls are already in progress (the limit); retry later`,
          { data: { scope: "global", limit: max } },
        );
      }
      const limit = limits.get(tool);
      const current = inFlight.get(tool) ?? 0;
      if (limit !== undefined && current >= limit) {
        throw new McpForgeError(
          "unavailable",
          `Tool "${tool}" is busy: ${limit} calls are already in progress (its limit); retry later`,
          { data: { scope: "tool", tool, limit } },
        );
      }
      total++;
      if (limit !== undefined) inFlight.set(tool, current + 1);
      const release = () => {
        total--;
        if (limit !== undefined) {
          const left = (inFlight.get(tool) ?? 1) - 1;
          if (left > 0) inFlight.set(tool, left);
          else inFlight.delete(tool);
        }
      };
      let run: Promise<unknown>;
      try {
        run = next();
      } catch (err) {
        release();
        throw err;
      }
      // A promise chain, not an async frame: one promise less per call.
      return run.then(
        (result) => {
          release();
          return result;
        },
        (err: unknown) => {
          release();
          throw err;
        },
      );
    },
  };
}
