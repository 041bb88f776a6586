import { luaScript as script } from "@mcpforge/core/redis";

// Both scripts read the clock with TIME on the Redis server, so every instance sharing the
// store agrees on it. Redis before 5 needs effects replication for a write after TIME.
const PRELUDE = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local time = redis.call('TIME')
`;

/** The longest TTL set on a key: ten years, in ms (keeps `%d` arguments small). */
const MAX_TTL_MS = "315360000000";

/**
 * Token bucket. KEYS[1]: the bucket (a hash of `tokens` and `at`, ms). ARGV: capacity,
 * refill per second. Returns { allowed (0|1), remaining, retryAfterMs }.
 */
export const TOKEN_BUCKET = script(`${PRELUDE}
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
elseif now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
  at = now
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
end
local ttl = math.min(math.ceil((capacity - tokens) * 1000 / rate) + 1000, ${MAX_TTL_MS})
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], string.format('%d', ttl))
return { allowed, math.floor(tokens), retry }
`);

/**
 * Fixed window aligned on the clock. KEYS[1]: the counter (a hash of `window` and `count`).
 * ARGV: limit, window in ms. Returns { allowed (0|1), remaining, retryAfterMs }.
 */
export const FIXED_WINDOW = script(`${PRELUDE}
local limit = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = math.floor(now / size)
local finish = (window + 1) * size
local state = redis.call('HMGET', KEYS[1], 'window', 'count')
local count = 0
if tonumber(state[1]) == window then count = tonumber(state[2]) or 0 end
if count >= limit then
  return { 0, 0, math.max(1, finish - now) }
end
count = count + 1
redis.call('HSET', KEYS[1], 'window', string.format('%d', window), 'count', string.format('%d', count))
redis.call('PEXPIRE', KEYS[1], string.format('%d', finish - now + 1000))
return { 1, limit - count, 0 }
`);
