import type { Context, Vars } from "../context/context.js";
import { HOOK_FOR_METHOD, type Middleware, type MiddlewareFn, type Next } from "./types.js";

/**
 * Composes onion middleware into one function. Each middleware may call `next()` once;
 * a second call rejects with an error.
 *
 * @example
 * const run = compose([timing, logging]);
 * const result = await run(ctx, () => handler(ctx));
 */
export function compose<V extends Vars = Vars>(
  fns: readonly MiddlewareFn<V>[],
): (ctx: Context<V>, last: Next) => Promise<unknown> {
  if (fns.length === 0) return (_ctx, last) => last();
  return (ctx, last) => {
    const dispatch = (i: number): Promise<unknown> => {
      if (i === fns.length) return last();
      const fn = fns[i] as MiddlewareFn<V>;
      let called = false;
      const next: Next = () => {
        if (called) return Promise.reject(new Error("next() called multiple times"));
        called = true;
        return dispatch(i + 1);
      };
      try {
        return Promise.resolve(fn(ctx, next));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return dispatch(0);
  };
}

/**
 * Picks, in order, the middleware functions that apply to one MCP method.
 *
 * @example
 * const fns = middlewareFor([logging, { onCallTool: audit }], "tools/call");
 */
export function middlewareFor(stack: readonly Middleware[], method: string): MiddlewareFn[] {
  const hook = HOOK_FOR_METHOD[method];
  const out: MiddlewareFn[] = [];
  for (const mw of stack) {
    if (typeof mw === "function") {
      out.push(mw);
      continue;
    }
    if (mw.onRequest) out.push(mw.onRequest);
    const specific = hook ? mw[hook] : undefined;
    if (typeof specific === "function") out.push(specific as MiddlewareFn);
  }
  return out;
}
