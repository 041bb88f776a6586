/// <reference types="node" preserve="true" />
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitState,
  type CircuitStats,
} from "./breaker.js";
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
export { evalScript, type LuaScript, luaScript } from "./lua.js";
export { type RedisSessionsOptions, redisSessions } from "./sessions/redis-sessions.js";
