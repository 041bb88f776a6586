export { type RedisCheckOptions, redisCheck } from "./redis.js";
