export type { TrustProxy } from "./client-key.js";
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from "./memory-store.js";
export {
  type RateLimiter,
  type RateLimitOptions,
  type RateLimitStats,
  rateLimit,
} from "./rate-limit.js";
export {
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  redisStore,
} from "./redis-store.js";
export type {
  FixedWindowRule,
  RateLimitDecision,
  RateLimitRule,
  RateLimitStore,
  TokenBucketRule,
} from "./rules.js";
