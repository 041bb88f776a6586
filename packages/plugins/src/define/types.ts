import type { McpForgeApp, Middleware, Registration, ServerLogger } from "@mcpforge/core";
import type { SetupApi } from "@mcpforge/core/authoring";
import type { InferInput, InferOutput, StandardSchemaV1 } from "../internal/standard-schema.js";
import type { MountHandle, MountOptions } from "../mount/mount.js";

/** What a plugin's `setup` may return: a function run when the plugin is unloaded. */
export type Teardown = () => unknown;

/** The options a plugin's setup receives: the output of its schema (undefined without one). */
export type PluginOptions<S> = S extends StandardSchemaV1 ? InferOutput<S> : undefined;

/** The options a plugin is given (before validation): the input of its schema. */
export type PluginOptionsInput<S> = S extends StandardSchemaV1 ? InferInput<S> : undefined;

/**
 * What a plugin may touch of the server while it is set up. Everything registered through it
 * is remembered, so unloading the plugin takes all of it away again.
 */
export interface PluginApi extends SetupApi {
  /** The plugin being set up. */
  readonly plugin: { readonly name: string; readonly version: string };
  /** The server's logger, with `plugin: <name>` on every line. */
  readonly logger: ServerLogger;
  /** Registers a tool (see `app.tool()`). */
  tool: McpForgeApp["tool"];
  /** Registers a resource or resource template (see `app.resource()`). */
  resource: McpForgeApp["resource"];
  /** Registers a prompt (see `app.prompt()`). */
  prompt: McpForgeApp["prompt"];
  /** Registers a forwarded component (see `app.forward()`). */
  forward: McpForgeApp["forward"];
  /** Adds middleware; it runs where the plugin manager sits in the app's chain, in plugin order. */
  use(middleware: Middleware): void;
  /** Declares an MCP extension: `capabilities.extensions[id]` (see `app.extension()`). */
  extension(id: string, settings?: Record<string, unknown>): Registration;
  /** Registers a custom JSON-RPC method (see `app.method()`). */
  method: McpForgeApp["method"];
  /** Mounts another app under a namespace (see `mount()`); unmounted with the plugin. */
  mount(child: McpForgeApp, options: MountOptions): MountHandle;
}

/** A plugin as written by its author (see {@link definePlugin}). */
export interface PluginDefinition<S extends StandardSchemaV1 | undefined = undefined> {
  /** Unique among the server's plugins; reverse-DNS names are welcome (`com.acme.database`). */
  name: string;
  version: string;
  description?: string;
  /** Plugins (by name) that must be set up before this one. */
  dependsOn?: string[];
  /** Validates the options at load time (zod or any Standard Schema). */
  options?: S;
  /**
   * Registers what the plugin brings. May return a teardown function, run on unload and when
   * the server closes. If it throws, everything it registered is removed again.
   */
  setup(
    api: PluginApi,
    options: PluginOptions<S>,
  ): undefined | Teardown | Promise<undefined | Teardown> | void | Promise<void>;
}

/** A plugin made by {@link definePlugin}. */
export interface Plugin<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined>
  extends Readonly<Omit<PluginDefinition<S>, "dependsOn">> {
  readonly dependsOn: readonly string[];
  /** Marks a value made by `definePlugin()`. */
  readonly [PLUGIN_BRAND]: true;
}

/** The brand `definePlugin()` puts on plugins (a registered symbol: works across copies). */
export const PLUGIN_BRAND: unique symbol = Symbol.for("mcpforge.plugin") as never;
