export { substituteEnv } from "./env.js";
export { type LoadPluginsOptions, loadPlugins } from "./load-plugins.js";
export { resolveModule } from "./resolve-module.js";
export { type PluginEntryConfig, type PluginsConfig, parseConfig } from "./schema.js";
