import { randomUUID } from "node:crypto";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type Icon,
  type JSONRPCRequest,
  LATEST_PROTOCOL_VERSION,
  type Notification,
  type ReadResourceResult,
  type ServerCapabilities,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import { type ComponentInfo, Context, type ContextHost, type Vars } from "../context/context.js";
import type { AppInternals } from "../handlers/internals.js";
import { readResource, resolveResource } from "../handlers/resources.js";
import type { HttpHook, RouteHandler } from "../http/handler.js";
import { type HttpServerHandle, listenHttp } from "../http/listen.js";
import type { ListenOptions } from "../http/options.js";
import { createStderrLogger, type ServerLogger } from "../internal/logger.js";
import { compose, middlewareFor } from "../middleware/compose.js";
import type { Middleware, MiddlewareHooks, Next, NotificationInfo } from "../middleware/types.js";
import {
  definePromptDef,
  defineResourceDef,
  defineTemplateDef,
  defineToolDef,
  type PromptDef,
  type PromptHandler,
  type PromptOptions,
  type ResourceDef,
  type ResourceHandler,
  type ResourceOptions,
  type TemplateDef,
  type TemplateHandler,
  type ToolDef,
  type ToolHandler,
  type ToolOptions,
} from "../registry/components.js";
import { type ComponentHandle, type ListKind, Registry } from "../registry/registry.js";
import { isUriTemplate } from "../resources/uri-template.js";
import type { SchemaInput } from "../schema/schema.js";
import { type RunOptions, runApp } from "../transports/run.js";
import { failure, prepareFinal } from "./dispatch.js";
import { ProtocolSession, type RequestExtra } from "./protocol-session.js";
import { Session } from "./session.js";

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
type EmptyVars = Record<never, never>;

const CAPABILITIES: ServerCapabilities = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

/**
 * An MCP server: its components, middleware and connected sessions.
 *
 * @example
 * const app = createServer({ name: "demo", version: "1.0.0" });
 * app.tool("add", { description: "Add", input: { a: z.number(), b: z.number() } }, ({ a, b }) => a + b);
 * await app.run();
 */
export class McpForgeApp<V extends Vars = EmptyVars> implements ContextHost {
  readonly name: string;
  readonly version: string;
  readonly options: Readonly<ServerOptions>;
  readonly logger: ServerLogger;
  /** Connected sessions by id. */
  readonly sessions = new Map<string, Session>();
  readonly #internals: AppInternals;
  readonly #middleware: Middleware[] = [];
  readonly #chains = new Map<string, Chain>();
  readonly #pending = new Set<ListKind>();
  readonly #onStart: (() => unknown)[] = [];
  readonly #onClose: (() => unknown)[] = [];
  #started = false;
  readonly #routes = new Map<string, RouteHandler>();
  readonly #httpHooks: HttpHook[] = [];
  readonly #listWatchers = new Set<(kind: ListKind) => void>();
  /** False while starting or shutting down (readiness). */
  ready = false;
  /** Set by auth middleware: the HTTP endpoint is protected (allows binding non-loopback addresses). */
  authenticated = false;

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
      pageSize,
      logger: this.logger,
    };
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
    if (typeof middleware === "object") {
      if (middleware.onHttpRequest) this.useHttp(middleware.onHttpRequest);
      middleware.setup?.(this as unknown as McpForgeApp<never>);
    }
    return this as unknown as McpForgeApp<V & V2>;
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
      return this.#internals.templates.handle(uri);
    }
    if (options.params !== undefined || options.complete !== undefined) {
      throw new Error(
        `@mcpforge/core: resource "${uri}" has no URI variables; params/complete need a template`,
      );
    }
    this.#internals.resources.add(defineResourceDef(uri, options, handler as never));
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
    return this.#internals.prompts.handle(name);
  }

  /**
   * Adds an HTTP route next to the MCP endpoint (for `/healthz`, `/metrics`, `/.well-known/...`).
   * Host/Origin checks and CORS apply to routes too.
   *
   * @example
   * app.route("GET", "/healthz", (_req, res) => res.end("ok"));
   */
  route(method: string, path: string, handler: RouteHandler): this {
    if (!path.startsWith("/")) throw new Error('@mcpforge/core: route paths must start with "/"');
    if (typeof handler !== "function") throw new Error("@mcpforge/core: route() needs a handler");
    this.#routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /**
   * Adds a hook that sees every HTTP request to the MCP endpoint before MCP handling (after
   * the Host/Origin checks): it may answer it (return true or end the response, e.g. 401/429)
   * or set `req.auth`, which becomes `ctx.auth` and binds new sessions to that principal.
   *
   * @example
   * app.useHttp((req, res) => {
   *   if (req.headers["x-api-key"] !== key) { res.writeHead(401).end(); return true; }
   * });
   */
  useHttp(hook: HttpHook): this {
    if (typeof hook !== "function") throw new Error("@mcpforge/core: useHttp() takes a function");
    this.#httpHooks.push(hook);
    return this;
  }

  /** The HTTP hooks added with `useHttp()`, in order. */
  get httpHooks(): readonly HttpHook[] {
    return this.#httpHooks;
  }

  /** The route handler for a method and path, if one was added. */
  routeFor(method: string, path: string): RouteHandler | undefined {
    return this.#routes.get(`${method} ${path}`);
  }

  /**
   * Serves the app over Streamable HTTP (loopback by default).
   *
   * @example
   * const http = await app.listen({ port: 3000 });
   */
  listen(options: ListenOptions = {}): Promise<HttpServerHandle> {
    return this.#start().then(() => listenHttp(this as unknown as McpForgeApp, options));
  }

  /** The `initialize` result for a requested protocol version (used by stateless HTTP). */
  initializeResult(requestedVersion: unknown): Record<string, unknown> {
    const version =
      typeof requestedVersion === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(requestedVersion)
        ? requestedVersion
        : LATEST_PROTOCOL_VERSION;
    const result: Record<string, unknown> = {
      protocolVersion: version,
      capabilities: CAPABILITIES,
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
  components(
    type: ComponentInfo["type"],
  ): { key: string; enabled: boolean; info: ComponentInfo }[] {
    const registry =
      type === "tool"
        ? this.#internals.tools
        : type === "prompt"
          ? this.#internals.prompts
          : type === "resource"
            ? this.#internals.resources
            : this.#internals.templates;
    return [
      ...(registry.all() as Iterable<{ key: string; enabled: boolean; info: ComponentInfo }>),
    ].map((c) => ({ key: c.key, enabled: c.enabled, info: c.info }));
  }

  /** A handle on a registered tool, or undefined. */
  getTool(name: string): ComponentHandle | undefined {
    return this.#internals.tools.get(name) ? this.#internals.tools.handle(name) : undefined;
  }

  /** A handle on a registered resource or template (by URI or template string), or undefined. */
  getResource(uri: string): ComponentHandle | undefined {
    if (this.#internals.resources.get(uri)) return this.#internals.resources.handle(uri);
    if (this.#internals.templates.get(uri)) return this.#internals.templates.handle(uri);
    return undefined;
  }

  /** A handle on a registered prompt, or undefined. */
  getPrompt(name: string): ComponentHandle | undefined {
    return this.#internals.prompts.get(name) ? this.#internals.prompts.handle(name) : undefined;
  }

  /** Runs `fn` once before the first connection is served. */
  onStart(fn: () => unknown): this {
    this.#onStart.push(fn);
    return this;
  }

  /** Runs `fn` when the app closes. */
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
    for (const session of this.sessions.values()) {
      if (!session.isSubscribed(uri)) continue;
      session.protocol
        ?.notify({ method: "notifications/resources/updated", params: { uri } })
        .catch((err: unknown) => {
          this.logger.warn("could not send resources/updated", { uri, error: String(err) });
        });
    }
  }

  /**
   * Runs `fn` whenever a list changes (a component registered, enabled, disabled or removed),
   * e.g. to invalidate cached list answers. Returns a function that stops it.
   *
   * @example
   * app.onListChanged((kind) => cache.invalidateList(kind));
   */
  onListChanged(fn: (kind: ListKind) => void): () => void {
    this.#listWatchers.add(fn);
    return () => this.#listWatchers.delete(fn);
  }

  #listChanged(kind: ListKind): void {
    for (const fn of this.#listWatchers) {
      try {
        fn(kind);
      } catch (err) {
        this.logger.error("list_changed watcher failed", { kind, error: String(err) });
      }
    }
    if (this.sessions.size === 0) return;
    if (this.#pending.size === 0) queueMicrotask(() => this.#flushListChanged());
    this.#pending.add(kind);
  }

  #flushListChanged(): void {
    const kinds = [...this.#pending];
    this.#pending.clear();
    for (const session of this.sessions.values()) {
      for (const kind of kinds) {
        session.protocol?.notify({ method: `notifications/${kind}/list_changed` }).catch(() => {
          // a closing session cannot receive it; nothing to do
        });
      }
    }
  }

  async #start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    for (const fn of this.#onStart) await fn();
  }

  /**
   * Serves one client over a transport (stdio, in-memory, HTTP session, or any SDK transport).
   *
   * @example
   * const [client, server] = InMemoryTransport.createLinkedPair();
   * await app.connect(server);
   */
  async connect(transport: Transport, options: ConnectOptions = {}): Promise<Session> {
    await this.#start();
    const id = transport.sessionId ?? randomUUID();
    let session: Session | undefined;
    const protocol = new ProtocolSession(
      {
        dispatch: (request, extra) => this.dispatch(session as Session, request, extra),
        notification: (n) => void this.#notification(session as Session, n),
        initializeResult: (version) => this.initializeResult(version),
      },
      transport,
    );
    session = new Session(id, protocol, options.transportName ?? "custom");
    const s = session;
    this.sessions.set(id, s);
    protocol.onclose = () => {
      this.sessions.delete(id);
      s.dispose();
    };
    await protocol.start();
    return s;
  }

  #chain(method: string): Chain {
    let chain = this.#chains.get(method);
    if (!chain) {
      chain = compose(middlewareFor(this.#middleware, method));
      this.#chains.set(method, chain);
    }
    return chain;
  }

  /**
   * Runs one request through the middleware and core's handler for its method.
   *
   * @example
   * server.fallbackRequestHandler = (req, extra) => app.dispatch(session, req, extra);
   */
  async dispatch(session: Session, request: JSONRPCRequest, extra: RequestExtra): Promise<unknown> {
    const ctx = new Context(this, session, request.method, request.params, extra);
    try {
      const final = prepareFinal(this.#internals, ctx, session);
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
    const hooks = this.#middleware.filter(
      (m): m is MiddlewareHooks => typeof m === "object" && typeof m.onNotification === "function",
    );
    const run = (i: number): Promise<void> => {
      const hook = hooks[i]?.onNotification;
      if (!hook) return Promise.resolve();
      let called = false;
      return hook(info, () => {
        if (called) return Promise.reject(new Error("next() called multiple times"));
        called = true;
        return run(i + 1);
      });
    };
    try {
      await run(0);
    } catch (err) {
      this.logger.error("notification middleware failed", { method: n.method, error: String(err) });
    }
  }

  /**
   * Reads one of this server's resources (used by `ctx.readResource`).
   *
   * @example
   * const { contents } = await app.readResource("config://app", ctx);
   */
  readResource(uri: string, ctx: Context): Promise<ReadResourceResult> {
    const target = resolveResource(this.#internals, uri);
    const inner = new Context(this, ctx.session as Session, "resources/read", { uri }, {
      signal: ctx.signal,
      requestId: ctx.requestId,
      sendNotification: async () => {},
      sendRequest: async () => {
        throw new Error("not available while reading a resource internally");
      },
    } as unknown as RequestExtra);
    if (target) inner.component = target.def.info;
    return readResource(inner, target);
  }

  /**
   * Serves the app over stdio or another registered transport, picked from `options`,
   * `--transport` or `MCP_TRANSPORT`.
   *
   * @example
   * await app.run(); // stdio
   */
  run(options: RunOptions = {}): Promise<void> {
    return runApp(this as unknown as McpForgeApp<never>, options);
  }

  /**
   * Closes every session and runs `onClose` hooks.
   *
   * @example
   * await app.close();
   */
  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    await Promise.allSettled(sessions.map((s) => s.protocol?.close()));
    this.sessions.clear();
    for (const fn of this.#onClose) await fn();
  }
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
