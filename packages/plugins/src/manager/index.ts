export {
  createPluginManager,
  PluginError,
  type PluginInfo,
  PluginManager,
  type PluginState,
  type UsePluginOptions,
} from "./manager.js";
export type { RegisteredSummary } from "./plugin-api.js";
