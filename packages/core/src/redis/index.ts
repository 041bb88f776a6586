export {
  checkRedisTarget,
  closeRedisClient,
  type OwnedRedisClient,
  type RedisClientLike,
  type RedisConnection,
  type RedisConnectionOptions,
  type RedisOutage,
  RedisTimeoutError,
  redisConnection,
  withRedisTimeout,
} from "./connection.js";
