/**
 * Custom JSON-RPC request methods (MCP extensions, SEP-2133): a name outside MCP's own
 * methods, an optional params schema and a handler returning the result object.
 */
import type { Context, Vars } from "../context/context.js";
import { McpForgeError } from "../errors/errors.js";
import {
  type CompiledSchema,
  compileSchema,
  formatIssues,
  type InferSchema,
  type SchemaInput,
} from "../schema/schema.js";
import type { MaybePromise } from "./types.js";

/** Options of `app.method()`. */
export interface MethodOptions<P extends SchemaInput | undefined = undefined> {
  /** Schema of the params (`_meta` excluded); invalid params are a -32602 error. */
  params?: P;
  /** What the method does (for diagnostics and listings of the server's own). */
  description?: string;
}

/** A custom method's handler: the validated params and the request context; returns the result. */
export type MethodHandler<P = undefined, V extends Vars = Vars> = (
  params: InferSchema<P>,
  ctx: Context<V>,
) => MaybePromise<Record<string, unknown> | undefined>;

/** A registered custom method. */
export interface MethodDef {
  readonly name: string;
  readonly description: string | undefined;
  readonly params: CompiledSchema | undefined;
  readonly handler: (params: unknown, ctx: Context) => unknown;
}

/** MCP's own request methods (spec 2025-11-25), never a custom method's name. */
const MCP_METHODS = new Set(["initialize", "ping"]);

/** MCP's method namespaces: reserved, so a future MCP method cannot collide with a custom one. */
const MCP_NAMESPACES = [
  "notifications/",
  "tools/",
  "resources/",
  "prompts/",
  "completion/",
  "logging/",
  "sampling/",
  "elicitation/",
  "roots/",
  "tasks/",
];

const METHOD_RE = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/;

/**
 * Why a name cannot be a custom method (it shadows an MCP method or is malformed), or undefined.
 *
 * @example
 * reservedMethodReason("tools/call"); // "it is in MCP's tools/ namespace"
 */
export function reservedMethodReason(name: string): string | undefined {
  if (typeof name !== "string" || !METHOD_RE.test(name)) {
    return "use 1-128 characters from A-Z a-z 0-9 _ . / -, starting with a letter or digit";
  }
  if (MCP_METHODS.has(name)) return "it is an MCP method";
  if (name.startsWith("rpc.")) return 'JSON-RPC reserves names starting with "rpc."';
  const ns = MCP_NAMESPACES.find((prefix) => name.startsWith(prefix));
  if (ns) return `it is in MCP's ${ns} namespace`;
  return undefined;
}

/**
 * Builds a custom method's definition; refuses names that shadow MCP methods.
 *
 * @example
 * const def = defineMethodDef("acme/status", {}, () => ({ ok: true }));
 */
export function defineMethodDef(
  name: string,
  options: MethodOptions<SchemaInput | undefined>,
  handler: (params: never, ctx: never) => unknown,
): MethodDef {
  const reason = reservedMethodReason(name);
  if (reason) {
    throw new Error(`@mcpforge/core: method(): cannot register ${JSON.stringify(name)}: ${reason}`);
  }
  if (typeof handler !== "function") {
    throw new Error(`@mcpforge/core: method(): "${name}" needs a handler function`);
  }
  const params =
    options?.params === undefined
      ? undefined
      : compileSchema(options.params, `params schema of method "${name}"`);
  return {
    name,
    description: options?.description,
    params,
    handler: handler as MethodDef["handler"],
  };
}

/**
 * Answers a custom method: validates the params (without `_meta`), runs the handler and
 * checks that it returned an object (`undefined` becomes `{}`).
 *
 * @example
 * const def = defineMethodDef("acme/status", {}, () => ({ ok: true }));
 * const result = await runMethod(def, ctx); // { ok: true }
 */
export async function runMethod(def: MethodDef, ctx: Context): Promise<Record<string, unknown>> {
  let params: unknown = ctx.params;
  if (def.params) {
    const { _meta: _ignored, ...rest } = ctx.params;
    const checked = def.params.validate(rest);
    if (!checked.ok) {
      throw new McpForgeError(
        "invalid_params",
        `Invalid params for ${def.name}: ${formatIssues(checked.issues)}`,
      );
    }
    params = checked.value;
  }
  const result = await def.handler(params, ctx);
  if (result === undefined || result === null) return {};
  if (typeof result !== "object" || Array.isArray(result)) {
    throw new TypeError(`method ${def.name} returned ${typeof result}; a result must be an object`);
  }
  return result as Record<string, unknown>;
}
