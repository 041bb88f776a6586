import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { McpForgeApp } from "@mcpforge/core";
import { isPlugin } from "../define/define-plugin.js";
import { createPluginManager, PluginManager } from "../manager/manager.js";
import { substituteEnv } from "./env.js";
import { resolveModule } from "./resolve-module.js";
import { type PluginsConfig, parseConfig } from "./schema.js";

/** Options of {@link loadPlugins}. */
export interface LoadPluginsOptions {
  /** Variables for `${NAME}` in the config (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Where modules of a config given as an object are resolved from (default `process.cwd()`). */
  baseDir?: string;
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(
      `@mcpforge/plugins: cannot read plugins config ${path}: ${(err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(
      `@mcpforge/plugins: plugins config ${path} is not JSON: ${(err as Error).message}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  return typeof value === "function"
    ? "a function"
    : `a${typeof value === "object" ? "n" : ""} ${typeof value}`;
}

/**
 * Loads the plugins a config names: `{ "plugins": [{ "module", "export", "options",
 * "required" }] }`, from a JSON file (modules resolved relative to it) or an object. Modules
 * are imported with `import()` (package names and relative paths; never URLs), `${ENV_VAR}`
 * and `${ENV_VAR:-default}` in strings come from the environment, and nothing in the config
 * is ever run as code. Then the plugins are loaded in dependency order.
 *
 * @example
 * const plugins = await loadPlugins(app, "mcpforge.plugins.json");
 * console.error(plugins.list().map((p) => `${p.name}: ${p.state}`));
 */
export async function loadPlugins(
  target: McpForgeApp | PluginManager,
  config: string | PluginsConfig,
  options: LoadPluginsOptions = {},
): Promise<PluginManager> {
  const manager = target instanceof PluginManager ? target : createPluginManager(target);
  const env = options.env ?? process.env;
  let source: string;
  let raw: unknown;
  let baseDir: string;
  if (typeof config === "string") {
    source = resolve(config);
    raw = await readConfig(source);
    baseDir = dirname(source);
  } else {
    source = "(object)";
    raw = config;
    baseDir = resolve(options.baseDir ?? process.cwd());
  }
  const parsed = parseConfig(raw, source);
  for (const [i, entry] of parsed.plugins.entries()) {
    const at = `${source} plugins[${i}]`;
    const e = substituteEnv(entry, env, at) as PluginsConfig["plugins"][number];
    const exportName = e.export ?? "default";
    const required = e.required ?? true;
    let plugin: unknown;
    try {
      const url = resolveModule(e.module, baseDir);
      let mod: Record<string, unknown>;
      try {
        mod = (await import(url)) as Record<string, unknown>;
      } catch (err) {
        throw new Error(
          `cannot import module ${JSON.stringify(e.module)}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      plugin = Object.hasOwn(mod, exportName) ? mod[exportName] : undefined;
      if (!isPlugin(plugin)) {
        throw new Error(
          `module ${JSON.stringify(e.module)} does not export a plugin as "${exportName}" (found ${describe(plugin)}; make one with definePlugin())`,
        );
      }
    } catch (err) {
      const message = `@mcpforge/plugins: ${at}: ${(err as Error).message}`;
      if (required) throw new Error(message, { cause: err });
      manager.app.logger.warn(`${message} (not required: skipped)`);
      continue;
    }
    manager.use(plugin, e.options as never, { required });
  }
  await manager.load();
  return manager;
}
