export {
  type CacheStoreLike,
  type TestCacheStoreOptions,
  testCacheStore,
} from "./contracts/test-cache-store.js";
export { type TestMiddlewareOptions, testMiddleware } from "./contracts/test-middleware.js";
export {
  type PluginInfoLike,
  type PluginLike,
  type PluginManagerLike,
  type TestPluginOptions,
  testPlugin,
} from "./contracts/test-plugin.js";
export { mcpMatchers } from "./matchers.js";
export {
  type CallOptions,
  createTestClient,
  type TestClient,
  type TestClientOptions,
  ToolCallError,
  textOf,
} from "./test-client.js";
