/// <reference types="node" preserve="true" />
export {
  type CheckReport,
  type CheckServerOptions,
  checkRules,
  checkServer,
  type Finding,
  type FindingComponent,
  type Severity,
} from "./check/index.js";
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
export {
  type RateLimitDecisionLike,
  type RateLimitRuleLike,
  type RateLimitStoreLike,
  type TestRateLimitStoreOptions,
  testRateLimitStore,
} from "./contracts/test-rate-limit-store.js";
export { mcpMatchers } from "./matchers.js";
export {
  type CallOptions,
  createTestClient,
  type TestClient,
  type TestClientOptions,
  ToolCallError,
  textOf,
} from "./test-client.js";
