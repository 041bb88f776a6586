export {
  type CachedFunction,
  type CachedOptions,
  type CachedStats,
  cached,
} from "./cached/index.js";
export {
  type MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreStats,
  memoryStore,
} from "./memory/index.js";
export {
  ANONYMOUS,
  CACHE_META_KEY,
  callerIdentity,
  type InvalidateTarget,
  type ResponseCache,
  type ResponseCacheOptions,
  type ResponseCacheStats,
  responseCache,
} from "./middleware/index.js";
export {
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  type RedisStoreStats,
  type RedisSubscription,
  type RedisSubscriptionHandlers,
  redisStore,
} from "./redis/index.js";
export {
  type TieredStore,
  type TieredStoreOptions,
  type TieredStoreStats,
  tieredStore,
} from "./tiered/index.js";
export type { CacheStore, CacheStoreStats, JsonValue } from "./types.js";
