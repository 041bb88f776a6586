import { randomUUID } from "node:crypto";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
  Icon,
  JSONRPCRequest,
  Notification,
  ReadResourceResult,
  ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import { type ComponentInfo, Context, type ContextHost, type Vars } from "../context/context.js";
import type { AppInternals } from "../handlers/internals.js";
import { readResource, resolveResource } from "../handlers/resources.js";
import type { HttpServerHandle } from "../http/listen.js";
import { type ListenOptions, resolveListenOptions } from "../http/options.js";
import type { HttpHook, HttpHost, RouteEntry, RouteHandler, RouteOptions } from "../http/types.js";
import { createStderrLogger, type ServerLogger } from "../internal/logger.js";
import { compose, middlewareFor } from "../middleware/compose.js";
import type {
  ComponentEntry,
  Middleware,
  Next,
  NotificationInfo,
  SetupApi,
} from "../middleware/types.js";
import { ProtocolSession } from "../protocol/protocol-session.js";
import { Session, type SessionInfo } from "../protocol/session.js";
import type { RequestExtra } from "../protocol/types.js";
import {
  definePromptDef,
  defineResourceDef,
  defineTemplateDef,
  defineToolDef,
  type PromptDef,
  type ResourceDef,
  type TemplateDef,
  type ToolDef,
} from "../registry/define.js";
import { defineForwardedDef, type ForwardedSpec } from "../registry/forwarded.js";
import {
  defineMethodDef,
  type MethodDef,
  type MethodHandler,
  type MethodOptions,
} from "../registry/methods.js";
import { Registry } from "../registry/registry.js";
import type {
  ComponentHandle,
  ForwardedCall,
  Forwarder,
  ListKind,
  PromptHandler,
  PromptOptions,
  ResourceHandler,
  ResourceOptions,
  TemplateHandler,
  ToolHandler,
  ToolOptions,
} from "../registry/types.js";
import { isUriTemplate } from "../resources/uri-template.js";
import type { SchemaInput } from "../schema/schema.js";
import { type RunOptions, resolveRun, runStdio } from "../transports/run.js";
import { failure, prepareFinal } from "./dispatch.js";
import { ExtensionEntries, type Registration } from "./extensions.js";
import { channelOf, createForwardedCall, forwardedExtra } from "./forward.js";
import { type SessionFns, SessionHost } from "./session-host.js";

/** Options of {@link createServer}. */
export interface ServerOptions {
  name: string;
  version: string;
  title?: string;
  /** Instructions sent to the client in `initialize`. */
  instructions?: string;
  icons?: Icon[];
  websiteUrl?: string;
  /** Items per page in list answers (default 100). */
  pageSize?: number;
  /** Where core writes its own diagnostics (default: JSON lines on stderr). */
  logger?: ServerLogger;
}

/** Options of {@link McpForgeApp.connect}. */
export interface ConnectOptions {
  /** A name for the transport shown to handlers as `ctx.transport`. */
  transportName?: string;
}

type Chain = (ctx: Context, last: Next) => Promise<unknown>;
type NotificationChain = (info: NotificationInfo, last: () => Promise<void>) => Promise<void>;
type EmptyVars = Record<never, never>;

const CAPABILITIES: ServerCapabilities = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

/**
 * An MCP server: its components, middleware and connected sessions. The composition root of
 * core: it implements the small host interfaces the layers below it see (`SetupApi` for
 * middleware, `HttpHost` for the HTTP transport, `ProtocolHost` per session, `ContextHost`).
 *
 * @example
 * const app = createServer({ name: "demo", version: "1.0.0" });
 * app.tool("add", { description: "Add", input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
 * await app.run();
 */
export class McpForgeApp<V extends Vars = EmptyVars> implements SetupApi {
  readonly name: string;
  readonly version: string;
  readonly options: Readonly<ServerOptions>;
  readonly logger: ServerLogger;
  readonly #sessions = new Map<string, Session>();
  readonly #internals: AppInternals;
  readonly #middleware: Middleware[] = [];
  readonly #chains = new Map<string, Chain>();
  #notificationChain: NotificationChain | undefined;
  readonly #pending = new Set<ListKind>();
  readonly #onStart: (() => unknown)[] = [];
  readonly #onClose: (() => unknown)[] = [];
  #started: Promise<void> | undefined;
  readonly #routes = new Map<string, RouteEntry>();
  readonly #httpHooks: HttpHook[] = [];
  readonly #listWatchers = new Set<(kind: ListKind) => void>();
  readonly #updateWatchers = new Set<(uri: string) => void>();
  #sessionFns: SessionFns | undefined;
  readonly #sessionOpenWatchers = new Set<(session: SessionInfo) => void>();
  readonly #sessionCloseWatchers = new Set<(session: SessionInfo, durationMs: number) => void>();
  readonly #methods = new Map<string, MethodDef>();
  readonly #extensions = new ExtensionEntries();
  #ready = false;
  #authenticated = false;
  #watchingStart = false;
  readonly #contextHost: ContextHost = {
    readResource: (uri, ctx, session) => this.#readResource(uri, ctx, session),
  };

  constructor(options: ServerOptions) {
    if (!options || typeof options.name !== "string" || options.name.length === 0) {
      throw new Error("@mcpforge/core: createServer() needs a non-empty name");
    }
    if (typeof options.version !== "string" || options.version.length === 0) {
      throw new Error("@mcpforge/core: createServer() needs a non-empty version");
    }
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new Error("@mcpforge/core: pageSize must be a positive integer");
    }
    this.name = options.name;
    this.version = options.version;
    this.options = options;
    this.logger = options.logger ?? createStderrLogger(options.name);
    this.#internals = {
      tools: new Registry<ToolDef>("tool", () => this.#listChanged("tools")),
      resources: new Registry<ResourceDef>("resource", () => this.#listChanged("resources")),
      templates: new Registry<TemplateDef>("resource template", () =>
        this.#listChanged("resources"),
      ),
      prompts: new Registry<PromptDef>("prompt", () => this.#listChanged("prompts")),
      methods: this.#methods,
      pageSize,
      logger: this.logger,
    };
  }

  /** Connected sessions by id (stdio, in-memory and stateful HTTP). */
  get sessions(): ReadonlyMap<string, SessionInfo> {
    return this.#sessions;
  }

  /** True while serving: false while starting and as soon as shutdown begins (readiness). */
  get ready(): boolean {
    return this.#ready;
  }

  /** True when an auth layer declared that it protects the HTTP endpoint. */
  get authenticated(): boolean {
    return this.#authenticated;
  }

  /**
   * Declares that this server authenticates its HTTP requests (auth middleware calls it from
   * `setup`), which allows binding a non-loopback address without `allowedHosts`.
   *
   * @example
   * app.use({
   *   name: "bearer-token",
   *   setup: (api) => api.declareAuthentication(),
   *   onHttpRequest: (req, res) => {
   *     if (req.headers.authorization === `Bearer ${process.env.MCP_TOKEN}`) return undefined;
   *     res.writeHead(401).end();
   *     return true;
   *   },
   * });
   */
  declareAuthentication(): void {
    this.#authenticated = true;
  }

  /**
   * Adds middleware (an onion function or an object of hooks). Runs in the order added.
   *
   * @example
   * app.use(async (ctx, next) => { const t = Date.now(); try { return await next(); } finally { console.error(Date.now() - t); } });
   */
  use<V2 extends Vars = EmptyVars>(middleware: Middleware<V2>): McpForgeApp<V & V2> {
    if (
      typeof middleware !== "function" &&
      (typeof middleware !== "object" || middleware === null)
    ) {
      throw new Error("@mcpforge/core: use() takes a middleware function or an object of hooks");
    }
    this.#middleware.push(middleware as Middleware);
    this.#chains.clear();
    this.#notificationChain = undefined;
    if (typeof middleware === "object") {
      if (middleware.onHttpRequest) this.useHttp(middleware.onHttpRequest);
      middleware.setup?.(this);
    }
    return this as McpForgeApp<V & V2>;
  }

  /**
   * Registers a tool. Arguments are validated against `input` before the handler runs.
   *
   * @example
   * app.tool("greet", { description: "Greets", input: { name: z.string() } }, ({ name }) => `Hello, ${name}!`);
   */
  tool<
    I extends SchemaInput | undefined = undefined,
    O extends z.ZodObject | undefined = undefined,
  >(name: string, options: ToolOptions<I, O>, handler: ToolHandler<I, O, V>): ComponentHandle {
    this.#internals.tools.add(defineToolDef(name, options, handler as never));
    this.#warnIfNeverStarted();
    return this.#internals.tools.handle(name);
  }

  /**
   * Registers a resource: a static URI, or an RFC 6570 template such as `users://{id}`.
   *
   * @example
   * app.resource("config://app", { mimeType: "application/json" }, () => ({ debug: false }));
   * app.resource("users://{id}", { params: { id: z.string() } }, ({ id }) => `user ${id}`);
   */
  resource<U extends string, P extends z.ZodRawShape | undefined = undefined>(
    uri: U,
    options: ResourceOptions<P>,
    handler: U extends `${string}{${string}}${string}` ? TemplateHandler<P, V> : ResourceHandler<V>,
  ): ComponentHandle {
    if (isUriTemplate(uri) || uri.includes("{") || uri.includes("}")) {
      this.#internals.templates.add(defineTemplateDef(uri, options, handler as never));
      this.#warnIfNeverStarted();
      return this.#internals.templates.handle(uri);
    }
    if (options?.params !== undefined || options?.complete !== undefined) {
      throw new Error(
        `@mcpforge/core: resource "${uri}" has no URI variables; params/complete need a template`,
      );
    }
    this.#internals.resources.add(defineResourceDef(uri, options, handler as never));
    this.#warnIfNeverStarted();
    return this.#internals.resources.handle(uri);
  }

  /**
   * Registers a prompt with declared arguments.
   *
   * @example
   * app.prompt("review", { args: { code: z.string() } }, ({ code }) => `Review this:\n${code}`);
   */
  prompt<A extends z.ZodRawShape | undefined = undefined>(
    name: string,
    options: PromptOptions<A>,
    handler: PromptHandler<A, V>,
  ): ComponentHandle {
    this.#internals.prompts.add(definePromptDef(name, options, handler as never));
    this.#warnIfNeverStarted();
    return this.#internals.prompts.handle(name);
  }

  /**
   * Declares an MCP extension (SEP-2133): `capabilities.extensions[id] = settings` in the
   * initialize result. `id` is `{vendor-prefix}/{extension-name}` with a reversed domain;
   * settings are a JSON object. Sessions initialized earlier keep what they were told.
   *
   * @example
   * app.extension("com.example/audit", { version: 1 });
   */
  extension(id: string, settings: Record<string, unknown> = {}): Registration {
    return this.#extensions.add(id, settings);
  }

  /**
   * Registers a custom JSON-RPC request method (for an extension). It runs through the
   * middleware chain (`onRequest` and plain middleware functions) like MCP methods. Names in
   * MCP's own namespaces (`tools/`, `resources/`, `notifications/`, …) and names already
   * registered are refused.
   *
   * @example
   * app.method("com.example/status", { params: { verbose: z.boolean().optional() } }, () => ({ ok: true }));
   */
  method<P extends SchemaInput | undefined = undefined>(
    name: string,
    options: MethodOptions<P>,
    handler: MethodHandler<P, V>,
  ): Registration {
    const def = defineMethodDef(
      name,
      options as MethodOptions<SchemaInput | undefined>,
      handler as never,
    );
    if (this.#methods.has(name)) {
      throw new Error(`@mcpforge/core: method(): "${name}" is already registered`);
    }
    this.#methods.set(name, def);
    this.#chains.delete(name);
    return {
      name,
      remove: () => this.#methods.get(name) === def && this.#methods.delete(name),
    };
  }

  /**
   * Registers a forwarded component: its wire entry is served exactly as given and its
   * requests (`tools/call`, `resources/read`, `prompts/get`, `completion/complete`) are
   * answered by `forwarder` with the raw params, inside this app's middleware chain; core does
   * not validate or convert (the target does). For mounting apps and proxying remote servers.
   *
   * @example
   * app.forward(
   *   { type: "tool", entry: { name: "remote_add", description: "Adds remotely", inputSchema: { type: "object" } } },
   *   async (call) => ({ content: [{ type: "text", text: JSON.stringify(call.params.arguments) }] }),
   * );
   */
  forward(spec: ForwardedSpec, forwarder: Forwarder): ComponentHandle {
    const def = defineForwardedDef(spec, forwarder);
    const registry =
      spec.type === "tool"
        ? this.#internals.tools
        : spec.type === "prompt"
          ? this.#internals.prompts
          : spec.type === "resource"
            ? this.#internals.resources
            : this.#internals.templates;
    (registry as Registry<typeof def>).add(def);
    return registry.handle(def.key);
  }

  /**
   * Answers a request on behalf of a forwarded call: it runs through this app's middleware
   * and handlers in the caller's session, and its notifications and server-to-client requests
   * reach the caller's client. `mount()` uses it to serve a child app through its parent.
   *
   * @example
   * const child = createServer({ name: "child", version: "1.0.0" });
   * child.tool("inner", { description: "Answers from the child" }, () => "from the child");
   * app.forward({ type: "tool", entry: { name: "outer", inputSchema: { type: "object" } } }, (call) =>
   *   child.dispatchFor(call, { method: "tools/call", params: { ...call.params, name: "inner" } }),
   * );
   */
  dispatchFor(
    call: ForwardedCall,
    request: { method: string; params?: Record<string, unknown> },
  ): Promise<unknown> {
    const { session, extra } = channelOf(call);
    const message = {
      jsonrpc: "2.0",
      id: extra.requestId,
      method: request.method,
      params: request.params,
    } as JSONRPCRequest;
    return this.#dispatch(session, message, forwardedExtra(extra, call.ctx));
  }

  /**
   * Adds an HTTP route next to the MCP endpoint (for `/healthz`, `/metrics`, `/.well-known/...`).
   * Host/Origin checks and CORS apply, unless `{ public: true }` (probes from orchestrators).
   *
   * @example
   * app.route("GET", "/healthz", (_req, res) => res.end("ok"), { public: true });
   */
  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    if (!path.startsWith("/")) throw new Error('@mcpforge/core: route paths must start with "/"');
    if (typeof handler !== "function") throw new Error("@mcpforge/core: route() needs a handler");
    this.#routes.set(`${method.toUpperCase()} ${path}`, {
      handler,
      public: options.public === true,
    });
    return this;
  }

  /**
   * Removes a route added with {@link McpForgeApp.route}; returns whether there was one.
   *
   * @example
   * app.removeRoute("GET", "/healthz");
   */
  removeRoute(method: string, path: string): boolean {
    return this.#routes.delete(`${method.toUpperCase()} ${path}`);
  }

  /**
   * Adds a hook that sees every HTTP request to the MCP endpoint before MCP handling (after
   * the Host/Origin checks): it may answer it (return true or end the response, e.g. 401/429)
   * or set `req.auth`, which becomes `ctx.auth` and binds new sessions to that principal.
   *
   * @example
   * app.useHttp((req, res) => {
   *   if (req.headers["x-api-key"] !== "k") { res.writeHead(401).end(); return true; }
   * });
   */
  useHttp(hook: HttpHook): this {
    if (typeof hook !== "function") throw new Error("@mcpforge/core: useHttp() takes a function");
    this.#httpHooks.push(hook);
    return this;
  }

  /**
   * Serves the app over Streamable HTTP (loopback by default). The app is ready once the
   * port is bound; `close()` on the handle drains calls, then closes the app.
   *
   * @example
   * const http = await app.listen({ port: 3000 });
   */
  async listen(options: ListenOptions = {}): Promise<HttpServerHandle> {
    const resolved = resolveListenOptions(options);
    // the HTTP stack (node:http and the handler) loads here, so a stdio server never pays for it
    const { listenHttp } = await import("../http/listen.js");
    await this.#start();
    const inner = await listenHttp(this.#httpHost(), resolved);
    this.#ready = true;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        this.#ready = false;
        await inner.close();
        await this.close();
      })();
      return closing;
    };
    if (resolved.handleSignals) onShutdownSignals(close);
    return { ...inner, close };
  }

  #httpHost(): HttpHost {
    const app = this;
    return {
      logger: this.logger,
      get authenticated() {
        return app.#authenticated;
      },
      httpHooks: this.#httpHooks,
      // no key to build for the MCP endpoint's every request when the app has no routes
      routeFor: (method, path) =>
        this.#routes.size === 0 ? undefined : this.#routes.get(`${method} ${path}`),
      connect: (transport, options) => this.#connect(transport, options),
      dispatch: (session, request, extra) => this.#dispatch(session, request, extra),
      initializeResult: (version) => this.#initializeResult(version),
      watchBroadcasts: (fn) => {
        const stopLists = this.onListChanged((kind) =>
          fn({ method: `notifications/${kind}/list_changed` }),
        );
        const stopUpdates = this.onResourceUpdated((uri) =>
          fn({ method: "notifications/resources/updated", params: { uri } }),
        );
        return () => {
          stopLists();
          stopUpdates();
        };
      },
    };
  }

  #initializeResult(version: string): Record<string, unknown> {
    const result: Record<string, unknown> = {
      protocolVersion: version,
      capabilities: this.#extensions.capabilities(CAPABILITIES),
      serverInfo: this.#serverInfo(),
    };
    if (this.options.instructions !== undefined) result.instructions = this.options.instructions;
    return result;
  }

  #serverInfo() {
    const info: {
      name: string;
      version: string;
      title?: string;
      icons?: Icon[];
      websiteUrl?: string;
    } = {
      name: this.name,
      version: this.version,
    };
    if (this.options.title !== undefined) info.title = this.options.title;
    if (this.options.icons !== undefined) info.icons = this.options.icons;
    if (this.options.websiteUrl !== undefined) info.websiteUrl = this.options.websiteUrl;
    return info;
  }

  /**
   * Every registered component of one type (enabled or not) with its name, tags and
   * annotations — for middleware that decides by tag (auth, caching).
   *
   * @example
   * for (const c of app.components("tool")) console.error(c.key, [...c.info.tags]);
   */
  components(type: ComponentInfo["type"]): ComponentEntry[] {
    const registry =
      type === "tool"
        ? this.#internals.tools
        : type === "prompt"
          ? this.#internals.prompts
          : type === "resource"
            ? this.#internals.resources
            : this.#internals.templates;
    const out: ComponentEntry[] = [];
    for (const c of registry.all()) {
      out.push({
        key: c.key,
        enabled: c.enabled,
        info: c.info,
        entry: c.entry,
        forwarded: !!c.forward,
      });
    }
    return out;
  }

  /**
   * A handle on a registered tool, or undefined.
   *
   * @example
   * app.getTool("greet")?.disable();
   */
  getTool(name: string): ComponentHandle | undefined {
    return this.#internals.tools.get(name) ? this.#internals.tools.handle(name) : undefined;
  }

  /**
   * A handle on a registered resource or template (by URI or template string), or undefined.
   *
   * @example
   * app.getResource("users://{id}")?.remove();
   */
  getResource(uri: string): ComponentHandle | undefined {
    if (this.#internals.resources.get(uri)) return this.#internals.resources.handle(uri);
    if (this.#internals.templates.get(uri)) return this.#internals.templates.handle(uri);
    return undefined;
  }

  /**
   * A handle on a registered prompt, or undefined.
   *
   * @example
   * app.getPrompt("review")?.enable();
   */
  getPrompt(name: string): ComponentHandle | undefined {
    return this.#internals.prompts.get(name) ? this.#internals.prompts.handle(name) : undefined;
  }

  /**
   * Runs `fn` once before the first connection is served.
   *
   * @example
   * import { readFile } from "node:fs/promises";
   * let motd = "";
   * app.onStart(async () => {
   *   motd = await readFile("motd.txt", "utf8");
   * });
   * app.tool("motd", { description: "The message of the day" }, () => motd);
   */
  onStart(fn: () => unknown): this {
    this.#onStart.push(fn);
    return this;
  }

  /**
   * Runs `fn` when the app closes.
   *
   * @example
   * const refresh = setInterval(() => console.error("refreshing"), 60_000);
   * app.onClose(() => clearInterval(refresh));
   */
  onClose(fn: () => unknown): this {
    this.#onClose.push(fn);
    return this;
  }

  /**
   * Tells subscribed clients that a resource changed (`notifications/resources/updated`).
   *
   * @example
   * app.notifyResourceUpdated("test://watched-resource");
   */
  notifyResourceUpdated(uri: string): void {
    if (this.#updateWatchers.size > 0)
      this.#notifyWatchers(this.#updateWatchers, "resources/updated", uri);
    for (const session of this.#sessions.values()) {
      if (!session.isSubscribed(uri)) continue;
      session.protocol
        ?.notify({ method: "notifications/resources/updated", params: { uri } })
        .catch((err: unknown) => {
          this.logger.warn("could not send resources/updated", { uri, error: String(err) });
        });
    }
  }

  /**
   * Runs `fn` whenever {@link McpForgeApp.notifyResourceUpdated} is called, whether or not a
   * session of this app subscribed (`mount()` relays a child's updates to its parent's
   * clients with it). Returns a function that stops it.
   *
   * @example
   * const stop = app.onResourceUpdated((uri) => console.error(`${uri} changed`));
   */
  onResourceUpdated(fn: (uri: string) => void): () => void {
    this.#updateWatchers.add(fn);
    return () => this.#updateWatchers.delete(fn);
  }

  /**
   * Runs `fn` whenever a list changes (a component registered, enabled, disabled or removed),
   * e.g. to invalidate cached list answers. Returns a function that stops it.
   *
   * @example
   * const stop = app.onListChanged((kind) => console.error(`${kind} changed`));
   */
  onListChanged(fn: (kind: ListKind) => void): () => void {
    this.#listWatchers.add(fn);
    return () => this.#listWatchers.delete(fn);
  }

  /**
   * Runs `fn` when a session opens (stdio, in-memory, stateful HTTP). Returns a function that
   * stops it.
   *
   * @example
   * app.onSessionOpen((session) => console.error(`session ${session.id} over ${session.transport}`));
   */
  onSessionOpen(fn: (session: SessionInfo) => void): () => void {
    this.#sessionOpenWatchers.add(fn);
    return () => this.#sessionOpenWatchers.delete(fn);
  }

  /**
   * Runs `fn` when a session closes, with how long it lasted. Returns a function that stops it.
   *
   * @example
   * app.onSessionClose((session, ms) => console.error(`session ${session.id} lasted ${ms} ms`));
   */
  onSessionClose(fn: (session: SessionInfo, durationMs: number) => void): () => void {
    this.#sessionCloseWatchers.add(fn);
    return () => this.#sessionCloseWatchers.delete(fn);
  }

  #notifyWatchers<A extends unknown[]>(
    watchers: Set<(...args: A) => void>,
    what: string,
    ...args: A
  ) {
    for (const fn of watchers) {
      try {
        fn(...args);
      } catch (err) {
        this.logger.error(`${what} watcher failed`, { error: String(err) });
      }
    }
  }

  #listChanged(kind: ListKind): void {
    this.#notifyWatchers(this.#listWatchers, "list_changed", kind);
    if (this.#sessions.size === 0) return;
    if (this.#pending.size === 0) queueMicrotask(() => this.#flushListChanged());
    this.#pending.add(kind);
  }

  #flushListChanged(): void {
    const kinds = [...this.#pending];
    this.#pending.clear();
    for (const session of this.#sessions.values()) {
      for (const kind of kinds) {
        session.protocol?.notify({ method: `notifications/${kind}/list_changed` }).catch(() => {
          // a closing session cannot receive it; nothing to do
        });
      }
    }
  }

  /**
   * Runs the `onStart` hooks once (serving does it by itself); later calls return the same
   * promise. For apps served through another one (`mount`) and for tests.
   *
   * @example
   * const child = createServer({ name: "child", version: "1.0.0" });
   * child.onStart(() => console.error("child started"));
   * await child.start();
   */
  start(): Promise<void> {
    return this.#start();
  }

  /** True once {@link McpForgeApp.start} was called (by serving, or directly). */
  get started(): boolean {
    return this.#started !== undefined;
  }

  /**
   * A process that registers components and exits without serving them (no `run()`,
   * `listen()` or `connect()`) leaves a client with only "Connection closed": say so on stderr.
   * Not under vitest, where apps are built and thrown away all the time.
   */
  #warnIfNeverStarted(): void {
    if (this.#watchingStart || process.env.VITEST) return;
    this.#watchingStart = true;
    process.once("beforeExit", () => {
      if (this.#started) return;
      const counts = (["tools", "resources", "templates", "prompts"] as const)
        .map((k) => [k, this.#internals[k].size] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${n === 1 ? k.replace(/s$/, "") : k}`);
      process.stderr.write(
        `@mcpforge/core: server "${this.name}" registered ${counts.join(", ")} but was never started, so it served nothing: call await app.run() (stdio; --transport http for HTTP), app.listen() or app.connect(transport)\n`,
      );
    });
  }

  #start(): Promise<void> {
    this.#started ??= (async () => {
      for (const fn of this.#onStart) await fn();
    })();
    return this.#started;
  }

  /**
   * Serves one client over a transport (stdio, in-memory, or any SDK transport).
   *
   * @example
   * import { Client } from "@mcpforge/core/client";
   * import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
   * const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
   * await app.connect(serverSide, { transportName: "memory" });
   * const client = new Client({ name: "probe", version: "1.0.0" });
   * await client.connect(clientSide);
   */
  async connect(transport: Transport, options: ConnectOptions = {}): Promise<SessionInfo> {
    const session = await this.#connect(transport, {
      transportName: options.transportName ?? "custom",
    });
    this.#ready = true;
    return session;
  }

  async #connect(transport: Transport, options: { transportName: string }): Promise<Session> {
    await this.#start();
    const id = transport.sessionId ?? randomUUID();
    // one small object per session; the functions it calls are the app's, made once
    this.#sessionFns ??= {
      dispatch: (session, request, extra) => this.#dispatch(session, request, extra),
      notification: (session, n) => void this.#notification(session, n),
      initializeResult: (version) => this.#initializeResult(version),
      closed: (session) => {
        this.#sessions.delete(session.id);
        session.dispose();
        const ms = Date.now() - session.openedAt;
        this.#notifyWatchers(this.#sessionCloseWatchers, "session close", session, ms);
      },
    };
    const host = new SessionHost(this.#sessionFns);
    const protocol: ProtocolSession = new ProtocolSession(host, transport);
    const session: Session = new Session(id, protocol, options.transportName);
    host.session = session;
    this.#sessions.set(id, session);
    await protocol.start();
    this.#notifyWatchers(this.#sessionOpenWatchers, "session open", session);
    return session;
  }

  #chain(method: string): Chain {
    let chain = this.#chains.get(method);
    if (!chain) {
      chain = compose(middlewareFor(this.#middleware, method));
      this.#chains.set(method, chain);
    }
    return chain;
  }

  /** Runs one request through the middleware and core's handler for its method. */
  async #dispatch(
    session: Session,
    request: JSONRPCRequest,
    extra: RequestExtra,
  ): Promise<unknown> {
    const ctx = new Context(this.#contextHost, session, request.method, request.params, extra);
    try {
      const final = prepareFinal(this.#internals, ctx, session, extra);
      return await this.#chain(request.method)(ctx, final);
    } catch (err) {
      return failure(this.#internals, ctx, err);
    }
  }

  async #notification(session: Session, n: Notification): Promise<void> {
    const info: NotificationInfo = {
      method: n.method,
      params: (n.params ?? {}) as Record<string, unknown>,
      sessionId: session.id,
    };
    this.#notificationChain ??= compose<NotificationInfo, void>(
      this.#middleware.flatMap((m) =>
        typeof m === "object" && typeof m.onNotification === "function" ? [m.onNotification] : [],
      ),
    );
    try {
      await this.#notificationChain(info, async () => {});
    } catch (err) {
      this.logger.error("notification middleware failed", { method: n.method, error: String(err) });
    }
  }

  /** Reads one of this server's resources for `ctx.readResource` (through no middleware). */
  #readResource<V2 extends Vars>(
    uri: string,
    ctx: Context<V2>,
    session: Session,
  ): Promise<ReadResourceResult> {
    const target = resolveResource(this.#internals, uri);
    const extra: RequestExtra = {
      signal: ctx.signal,
      requestId: ctx.requestId,
      sessionId: session.id,
      _meta: undefined,
      authInfo: ctx.auth,
      requestInfo: undefined,
      closeSSEStream: undefined,
      sendNotification: async () => {},
      sendRequest: () =>
        Promise.reject(new Error("not available while reading a resource internally")),
    };
    const inner = new Context(this.#contextHost, session, "resources/read", { uri }, extra);
    if (target) inner.component = target.def.info;
    const forward = target?.def.forward;
    if (forward) {
      return forward(createForwardedCall(inner, session, extra)) as Promise<ReadResourceResult>;
    }
    return readResource(inner, target);
  }

  /**
   * Serves the app over the transport picked from `options`, `--transport` or
   * `MCP_TRANSPORT`: `stdio` (default) or `http` / `streamable-http` (`PORT`, `HOST` and
   * `ALLOWED_HOSTS` from the environment).
   *
   * @example
   * await app.run(); // stdio
   */
  async run(options: RunOptions = {}): Promise<void> {
    const target = resolveRun(options);
    if (target.transport === "stdio") return runStdio(this);
    const handle = await this.listen(target.http);
    process.stderr.write(`MCP server listening on ${handle.url}\n`);
  }

  /**
   * Closes every session and runs `onClose` hooks.
   *
   * @example
   * await app.close();
   */
  async close(): Promise<void> {
    this.#ready = false;
    const sessions = [...this.#sessions.values()];
    await Promise.allSettled(sessions.map((s) => s.protocol?.close()));
    this.#sessions.clear();
    for (const fn of this.#onClose) await fn();
  }
}

/** Installs SIGTERM/SIGINT handlers: the first shuts down gracefully, a second exits at once. */
function onShutdownSignals(close: () => Promise<void>): void {
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(1);
    void close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/**
 * Creates an MCP Forge server.
 *
 * @example
 * const app = createServer({ name: "weather", version: "1.0.0", instructions: "Ask about weather" });
 */
export function createServer(options: ServerOptions): McpForgeApp {
  return new McpForgeApp(options);
}
