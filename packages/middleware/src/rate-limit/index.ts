/// <reference types="node" preserve="true" />
export type { TrustProxy } from "./client-key.js";
export {
  type MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
  memoryRateLimitStore,
} from "./memory-store.js";
export {
  type RateLimiter,
  type RateLimitOptions,
  type RateLimitStats,
  rateLimit,
} from "./rate-limit.js";
export {
  type RedisClientLike,
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
  redisRateLimitStore,
} from "./redis-store.js";
export type {
  FixedWindowRule,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
  TokenBucketRule,
} from "./rules.js";
