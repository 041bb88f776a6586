import type { Context } from "../context/context.js";
import { HOOK_FOR_METHOD, type Middleware, type MiddlewareFn } from "./types.js";

/**
 * Composes onion middleware into one function (the one onion runner of core: requests and
 * notifications both run through it). Each middleware may call `next()` once; a second call
 * rejects with an error.
 *
 * @example
 * import type { MiddlewareFn } from "@mcpforge/core";
 * import { compose } from "@mcpforge/core/authoring";
 * const timing: MiddlewareFn = async (ctx, next) => {
 *   const start = performance.now();
 *   try {
 *     return await next();
 *   } finally {
 *     console.error(ctx.method, `${performance.now() - start} ms`);
 *   }
 * };
 * const logging: MiddlewareFn = async (ctx, next) => {
 *   console.error("request", ctx.method);
 *   return next();
 * };
 * const run = compose([timing, logging]);
 * const result = await run(ctx, async () => ({ tools: [] })); // timing(logging(handler))
 */
export function compose<C = Context, R = unknown>(
  fns: readonly ((c: C, next: () => Promise<R>) => Promise<R>)[],
): (c: C, last: () => Promise<R>) => Promise<R> {
  if (fns.length === 0) return (_c, last) => last();
  return (c, last) => {
    const dispatch = (i: number): Promise<R> => {
      if (i === fns.length) return last();
      const fn = fns[i] as (c: C, next: () => Promise<R>) => Promise<R>;
      let called = false;
      const next = (): Promise<R> => {
        if (called) return Promise.reject(new Error("next() called multiple times"));
        called = true;
        return dispatch(i + 1);
      };
      try {
        return Promise.resolve(fn(c, next));
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
 * import type { Middleware, MiddlewareFn } from "@mcpforge/core";
 * import { middlewareFor } from "@mcpforge/core/authoring";
 * const logging: MiddlewareFn = async (ctx, next) => {
 *   console.error("request", ctx.method);
 *   return next();
 * };
 * const audit: MiddlewareFn = async (ctx, next) => {
 *   console.error("call", ctx.params.name);
 *   return next();
 * };
 * const stack: Middleware[] = [logging, { onCallTool: audit }];
 * middlewareFor(stack, "tools/call"); // [logging, audit]
 * middlewareFor(stack, "tools/list"); // [logging]
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
