import type { McpForgeApp } from "@mcpforge/core";
import { isPlugin } from "../define/define-plugin.js";
import type { Plugin, PluginOptionsInput, Teardown } from "../define/types.js";
import { checkOptionsObject, optionsError } from "../internal/options.js";
import { formatIssues, type StandardSchemaV1 } from "../internal/standard-schema.js";
import { PluginMiddleware } from "./composite.js";
import { dependantsOf, dependencyOrder } from "./order.js";
import { createPluginApi, type RegisteredSummary, Registrations } from "./plugin-api.js";

/** Where a plugin is: added and waiting, set up, failed, or taken away again. */
export type PluginState = "pending" | "loaded" | "failed" | "unloaded";

/** One plugin as {@link PluginManager.list} reports it. */
export interface PluginInfo {
  name: string;
  version: string;
  description?: string;
  state: PluginState;
  required: boolean;
  dependsOn: string[];
  /** Why it failed (state `failed`). */
  error?: string;
  /** What it registered (empty unless loaded). */
  registered: RegisteredSummary;
}

/** Options of {@link PluginManager.use}. */
export interface UsePluginOptions {
  /** When false, a failure is logged and the plugin skipped; when true (default), it stops startup. */
  required?: boolean;
}

/**
 * A plugin that could not be set up; the message names it.
 *
 * @example
 * const plugins = createPluginManager(app);
 * await plugins.load().catch((err: unknown) => {
 *   if (err instanceof PluginError) console.error(`plugin ${err.plugin} failed: ${err.message}`);
 * });
 */
export class PluginError extends Error {
  override readonly name = "PluginError";
  /** The plugin that failed. */
  readonly plugin: string;

  constructor(plugin: string, message: string, options?: { cause?: unknown }) {
    super(`@mcpforge/plugins: plugin "${plugin}": ${message}`, options);
    this.plugin = plugin;
  }
}

interface Entry {
  readonly plugin: Plugin;
  options: unknown;
  readonly required: boolean;
  state: PluginState | "loading";
  error: PluginError | undefined;
  regs: Registrations;
  teardown: Teardown | undefined;
  started: boolean;
}

const managers = new WeakMap<McpForgeApp, PluginManager>();

/**
 * Loads plugins into an app: in dependency order, with options checked by each plugin's
 * schema, rolling back a plugin whose setup fails, and unloading or reloading plugins at
 * runtime (clients get list_changed). Teardown runs in reverse order when the app closes
 * (also on SIGTERM). Made by {@link createPluginManager}.
 *
 * @example
 * const greeter = definePlugin({ name: "greeter", version: "1.0.0", setup(api) {
 *   api.tool("greet", { description: "Greets" }, () => "Hello!");
 * } });
 * const plugins = createPluginManager(app).use(greeter);
 * await plugins.load();
 */
export class PluginManager {
  readonly app: McpForgeApp;
  readonly #entries = new Map<string, Entry>();
  readonly #loadOrder: string[] = [];
  readonly #middleware = new PluginMiddleware();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(app: McpForgeApp) {
    this.app = app;
    app.use(this.#middleware.middleware);
    app.onStart(() => this.#enqueue(() => this.#startAll()));
    app.onClose(() => this.close());
  }

  /**
   * Adds a plugin with its options (validated when it loads). Plugins load with
   * {@link PluginManager.load} or when the app starts.
   *
   * @example
   * const database = definePlugin({
   *   name: "database",
   *   version: "1.0.0",
   *   options: z.object({ url: z.string().url() }),
   *   setup() {},
   * });
   * const audit = definePlugin({ name: "audit", version: "1.0.0", setup() {} });
   * const plugins = createPluginManager(app);
   * plugins.use(database, { url: "postgres://localhost/app" }).use(audit, undefined, { required: false });
   */
  use<S extends StandardSchemaV1 | undefined>(
    plugin: Plugin<S>,
    options?: PluginOptionsInput<S>,
    settings: UsePluginOptions = {},
  ): this {
    const f = "use";
    if (!isPlugin(plugin)) throw optionsError(f, "takes a plugin made with definePlugin()");
    const s = checkOptionsObject(f, settings);
    if (s.required !== undefined && typeof s.required !== "boolean") {
      throw optionsError(f, "required must be a boolean");
    }
    if (this.#closed) throw optionsError(f, "the plugin manager is closed");
    if (this.#entries.has(plugin.name)) {
      throw optionsError(f, `a plugin named "${plugin.name}" is already registered`);
    }
    this.#entries.set(plugin.name, {
      plugin: plugin as Plugin,
      options,
      required: s.required ?? true,
      state: "pending",
      error: undefined,
      regs: new Registrations(),
      teardown: undefined,
      started: false,
    });
    return this;
  }

  /**
   * Sets up every pending plugin in dependency order. A missing dependency or a cycle is an
   * error naming the plugins; a required plugin that fails rejects (nothing it registered
   * stays); others are logged and skipped.
   *
   * @example
   * await createPluginManager(app).load();
   */
  load(): Promise<PluginInfo[]> {
    return this.#enqueue(async () => {
      await this.#loadPending();
      return this.list();
    });
  }

  /**
   * Unloads a plugin: everything it registered goes away (clients get list_changed), then its
   * teardown runs. Plugins that depend on it are refused, unless `cascade` unloads them first.
   *
   * @example
   * await createPluginManager(app).unload("database", { cascade: true });
   */
  unload(name: string, options: { cascade?: boolean } = {}): Promise<void> {
    return this.#enqueue(async () => {
      const entry = this.#loaded(name, "unload");
      const dependants = this.#loadedDependants(name);
      if (dependants.length > 0 && options.cascade !== true) {
        throw new PluginError(
          name,
          `cannot unload: ${dependants.map((d) => `"${d}"`).join(", ")} depend on it (unload them first, or pass { cascade: true })`,
        );
      }
      for (const d of [...dependants].reverse()) await this.#takeDown(this.#entry(d), "unloaded");
      await this.#takeDown(entry, "unloaded");
    });
  }

  /**
   * Sets a plugin up again (with new options when given): its dependants are unloaded first
   * and loaded again after it. Works for loaded, failed and unloaded plugins.
   *
   * @example
   * await createPluginManager(app).reload("database", { url: "postgres://replica/app" });
   */
  reload<S extends StandardSchemaV1 | undefined>(
    name: string,
    options?: PluginOptionsInput<S>,
  ): Promise<void> {
    return this.#enqueue(async () => {
      const entry = this.#entry(name);
      if (this.#closed) throw new PluginError(name, "cannot reload: the plugin manager is closed");
      const dependants = this.#loadedDependants(name);
      for (const d of [...dependants].reverse()) await this.#takeDown(this.#entry(d), "unloaded");
      if (entry.state === "loaded") await this.#takeDown(entry, "unloaded");
      if (options !== undefined) entry.options = options;
      entry.state = "pending";
      await this.#setUp(entry, true);
      const failed: string[] = [];
      for (const d of dependants) {
        const dep = this.#entry(d);
        dep.state = "pending";
        await this.#setUp(dep, false);
        if (dep.error) failed.push(d);
      }
      if (failed.length > 0) {
        throw new PluginError(
          name,
          `reloaded, but dependants failed to load again: ${failed.map((d) => `${d} (${this.#entry(d).error?.message})`).join("; ")}`,
        );
      }
    });
  }

  /**
   * Every plugin with its state and what it registered.
   *
   * @example
   * for (const p of createPluginManager(app).list()) console.error(p.name, p.state, p.registered.tools);
   */
  list(): PluginInfo[] {
    return [...this.#entries.values()].map((e) => this.#info(e));
  }

  /**
   * One plugin's info, or undefined.
   *
   * @example
   * createPluginManager(app).get("database")?.state; // "loaded"
   */
  get(name: string): PluginInfo | undefined {
    const entry = this.#entries.get(name);
    return entry ? this.#info(entry) : undefined;
  }

  /**
   * Tears every loaded plugin down, in reverse load order (the app's `close()` calls it).
   *
   * @example
   * await createPluginManager(app).close();
   */
  close(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#closed) return;
      this.#closed = true;
      for (const name of [...this.#loadOrder].reverse()) {
        await this.#takeDown(this.#entry(name), "unloaded");
      }
    });
  }

  #info(e: Entry): PluginInfo {
    const info: PluginInfo = {
      name: e.plugin.name,
      version: e.plugin.version,
      state: e.state === "loading" ? "pending" : e.state,
      required: e.required,
      dependsOn: [...e.plugin.dependsOn],
      registered: e.regs.summary(),
    };
    if (e.plugin.description !== undefined) info.description = e.plugin.description;
    if (e.error) info.error = e.error.message;
    return info;
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`@mcpforge/plugins: no plugin named "${name}"`);
    return entry;
  }

  #loaded(name: string, what: string): Entry {
    const entry = this.#entry(name);
    if (entry.state !== "loaded")
      throw new PluginError(name, `cannot ${what}: it is ${entry.state}`);
    return entry;
  }

  #nodes() {
    return [...this.#entries.values()].map((e) => ({
      name: e.plugin.name,
      dependsOn: e.plugin.dependsOn,
    }));
  }

  #loadedDependants(name: string): string[] {
    const dependants = new Set(dependantsOf(name, this.#nodes()));
    return this.#loadOrder.filter((n) => dependants.has(n));
  }

  async #startAll(): Promise<void> {
    for (const name of [...this.#loadOrder]) {
      const entry = this.#entry(name);
      if (entry.state === "loaded" && !entry.started) await this.#runOnStart(entry, entry.required);
    }
    await this.#loadPending();
  }

  async #loadPending(): Promise<void> {
    if (this.#closed) throw new Error("@mcpforge/plugins: the plugin manager is closed");
    const { order, problems } = dependencyOrder(this.#nodes());
    const pending = problems.filter((p) => this.#entry(p.name).state === "pending");
    for (const p of pending) this.#fail(this.#entry(p.name), p.message, undefined, false);
    const required = pending.filter((p) => this.#entry(p.name).required);
    if (required.length > 0) {
      throw new PluginError(
        required[0]?.name as string,
        required
          .map((p, i) => (i === 0 ? p.message : `plugin "${p.name}": ${p.message}`))
          .join("; "),
      );
    }
    for (const name of order) {
      const entry = this.#entry(name);
      if (entry.state === "pending") await this.#setUp(entry, entry.required);
    }
  }

  /** Marks a plugin failed; throws its error when `raise`, logs it otherwise. */
  #fail(entry: Entry, message: string, cause: unknown, raise: boolean): void {
    entry.state = "failed";
    entry.error = new PluginError(
      entry.plugin.name,
      message,
      cause === undefined ? undefined : { cause },
    );
    if (raise) throw entry.error;
    this.app.logger.warn(`${entry.error.message} (not required: skipped)`, {
      plugin: entry.plugin.name,
    });
  }

  async #setUp(entry: Entry, raise: boolean): Promise<void> {
    const { plugin } = entry;
    entry.error = undefined;
    for (const dep of plugin.dependsOn) {
      const state = this.#entries.get(dep)?.state;
      if (state !== "loaded") {
        return this.#fail(
          entry,
          `depends on "${dep}", which is ${state ?? "not registered"}`,
          undefined,
          raise,
        );
      }
    }
    let options: unknown = entry.options;
    if (plugin.options) {
      const checked = await plugin.options["~standard"].validate(entry.options);
      if (checked.issues) {
        return this.#fail(
          entry,
          `invalid options: ${formatIssues(checked.issues)}`,
          undefined,
          raise,
        );
      }
      options = checked.value;
    }
    entry.regs = new Registrations();
    entry.state = "loading";
    const api = createPluginApi(this.app, plugin, entry.regs, this.#routeClaims(), () =>
      this.#refreshMiddleware(),
    );
    try {
      const teardown = await plugin.setup(api, options as never);
      if (teardown !== undefined && typeof teardown !== "function") {
        throw new TypeError(
          `setup() returned ${typeof teardown}; return a teardown function or nothing`,
        );
      }
      entry.teardown = teardown ?? undefined;
    } catch (err) {
      await this.#takeDown(entry, "failed");
      return this.#fail(
        entry,
        `setup failed: ${(err as Error)?.message ?? String(err)}`,
        err,
        raise,
      );
    }
    entry.state = "loaded";
    this.#loadOrder.push(plugin.name);
    this.#refreshMiddleware();
    if (this.app.started) await this.#runOnStart(entry, raise);
  }

  async #runOnStart(entry: Entry, raise: boolean): Promise<void> {
    try {
      for (const fn of entry.regs.onStart) await fn();
      entry.started = true;
    } catch (err) {
      await this.#takeDown(entry, "failed");
      this.#fail(entry, `onStart failed: ${(err as Error)?.message ?? String(err)}`, err, raise);
    }
  }

  /** Takes everything a plugin registered away, then runs its teardown and onClose hooks. */
  async #takeDown(entry: Entry, state: "unloaded" | "failed"): Promise<void> {
    const logger = this.app.logger;
    const fields = { plugin: entry.plugin.name };
    const index = this.#loadOrder.indexOf(entry.plugin.name);
    if (index >= 0) this.#loadOrder.splice(index, 1);
    await entry.regs.undo(this.app, logger);
    this.#refreshMiddleware();
    const teardown = entry.teardown;
    entry.teardown = undefined;
    if (teardown) {
      try {
        await teardown();
      } catch (err) {
        logger.error("plugin teardown failed", { ...fields, error: String(err) });
      }
    }
    for (const fn of entry.regs.onClose.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.error("plugin onClose hook failed", { ...fields, error: String(err) });
      }
    }
    entry.started = false;
    entry.state = state;
  }

  #refreshMiddleware(): void {
    const loaded = this.#loadOrder.map((n) => this.#entry(n)).filter((e) => e.state === "loaded");
    this.#middleware.set(
      loaded.flatMap((e) => e.regs.middleware),
      loaded.flatMap((e) => e.regs.httpHooks),
    );
  }

  #routeClaims() {
    return {
      claim: (key: string, plugin: string) => {
        for (const [name, e] of this.#entries) {
          if (name === plugin || (e.state !== "loaded" && e.state !== "loading")) continue;
          if (e.regs.routes.some((r) => `${r.method.toUpperCase()} ${r.path}` === key)) {
            throw new Error(
              `@mcpforge/plugins: route ${key} is already registered by plugin "${name}"`,
            );
          }
        }
      },
    };
  }
}

/**
 * The plugin manager of an app (one per app: a second call returns the same manager). It
 * installs one middleware in the app at this point of its chain, where plugin middleware runs.
 *
 * @example
 * const database = definePlugin({
 *   name: "database",
 *   version: "1.0.0",
 *   options: z.object({ url: z.string().url() }),
 *   setup() {},
 * });
 * const plugins = createPluginManager(app); // the same manager on every call for this app
 * plugins.use(database, { url: process.env.DATABASE_URL ?? "postgres://localhost/app" });
 * await plugins.load();
 */
export function createPluginManager(app: McpForgeApp): PluginManager {
  if (typeof app !== "object" || app === null || typeof app.forward !== "function") {
    throw optionsError("createPluginManager", "takes an app made with createServer()");
  }
  let manager = managers.get(app);
  if (!manager) {
    manager = new PluginManager(app);
    managers.set(app, manager);
  }
  return manager;
}
