import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { ComponentInfo, Context, Vars } from "../context/context.js";
import type { HttpHook, RouteHandler, RouteOptions } from "../http/types.js";
import type { ServerLogger } from "../internal/logger.js";
import type { SessionInfo } from "../protocol/session.js";
import type { ListKind } from "../registry/types.js";

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

/** One registered component as {@link SetupApi.components} lists it. */
export interface ComponentEntry {
  /** The registry key: tool or prompt name, resource URI, or URI template. */
  readonly key: string;
  readonly enabled: boolean;
  readonly info: ComponentInfo;
  /** The component as clients see it in lists (`Tool`, `Resource`, `ResourceTemplate`, `Prompt`). */
  readonly entry: Tool | Resource | ResourceTemplate | Prompt;
  /** True for a forwarded component (`app.forward()`: a mounted app's or a remote server's). */
  readonly forwarded: boolean;
}

/**
 * What middleware (and plugins) may touch of the app when they are installed: the logger,
 * HTTP routes and hooks, lifecycle hooks, list changes and the component inventory. The app
 * implements it; lower layers never see the app itself.
 *
 * @example
 * const healthz: MiddlewareHooks = {
 *   setup(api) {
 *     api.route("GET", "/healthz", (_req, res) => res.end("ok"), { public: true });
 *   },
 * };
 */
export interface SetupApi {
  /** The server's name (from `createServer`). */
  readonly name: string;
  /** Where diagnostics go (the app's logger). */
  readonly logger: ServerLogger;
  /**
   * True while the app serves: false until startup finished (every `onStart` hook, plugins
   * included, and the port bound) and false again as soon as shutdown begins draining. What a
   * readiness probe reports.
   */
  readonly ready: boolean;
  /** Adds an HTTP route next to the MCP endpoint. */
  route(method: string, path: string, handler: RouteHandler, options?: RouteOptions): unknown;
  /** Adds a hook that sees every HTTP request to the MCP endpoint first. */
  useHttp(hook: HttpHook): unknown;
  /** Runs `fn` once before the first connection is served. */
  onStart(fn: () => unknown): unknown;
  /** Runs `fn` when the app closes. */
  onClose(fn: () => unknown): unknown;
  /** Runs `fn` when a session opens (stdio, in-memory, stateful HTTP); returns a function that stops it. */
  onSessionOpen(fn: (session: SessionInfo) => void): () => void;
  /** Runs `fn` when a session closes, with how long it lasted; returns a function that stops it. */
  onSessionClose(fn: (session: SessionInfo, durationMs: number) => void): () => void;
  /** Runs `fn` whenever a list changes; returns a function that stops it. */
  onListChanged(fn: (kind: ListKind) => void): () => void;
  /** Every registered component of one type (enabled or not). */
  components(type: ComponentInfo["type"]): ComponentEntry[];
  /**
   * Declares that this server authenticates its HTTP requests (an auth layer is installed),
   * which allows binding a non-loopback address without `allowedHosts`.
   */
  declareAuthentication(): void;
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
  /** Called once by `app.use()`: add routes, declare authentication, watch lists, … */
  setup?: (api: SetupApi) => void;
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
