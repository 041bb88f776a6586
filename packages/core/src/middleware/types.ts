import type { Context, Vars } from "../context/context.js";
import type { HttpHook } from "../http/handler.js";
import type { McpForgeApp } from "../server/app.js";

/** Calls the rest of the chain; may be called at most once. */
export type Next = () => Promise<unknown>;

/** An onion middleware: runs code around `next()` and returns (or replaces) the result. */
export type MiddlewareFn<V extends Vars = Vars> = (ctx: Context<V>, next: Next) => Promise<unknown>;

/** A client notification passed to `onNotification` hooks. */
export interface NotificationInfo {
  method: string;
  params: Record<string, unknown>;
  sessionId: string;
}

/**
 * Middleware with per-operation hooks. `onRequest` sees every request; the other hooks
 * see only their operation. Declare `vars` as a type parameter so handlers see `ctx.var` typed.
 */
export interface MiddlewareHooks<V extends Vars = Vars> {
  /** Shown in diagnostics. */
  name?: string;
  onRequest?: MiddlewareFn<V>;
  onCallTool?: MiddlewareFn<V>;
  onListTools?: MiddlewareFn<V>;
  onReadResource?: MiddlewareFn<V>;
  onListResources?: MiddlewareFn<V>;
  onListResourceTemplates?: MiddlewareFn<V>;
  onGetPrompt?: MiddlewareFn<V>;
  onListPrompts?: MiddlewareFn<V>;
  onComplete?: MiddlewareFn<V>;
  onNotification?: (info: NotificationInfo, next: () => Promise<void>) => Promise<void>;
  /** HTTP only: sees every request to the MCP endpoint first (see `app.useHttp()`). */
  onHttpRequest?: HttpHook;
  /** Called once by `app.use()`: add routes (`app.route`), mark the app authenticated, … */
  setup?: (app: McpForgeApp<never>) => void;
  /** Phantom: the `ctx.var` fields this middleware adds. */
  readonly __vars?: V;
}

/** A middleware: a plain onion function or an object of hooks. */
export type Middleware<V extends Vars = Vars> = MiddlewareFn<V> | MiddlewareHooks<V>;

/** The hook name that handles a given MCP method. */
export const HOOK_FOR_METHOD: Readonly<Record<string, keyof MiddlewareHooks>> = {
  "tools/call": "onCallTool",
  "tools/list": "onListTools",
  "resources/read": "onReadResource",
  "resources/list": "onListResources",
  "resources/templates/list": "onListResourceTemplates",
  "prompts/get": "onGetPrompt",
  "prompts/list": "onListPrompts",
  "completion/complete": "onComplete",
};
