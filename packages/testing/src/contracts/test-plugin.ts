import { createServer, type McpForgeApp, type ServerLogger } from "@mcpforge/core";
import { vitestFor } from "../internal/suite.js";
import { createTestClient } from "../test-client.js";

/** What the suite needs of a plugin (a `definePlugin()` plugin from `@mcpforge/plugins`). */
export interface PluginLike {
  readonly name: string;
  readonly version: string;
  readonly dependsOn: readonly string[];
}

/** What the suite needs of a plugin's state (`PluginInfo` in `@mcpforge/plugins`). */
export interface PluginInfoLike {
  readonly state: string;
  readonly error?: string | undefined;
  readonly registered: {
    readonly tools: readonly string[];
    readonly resources: readonly string[];
    readonly prompts: readonly string[];
    readonly methods: readonly string[];
    readonly extensions: readonly string[];
  };
}

/** What the suite needs of a plugin manager (`PluginManager` in `@mcpforge/plugins`). */
export interface PluginManagerLike {
  // biome-ignore lint/suspicious/noExplicitAny: plugins and their options are checked by the manager
  use(plugin: any, options?: any, settings?: { required?: boolean }): unknown;
  load(): Promise<unknown>;
  unload(name: string, options?: { cascade?: boolean }): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: options are checked by the plugin's schema
  reload(name: string, options?: any): Promise<void>;
  get(name: string): PluginInfoLike | undefined;
}

/** Options of {@link testPlugin}. */
export interface TestPluginOptions {
  /** The plugin under test. */
  plugin: PluginLike;
  /** Its options (valid ones). */
  options?: unknown;
  /** Options its schema must refuse (the suite checks the error names the plugin). */
  invalidOptions?: unknown;
  /** Plugins it depends on, with their options, loaded first. */
  dependencies?: { plugin: PluginLike; options?: unknown }[];
  /** `createPluginManager` from `@mcpforge/plugins` (passed in: testing does not depend on plugins). */
  createPluginManager: (app: McpForgeApp) => PluginManagerLike;
}

/** A logger that keeps lines (the suite checks that teardown logged no failure). */
function memoryLogger(): ServerLogger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    debug() {},
    info() {},
    warn() {},
    error: (msg, fields) => errors.push(`${msg} ${JSON.stringify(fields ?? {})}`),
  };
}

/** Everything an app serves that a plugin could leave behind. */
function inventory(app: McpForgeApp) {
  return {
    tools: app.components("tool").map((c) => c.key),
    resources: app.components("resource").map((c) => c.key),
    templates: app.components("template").map((c) => c.key),
    prompts: app.components("prompt").map((c) => c.key),
  };
}

/**
 * The contract every plugin should pass, as a vitest suite: it loads with its options (after
 * its dependencies), its tools are described, unloading takes away everything it registered
 * (clients get list_changed), it can be reloaded, closing the app tears it down without errors,
 * and (with `invalidOptions`) bad options are refused with an error naming it.
 *
 * @example
 * // database.test.ts: `database` is made with definePlugin(), and createPluginManager comes
 * // from @mcpforge/plugins (this package does not depend on it)
 * declare const database: PluginLike;
 * declare const createPluginManager: TestPluginOptions["createPluginManager"];
 * testPlugin("database", {
 *   plugin: database,
 *   options: { url: "postgres://localhost/test" },
 *   invalidOptions: { url: "not a url" },
 *   createPluginManager,
 * });
 */
export function testPlugin(name: string, options: TestPluginOptions): void {
  const { describe, expect, it } = vitestFor("testPlugin");
  if (typeof options?.createPluginManager !== "function") {
    throw new Error(
      "@mcpforge/testing: testPlugin() needs createPluginManager (from @mcpforge/plugins)",
    );
  }
  const { plugin } = options;

  /** The app's plugin manager, with the plugin's dependencies loaded. */
  async function withDependencies(app: McpForgeApp): Promise<PluginManagerLike> {
    const manager = options.createPluginManager(app);
    for (const dep of options.dependencies ?? []) manager.use(dep.plugin, dep.options);
    await manager.load();
    return manager;
  }

  /** A fresh app with the dependencies and the plugin loaded. */
  async function loaded() {
    const logger = memoryLogger();
    const app = createServer({ name: "plugin-contract", version: "1.0.0", logger });
    const manager = await withDependencies(app);
    const before = inventory(app);
    manager.use(plugin, options.options);
    await manager.load();
    return { app, manager, logger, before };
  }

  describe(`plugin contract: ${name}`, () => {
    it("loads with its options", async () => {
      const { app, manager } = await loaded();
      expect(manager.get(plugin.name)?.error).toBeUndefined();
      expect(manager.get(plugin.name)?.state).toBe("loaded");
      await app.close();
    });

    it("describes every tool it registers", async () => {
      const { app } = await loaded();
      await using client = await createTestClient(app);
      for (const tool of await client.listTools()) {
        expect(typeof tool.description, `tool ${tool.name} has a description`).toBe("string");
        expect(tool.inputSchema.type).toBe("object");
      }
      await app.close();
    });

    it("unloading takes away everything it registered; clients get list_changed", async () => {
      const { app, manager, before } = await loaded();
      await using client = await createTestClient(app);
      const registered = manager.get(plugin.name)?.registered;
      const lists = [
        registered?.tools.length ? "tools" : undefined,
        registered?.resources.length ? "resources" : undefined,
        registered?.prompts.length ? "prompts" : undefined,
      ].filter((k): k is string => k !== undefined);
      client.clearNotifications();
      await manager.unload(plugin.name, { cascade: true });
      expect(manager.get(plugin.name)?.state).toBe("unloaded");
      expect(inventory(app)).toEqual(before);
      for (const kind of lists) {
        await client.waitForNotification(`notifications/${kind}/list_changed`);
      }
      await using fresh = await createTestClient(app);
      expect(fresh.client.getServerCapabilities()?.extensions).toBeUndefined();
      await app.close();
    });

    it("can be reloaded: setup runs again and registers the same things", async () => {
      const { app, manager } = await loaded();
      const first = manager.get(plugin.name)?.registered;
      await manager.reload(plugin.name);
      expect(manager.get(plugin.name)?.state).toBe("loaded");
      expect(manager.get(plugin.name)?.registered).toEqual(first);
      await app.close();
    });

    it("closing the app tears it down without errors", async () => {
      const { app, manager, logger } = await loaded();
      await createTestClient(app); // starts the app: onStart hooks run
      await app.close();
      expect(manager.get(plugin.name)?.state).toBe("unloaded");
      expect(logger.errors).toEqual([]);
    });

    if (options.invalidOptions !== undefined) {
      it("refuses invalid options with an error naming the plugin", async () => {
        const app = createServer({
          name: "plugin-contract",
          version: "1.0.0",
          logger: memoryLogger(),
        });
        const manager = await withDependencies(app);
        const before = inventory(app);
        manager.use(plugin, options.invalidOptions);
        await expect(manager.load()).rejects.toThrow(`plugin "${plugin.name}"`);
        expect(manager.get(plugin.name)?.state).toBe("failed");
        expect(inventory(app)).toEqual(before);
      });
    }
  });
}
