export { definePlugin, isPlugin } from "./define-plugin.js";
export type {
  Plugin,
  PluginApi,
  PluginDefinition,
  PluginOptions,
  PluginOptionsInput,
  Teardown,
} from "./types.js";
