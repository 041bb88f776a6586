import { randomUUID } from "node:crypto";
import type { Context } from "@mcpforge/core";

/**
 * The request's correlation id: `ctx.var.correlationId` when a middleware already set one,
 * otherwise a new UUID, stored there so every middleware of the request shares it.
 *
 * @example
 * const id = correlationIdOf(ctx);
 */
export function correlationIdOf(ctx: Context): string {
  const existing = ctx.var.correlationId;
  if (typeof existing === "string" && existing.length > 0) return existing;
  const id = randomUUID();
  (ctx.var as Record<string, unknown>).correlationId = id;
  return id;
}

/**
 * The tool a `tools/call` targets: the resolved component's name, else the requested name.
 *
 * @example
 * const tool = toolNameOf(ctx); // "search"
 */
export function toolNameOf(ctx: Context): string {
  if (ctx.component?.type === "tool") return ctx.component.name;
  const name = ctx.params.name;
  return typeof name === "string" ? name : "";
}
