import { McpForgeError, type MiddlewareHooks } from "@mcpforge/core";
import { toolNameOf } from "../internal/correlation.js";
import { checkDuration, checkOptionsObject, checkRecord } from "../internal/options.js";
import { Deadline, DeadlineList } from "./internal/deadlines.js";

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

/** Where a call's state sits on `ctx.var`, for the shared `timeoutSignal` getter. */
const CALL = Symbol("@mcpforge/middleware.timeout");

/** One tool call under a timeout: its deadline, and its signal once somebody asks for it. */
class TimedCall extends Deadline {
  readonly tool: string;
  readonly ms: number;
  controller: AbortController | undefined = undefined;
  expiredWith: McpForgeError | undefined = undefined;
  reject: ((error: McpForgeError) => void) | undefined = undefined;

  constructor(tool: string, ms: number) {
    super();
    this.tool = tool;
    this.ms = ms;
  }

  /** The call's timeout signal, made on first use (most calls never ask). */
  readonly signal = (): AbortSignal => {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.expiredWith) this.controller.abort(this.expiredWith);
    }
    return this.controller.signal;
  };

  expire(): void {
    const { tool, ms } = this;
    const error = new McpForgeError("timeout", `Tool "${tool}" timed out after ${ms} ms`, {
      data: { tool, timeoutMs: ms },
    });
    this.expiredWith = error;
    this.controller?.abort(error);
    this.reject?.(error);
  }
}

/**
 * One getter for every call's `ctx.var.timeoutSignal`, reading the call from `ctx.var`: the
 * same accessor each time keeps `ctx.var` objects alike for the engine (a new getter function
 * per call would give each one its own shape, which costs microseconds).
 */
const TIMEOUT_SIGNAL: PropertyDescriptor = {
  get(this: { [CALL]: TimedCall }) {
    return this[CALL].signal();
  },
  configurable: true,
  enumerable: true,
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
  // One deadline list (and at most one timer) per duration, shared by every call of this
  // middleware: a call makes no timer of its own.
  const lists = new Map<number, DeadlineList>();
  const listFor = (ms: number): DeadlineList => {
    let list = lists.get(ms);
    if (!list) {
      list = new DeadlineList(ms);
      lists.set(ms, list);
    }
    return list;
  };

  return {
    name: "timeout",
    onCallTool: (ctx, next) => {
      const tool = toolNameOf(ctx);
      const ms = perTool.size === 0 ? defaultMs : (perTool.get(tool) ?? defaultMs);
      // The signals are made only when a handler or middleware reads them: most calls never do,
      // and AbortController / AbortSignal.any are a measurable part of a fast call's cost.
      const call = new TimedCall(tool, ms);
      const vars = ctx.var as unknown as { [CALL]: TimedCall };
      vars[CALL] = call;
      Object.defineProperty(vars, "timeoutSignal", TIMEOUT_SIGNAL);
      if (ms === Number.POSITIVE_INFINITY) return next();
      ctx.linkSignal(call.signal);

      const list = listFor(ms);
      list.add(call);
      let run: Promise<unknown>;
      try {
        run = next();
      } catch (err) {
        list.remove(call);
        return Promise.reject(err);
      }
      return new Promise((resolve, reject) => {
        // A timeout answers now; the late outcome is dropped (and a late rejection handled).
        call.reject = reject;
        run.then(
          (value) => {
            list.remove(call);
            resolve(value);
          },
          (err: unknown) => {
            list.remove(call);
            reject(err);
          },
        );
      });
    },
  };
}
