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
  const releaseTool = (tool: string) => {
    total--;
    const left = (inFlight.get(tool) ?? 1) - 1;
    if (left > 0) inFlight.set(tool, left);
    else inFlight.delete(tool);
  };
  // A call of a tool without a limit of its own only counts towards `max`: the same two
  // callbacks serve every such call (no closures per call).
  const releaseTotal: Settlers = {
    ok: (result) => {
      total--;
      return result;
    },
    failed: (err) => {
      total--;
      throw err;
    },
  };

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
      const limit = limits.size === 0 ? undefined : limits.get(tool);
      if (limit === undefined) {
        total++;
        return settle(next, releaseTotal);
      }
      const current = inFlight.get(tool) ?? 0;
      if (current >= limit) {
        throw new McpForgeError(
          "unavailable",
          `Tool "${tool}" is busy: ${limit} calls are already in progress (its limit); retry later`,
          { data: { scope: "tool", tool, limit } },
        );
      }
      total++;
      inFlight.set(tool, current + 1);
      return settle(next, {
        ok: (result) => {
          releaseTool(tool);
          return result;
        },
        failed: (err) => {
          releaseTool(tool);
          throw err;
        },
      });
    },
  };
}

/** What runs when a call settles: releases its place and passes the outcome on. */
interface Settlers {
  ok(result: unknown): unknown;
  failed(err: unknown): never;
}

/** `next()` with `settlers` run when it settles — also when it throws synchronously. */
function settle(next: () => Promise<unknown>, settlers: Settlers): Promise<unknown> {
  let run: Promise<unknown>;
  try {
    run = next();
  } catch (err) {
    return Promise.reject(err).then(undefined, settlers.failed);
  }
  // A promise chain, not an async frame: one promise less per call.
  return run.then(settlers.ok, settlers.failed);
}
