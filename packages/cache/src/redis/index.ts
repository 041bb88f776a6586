export {
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  type RedisStoreStats,
  type RedisSubscription,
  type RedisSubscriptionHandlers,
  redisStore,
} from "./redis-store.js";
