// Your own middleware, checked by the contract suite every middleware must pass.
import type { Middleware } from "@mcpforge/core";
import { testMiddleware } from "@mcpforge/testing";

/** Counts the answered requests of each method. */
const answered = new Map<string, number>();
const countAnswers = (): Middleware => async (ctx, next) => {
  const result = await next();
  answered.set(ctx.method, (answered.get(ctx.method) ?? 0) + 1);
  return result;
};

testMiddleware("countAnswers", () => countAnswers());
