import type {
  ComponentHandle,
  McpForgeApp,
  Middleware,
  Registration,
  ServerLogger,
} from "@mcpforge/core";
import type { HttpHook } from "@mcpforge/core/authoring";
import type { PluginApi } from "../define/types.js";
import { type MountHandle, mount } from "../mount/mount.js";

/** What a plugin registered, as `list()` reports it. */
export interface RegisteredSummary {
  tools: string[];
  /** Resource URIs and URI templates. */
  resources: string[];
  prompts: string[];
  /** Custom JSON-RPC methods. */
  methods: string[];
  /** Extension identifiers declared in `capabilities.extensions`. */
  extensions: string[];
  /** HTTP routes as `METHOD /path`. */
  routes: string[];
  /** How many middleware (and HTTP hooks) the plugin added. */
  middleware: number;
  /** Namespaces of mounted apps. */
  mounts: string[];
}

/**
 * Everything one plugin registered through its API, to take away again.
 *
 * @example
 * const regs = new Registrations();
 * await regs.undo(app, app.logger);
 */
export class Registrations {
  readonly components: { kind: "tools" | "resources" | "prompts"; handle: ComponentHandle }[] = [];
  readonly methods: Registration[] = [];
  readonly extensions: Registration[] = [];
  readonly routes: { method: string; path: string }[] = [];
  readonly middleware: Middleware[] = [];
  readonly httpHooks: HttpHook[] = [];
  readonly watchers: (() => void)[] = [];
  readonly mounts: MountHandle[] = [];
  readonly onStart: (() => unknown)[] = [];
  readonly onClose: (() => unknown)[] = [];

  summary(): RegisteredSummary {
    const names = (kind: "tools" | "resources" | "prompts") =>
      this.components.filter((c) => c.kind === kind).map((c) => c.handle.name);
    return {
      tools: names("tools"),
      resources: names("resources"),
      prompts: names("prompts"),
      methods: this.methods.map((m) => m.name),
      extensions: this.extensions.map((e) => e.name),
      routes: this.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`),
      middleware: this.middleware.length + this.httpHooks.length,
      mounts: this.mounts.map((m) => m.namespace),
    };
  }

  /**
   * Takes everything away, newest first: watchers, mounts, components, methods, extensions
   * and routes. Middleware and HTTP hooks are dropped by the manager.
   */
  async undo(app: McpForgeApp, logger: ServerLogger): Promise<void> {
    for (const stop of this.watchers.splice(0).reverse()) stop();
    for (const m of this.mounts.splice(0).reverse()) {
      await m.unmount().catch((err: unknown) => {
        logger.error("could not unmount", { namespace: m.namespace, error: String(err) });
      });
    }
    for (const c of this.components.splice(0).reverse()) c.handle.remove();
    for (const m of this.methods.splice(0).reverse()) m.remove();
    for (const e of this.extensions.splice(0).reverse()) e.remove();
    for (const r of this.routes.splice(0).reverse()) app.removeRoute(r.method, r.path);
    this.middleware.length = 0;
    this.httpHooks.length = 0;
    this.onStart.length = 0;
  }
}

/** A logger adding `plugin: <name>` to every line. */
function scopedLogger(logger: ServerLogger, plugin: string): ServerLogger {
  const add = (fields?: Record<string, unknown>) => ({ plugin, ...fields });
  return {
    debug: (m, f) => logger.debug(m, add(f)),
    info: (m, f) => logger.info(m, add(f)),
    warn: (m, f) => logger.warn(m, add(f)),
    error: (m, f) => logger.error(m, add(f)),
  };
}

/** What the manager tells the API about routes other plugins hold. */
export interface RouteClaims {
  claim(key: string, plugin: string): void;
}

/**
 * The API one plugin's setup receives: the app's registration methods, each remembered in
 * `regs` so the plugin can be unloaded cleanly.
 *
 * @example
 * const regs = new Registrations();
 * const api = createPluginApi(app, { name: "db", version: "1.0.0" }, regs, { claim() {} }, () => {});
 * api.tool("query", { description: "Runs a query" }, () => "rows");
 * regs.summary().tools; // ["query"]
 */
export function createPluginApi(
  app: McpForgeApp,
  plugin: { name: string; version: string },
  regs: Registrations,
  routes: RouteClaims,
  middlewareChanged: () => void,
): PluginApi {
  const logger = scopedLogger(app.logger, plugin.name);
  const track = (kind: "tools" | "resources" | "prompts", handle: ComponentHandle) => {
    regs.components.push({ kind, handle });
    return handle;
  };
  const api: PluginApi = {
    plugin: Object.freeze({ ...plugin }),
    name: app.name,
    logger,
    get ready() {
      return app.ready;
    },
    tool: ((...args: Parameters<McpForgeApp["tool"]>) =>
      track("tools", app.tool(...args))) as PluginApi["tool"],
    resource: ((...args: Parameters<McpForgeApp["resource"]>) =>
      track("resources", app.resource(...args))) as PluginApi["resource"],
    prompt: ((...args: Parameters<McpForgeApp["prompt"]>) =>
      track("prompts", app.prompt(...args))) as PluginApi["prompt"],
    forward: (spec, forwarder) => {
      const handle = app.forward(spec, forwarder);
      const kind =
        spec.type === "tool" ? "tools" : spec.type === "prompt" ? "prompts" : "resources";
      return track(kind, handle);
    },
    method: ((...args: Parameters<McpForgeApp["method"]>) => {
      const reg = app.method(...args);
      regs.methods.push(reg);
      return reg;
    }) as PluginApi["method"],
    extension: (id, settings) => {
      const reg = app.extension(id, settings);
      regs.extensions.push(reg);
      return reg;
    },
    use(middleware) {
      if (
        typeof middleware !== "function" &&
        (typeof middleware !== "object" || middleware === null)
      ) {
        throw new Error(
          `@mcpforge/plugins: plugin "${plugin.name}": use() takes a middleware function or an object of hooks`,
        );
      }
      regs.middleware.push(middleware);
      if (typeof middleware === "object") {
        if (middleware.onHttpRequest) regs.httpHooks.push(middleware.onHttpRequest);
        middleware.setup?.(api);
      }
      middlewareChanged();
    },
    useHttp(hook) {
      if (typeof hook !== "function") {
        throw new Error(`@mcpforge/plugins: plugin "${plugin.name}": useHttp() takes a function`);
      }
      regs.httpHooks.push(hook);
      middlewareChanged();
    },
    route(method, path, handler, options) {
      routes.claim(`${method.toUpperCase()} ${path}`, plugin.name);
      app.route(method, path, handler, options);
      regs.routes.push({ method, path });
    },
    onStart(fn) {
      if (typeof fn !== "function")
        throw new Error(`@mcpforge/plugins: plugin "${plugin.name}": onStart() takes a function`);
      regs.onStart.push(fn);
    },
    onClose(fn) {
      if (typeof fn !== "function")
        throw new Error(`@mcpforge/plugins: plugin "${plugin.name}": onClose() takes a function`);
      regs.onClose.push(fn);
    },
    onSessionOpen(fn) {
      const stop = app.onSessionOpen(fn);
      regs.watchers.push(stop);
      return stop;
    },
    onSessionClose(fn) {
      const stop = app.onSessionClose(fn);
      regs.watchers.push(stop);
      return stop;
    },
    onListChanged(fn) {
      const stop = app.onListChanged(fn);
      regs.watchers.push(stop);
      return stop;
    },
    components: (type) => app.components(type),
    declareAuthentication: () => app.declareAuthentication(),
    mount(child, options) {
      const handle = mount(app, child, options);
      regs.mounts.push(handle);
      return handle;
    },
  };
  return api;
}
