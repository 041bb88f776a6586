import type { Context } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import type { ServerLogger } from "../internal/logger.js";
import type { Session } from "../protocol/session.js";
import type { PromptDef, ResourceDef, TemplateDef, ToolDef } from "../registry/define.js";
import type { MethodDef } from "../registry/methods.js";
import type { Registry } from "../registry/registry.js";

/** What the method handlers need from the app. */
export interface AppInternals {
  readonly tools: Registry<ToolDef>;
  readonly resources: Registry<ResourceDef>;
  readonly templates: Registry<TemplateDef>;
  readonly prompts: Registry<PromptDef>;
  /** Custom JSON-RPC methods (`app.method()`), by name. */
  readonly methods?: ReadonlyMap<string, MethodDef>;
  readonly pageSize: number;
  readonly logger: ServerLogger;
}

/** A core method handler. */
export type MethodHandler = (app: AppInternals, ctx: Context, session: Session) => Promise<unknown>;

/** Reads a required string param or fails with -32602. */
export function requireString(ctx: Context, key: string): string {
  const value = ctx.params[key];
  if (typeof value !== "string" || value.length === 0) {
    throw invalidParam(`Missing or invalid "${key}": expected a non-empty string`);
  }
  return value;
}

function invalidParam(message: string): McpForgeError {
  return new McpForgeError("invalid_params", message);
}

/** Reads an optional object param (absent: `{}`), or fails with -32602 (`null`, arrays, strings, …). */
export function optionalRecord(ctx: Context, key: string): Record<string, unknown> {
  const value = ctx.params[key];
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw invalidParam(`Invalid "${key}": expected an object, got ${got}`);
  }
  return value as Record<string, unknown>;
}
