import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "../context/context.js";
import { isMcpForgeError, McpForgeError, ToolError } from "../errors/errors.js";
import { fromJsonRpcError } from "../errors/json-rpc.js";
import { maskError } from "../errors/mask.js";
import type { AppInternals } from "../handlers/internals.js";
import {
  complete,
  getPrompt,
  listPrompts,
  parseLevel,
  resolvePrompt,
} from "../handlers/prompts.js";
import {
  listResources,
  listTemplates,
  readResource,
  resolveResource,
  subscribe,
} from "../handlers/resources.js";
import {
  callTool,
  checkOutput,
  errorResult,
  listTools,
  OutputSchemaError,
  resolveTool,
  toolHandlerStarted,
} from "../handlers/tools.js";
import type { Session } from "../protocol/session.js";

/** The final handler of one method, run inside the middleware chain. */
type Final = (app: AppInternals, ctx: Context, session: Session) => () => Promise<unknown>;

const METHODS: Readonly<Record<string, Final>> = {
  "tools/list": (app, ctx) => () => listTools(app, ctx),
  "tools/call": (app, ctx) => {
    const def = resolveTool(app, ctx);
    if (def) ctx.component = def.info;
    return async () => {
      const result = await callTool(ctx, def);
      if (def) checkOutput(app, def, result);
      return result;
    };
  },
  "resources/list": (app, ctx) => () => listResources(app, ctx),
  "resources/templates/list": (app, ctx) => () => listTemplates(app, ctx),
  "resources/read": (app, ctx) => {
    const target = resolveResource(app, ctx.params.uri);
    if (target) ctx.component = target.def.info;
    return () => readResource(ctx, target);
  },
  "resources/subscribe": (app, ctx, session) => () => subscribe(app, ctx, session, true),
  "resources/unsubscribe": (app, ctx, session) => () => subscribe(app, ctx, session, false),
  "prompts/list": (app, ctx) => () => listPrompts(app, ctx),
  "prompts/get": (app, ctx) => {
    const def = resolvePrompt(app, ctx);
    if (def) ctx.component = def.info;
    return () => getPrompt(ctx, def);
  },
  "completion/complete": (app, ctx) => () => complete(app, ctx),
  "logging/setLevel": (_app, ctx, session) => async () => {
    session.logLevel = parseLevel(ctx);
    return {};
  },
};

/**
 * Whether core serves this MCP method.
 *
 * @example
 * isKnownMethod("tools/call"); // true
 */
export function isKnownMethod(method: string): boolean {
  return Object.hasOwn(METHODS, method);
}

/**
 * Prepares the final handler of a request (resolving its component onto `ctx`).
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "../handlers/internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * const session = new Session("s1", undefined, "memory");
 * // Throws method_not_found (-32601) for a method core does not serve.
 * const final = prepareFinal(internals, ctx, session);
 * return await final(); // run inside the middleware chain in the app
 */
export function prepareFinal(
  app: AppInternals,
  ctx: Context,
  session: Session,
): () => Promise<unknown> {
  const make = METHODS[ctx.method];
  if (!make) throw new McpForgeError("method_not_found", `Method not found: ${ctx.method}`);
  return make(app, ctx, session);
}

function exposedMessage(err: unknown): string | undefined {
  if (err instanceof ToolError || isMcpForgeError(err) || err instanceof McpError) {
    return (err as Error).message;
  }
  return undefined;
}

/**
 * Whether a failure of this request reaches the client as an `isError: true` tool result (it
 * was thrown once the tool's handler had started) rather than as a JSON-RPC error. Middleware
 * that reports outcomes (telemetry, logging) sees the thrown value; this tells what it becomes.
 *
 * @example
 * app.use(async (ctx, next) => {
 *   try {
 *     return await next();
 *   } catch (err) {
 *     logger.warn(becomesToolError(ctx, err) ? "tool error (isError result)" : "JSON-RPC error");
 *     throw err;
 *   }
 * });
 */
export function becomesToolError(ctx: Context, err: unknown): boolean {
  return (
    ctx.method === "tools/call" && toolHandlerStarted(ctx) && !(err instanceof OutputSchemaError)
  );
}

/**
 * Turns a failure into what the client gets: an `isError` result for failures inside a
 * tool's handler, a JSON-RPC error otherwise; unexpected errors are masked.
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "../handlers/internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   pageSize: 100,
 *   logger,
 * };
 * try {
 *   return await prepareFinal(internals, ctx, new Session("s1", undefined, "memory"))();
 * } catch (err) {
 *   return failure(internals, ctx, err); // an isError result, or throws the JSON-RPC error
 * }
 */
export function failure(app: AppInternals, ctx: Context, err: unknown): unknown {
  const exposed = exposedMessage(err);
  const fields = { method: ctx.method, sessionId: ctx.session.id, component: ctx.component?.name };
  if (becomesToolError(ctx, err)) {
    if (exposed !== undefined) return errorResult(exposed);
    return errorResult(maskError(err, app.logger, fields).message);
  }
  if (isMcpForgeError(err)) throw err;
  if (err instanceof McpError) throw fromJsonRpcError(err);
  if (err instanceof ToolError) throw new McpForgeError("internal", err.message);
  const masked = maskError(err, app.logger, fields);
  throw new McpForgeError("internal", masked.message, {
    data: { correlationId: masked.correlationId },
  });
}
