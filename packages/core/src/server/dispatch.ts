import type { Context } from "../context/context.js";
import { isMcpForgeError, McpForgeError, ToolError } from "../errors/errors.js";
import { fromJsonRpcError } from "../errors/json-rpc.js";
import { maskError } from "../errors/mask.js";
import { isSdkMcpError } from "../errors/sdk-error.js";
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
import type { RequestExtra } from "../protocol/types.js";
import { runMethod } from "../registry/methods.js";
import type { Forwarder } from "../registry/types.js";
import { createForwardedCall } from "./forward.js";

/** The final handler of one method, run inside the middleware chain. */
type Final = (
  app: AppInternals,
  ctx: Context,
  session: Session,
  extra: RequestExtra,
) => () => Promise<unknown>;

/** The final handler of a request to a forwarded component: its forwarder answers, as is. */
function forwarded(forward: Forwarder, ctx: Context, session: Session, extra: RequestExtra) {
  return () => forward(createForwardedCall(ctx, session, extra));
}

/**
 * `resources/subscribe` / `resources/unsubscribe`: recorded on the session; for a forwarded
 * resource, also passed to its forwarder (a proxy subscribes at its backend). A subscription
 * the forwarder refuses is not kept.
 */
function subscription(
  app: AppInternals,
  ctx: Context,
  session: Session,
  extra: RequestExtra,
  on: boolean,
) {
  return async () => {
    const result = await subscribe(app, ctx, session, on);
    const forward = resolveResource(app, ctx.params.uri)?.def.forward;
    if (!forward) return result;
    try {
      await forward(createForwardedCall(ctx, session, extra));
    } catch (err) {
      if (on) session.subscriptions.delete(ctx.params.uri as string);
      throw err;
    }
    return result;
  };
}

/** The forwarder a `completion/complete` request goes to, when its ref is a forwarded component. */
function completionTarget(app: AppInternals, ctx: Context): Forwarder | undefined {
  const ref = ctx.params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
  if (typeof ref !== "object" || ref === null) return undefined;
  if (ref.type === "ref/prompt" && typeof ref.name === "string") {
    return app.prompts.getEnabled(ref.name)?.forward;
  }
  if (ref.type === "ref/resource" && typeof ref.uri === "string") {
    return (app.templates.getEnabled(ref.uri) ?? app.resources.getEnabled(ref.uri))?.forward;
  }
  return undefined;
}

const METHODS: Readonly<Record<string, Final>> = {
  "tools/list": (app, ctx) => () => listTools(app, ctx),
  "tools/call": (app, ctx, session, extra) => {
    const def = resolveTool(app, ctx);
    if (def) ctx.component = def.info;
    if (def?.forward) return forwarded(def.forward, ctx, session, extra);
    return async () => {
      const result = await callTool(ctx, def);
      if (def) checkOutput(app, def, result);
      return result;
    };
  },
  "resources/list": (app, ctx) => () => listResources(app, ctx),
  "resources/templates/list": (app, ctx) => () => listTemplates(app, ctx),
  "resources/read": (app, ctx, session, extra) => {
    const target = resolveResource(app, ctx.params.uri);
    if (target) ctx.component = target.def.info;
    if (target?.def.forward) return forwarded(target.def.forward, ctx, session, extra);
    return () => readResource(ctx, target);
  },
  "resources/subscribe": (app, ctx, session, extra) => subscription(app, ctx, session, extra, true),
  "resources/unsubscribe": (app, ctx, session, extra) =>
    subscription(app, ctx, session, extra, false),
  "prompts/list": (app, ctx) => () => listPrompts(app, ctx),
  "prompts/get": (app, ctx, session, extra) => {
    const def = resolvePrompt(app, ctx);
    if (def) ctx.component = def.info;
    if (def?.forward) return forwarded(def.forward, ctx, session, extra);
    return () => getPrompt(ctx, def);
  },
  "completion/complete": (app, ctx, session, extra) => {
    const forward = completionTarget(app, ctx);
    if (forward) return forwarded(forward, ctx, session, extra);
    return () => complete(app, ctx);
  },
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
 * Prepares the final handler of a request (resolving its component onto `ctx`): core's
 * handler for an MCP method, the forwarder of a forwarded component, or a custom method.
 *
 * @example
 * import { Session } from "../protocol/session.js";
 * import type { RequestExtra } from "../protocol/types.js";
 * import { Registry } from "../registry/registry.js";
 * import type { AppInternals } from "../handlers/internals.js";
 * const none = () => {};
 * const internals: AppInternals = {
 *   tools: new Registry("tool", none),
 *   resources: new Registry("resource", none),
 *   templates: new Registry("resource template", none),
 *   prompts: new Registry("prompt", none),
 *   methods: new Map(),
 *   pageSize: 100,
 *   logger,
 * };
 * const session = new Session("s1", undefined, "memory");
 * const extra: RequestExtra = {
 *   signal: new AbortController().signal,
 *   requestId: 1,
 *   sessionId: undefined,
 *   _meta: undefined,
 *   authInfo: undefined,
 *   requestInfo: undefined,
 *   closeSSEStream: undefined,
 *   sendNotification: async () => {},
 *   sendRequest: () => Promise.reject(new Error("no client here")),
 * };
 * // Throws method_not_found (-32601) for a method core does not serve.
 * const final = prepareFinal(internals, ctx, session, extra);
 * return await final(); // run inside the middleware chain in the app
 */
export function prepareFinal(
  app: AppInternals,
  ctx: Context,
  session: Session,
  extra: RequestExtra,
): () => Promise<unknown> {
  // own keys only: "toString" or "constructor" must not reach Object.prototype
  const make = Object.hasOwn(METHODS, ctx.method) ? METHODS[ctx.method] : undefined;
  if (make) return make(app, ctx, session, extra);
  const custom = app.methods?.get(ctx.method);
  if (custom) return () => runMethod(custom, ctx);
  throw new McpForgeError("method_not_found", `Method not found: ${ctx.method}`);
}

function exposedMessage(err: unknown): string | undefined {
  if (err instanceof ToolError || isMcpForgeError(err) || isSdkMcpError(err)) {
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
 * import type { RequestExtra } from "../protocol/types.js";
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
 * const extra: RequestExtra = {
 *   signal: new AbortController().signal,
 *   requestId: 1,
 *   sessionId: undefined,
 *   _meta: undefined,
 *   authInfo: undefined,
 *   requestInfo: undefined,
 *   closeSSEStream: undefined,
 *   sendNotification: async () => {},
 *   sendRequest: () => Promise.reject(new Error("no client here")),
 * };
 * try {
 *   return await prepareFinal(internals, ctx, session, extra)();
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
  if (isSdkMcpError(err)) throw fromJsonRpcError(err);
  if (err instanceof ToolError) throw new McpForgeError("internal", err.message);
  const masked = maskError(err, app.logger, fields);
  throw new McpForgeError("internal", masked.message, {
    data: { correlationId: masked.correlationId },
  });
}
