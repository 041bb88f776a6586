/**
 * `@mcpforge/plugins`: plugins (a contract and a manager), config-driven loading, mounting
 * apps into apps, proxies to remote MCP servers, and tool transforms.
 */
export {
  type LoadPluginsOptions,
  loadPlugins,
  type PluginEntryConfig,
  type PluginsConfig,
} from "./config/index.js";
export {
  definePlugin,
  isPlugin,
  type Plugin,
  type PluginApi,
  type PluginDefinition,
  type PluginOptions,
  type PluginOptionsInput,
  type Teardown,
} from "./define/index.js";
export type { StandardSchemaV1 } from "./internal/standard-schema.js";
export {
  createPluginManager,
  PluginError,
  type PluginInfo,
  PluginManager,
  type PluginState,
  type RegisteredSummary,
  type UsePluginOptions,
} from "./manager/index.js";
export { type MountHandle, type MountOptions, mount } from "./mount/index.js";
export {
  type BackendState,
  type BackendStatus,
  createProxy,
  type ProxyApp,
  type ProxyBackend,
  type ProxyOptions,
  type ReconnectOptions,
} from "./proxy/index.js";
export {
  type ToolFilter,
  type ToolTransform,
  type ToolTransforms,
  transformTool,
} from "./transforms/index.js";
