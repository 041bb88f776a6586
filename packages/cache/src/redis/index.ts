export type { RedisSubscription, RedisSubscriptionHandlers } from "./pubsub.js";
export {
  type RedisClientLike,
  type RedisStore,
  type RedisStoreOptions,
  type RedisStoreStats,
  redisStore,
} from "./redis-store.js";
