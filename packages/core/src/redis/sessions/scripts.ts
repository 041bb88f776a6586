import { luaScript } from "../lua.js";

/**
 * The Lua scripts of the Redis session backend: each is one round trip and atomic.
 * Keys: `<prefix>s:<id>` (session hash), `<prefix>index` (sorted set of session ids by expiry),
 * `<prefix>ev:<stream id>` (Redis Stream of one SSE stream), `<prefix>lease:<stream id>`
 * (owner of a running request), `<prefix>meta:<stream id>` (its request ids).
 */

/**
 * KEYS: record, index. ARGV: now, ttlMs, maxSessions, id, field, value, … → 1, or 0 when full.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * const keys = [store.key("s", id), store.indexKey];
 * await store.eval(OPEN, keys, [Date.now(), 300_000, 1000, id, "p", "-"]); // 1: opened
 */
export const OPEN = luaScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
return 1`);

/**
 * KEYS: record, index. ARGV: now, ttlMs, id, known revision. Refreshes the idle expiry;
 * returns false when the session is gone, `{p, v, r}` when the caller's copy is current, else
 * `{p, v, r, ci, cc, ll, sub, st}`.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * const keys = [store.key("s", id), store.indexKey];
 * await store.eval(TOUCH, keys, [Date.now(), 300_000, id, "3"]); // ["hash", "2025-11-25", "3"]
 */
export const TOUCH = luaScript(`
if redis.call('PEXPIRE', KEYS[1], ARGV[2]) == 0 then return false end
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
local head = redis.call('HMGET', KEYS[1], 'p', 'v', 'r')
if head[3] == ARGV[4] then return head end
return redis.call('HMGET', KEYS[1], 'p', 'v', 'r', 'ci', 'cc', 'll', 'sub', 'st')`);

/**
 * KEYS: record. ARGV: field, value, … → the new revision, or false when the session is gone.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * await store.eval(SAVE, [store.key("s", id)], ["ll", "debug"]); // the new revision
 */
export const SAVE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], unpack(ARGV))
return redis.call('HINCRBY', KEYS[1], 'r', 1)`);

/**
 * KEYS: stream, lease, meta. ARGV: maxLen, ttlMs, leaseMs, owner, ids JSON ('' for none),
 * field, value, … → the entry id. Appends one event; the first event of a request's stream also
 * takes the ownership lease and records the request ids.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * const keys = ["ev", "lease", "meta"].map((k) => store.key(k, "session-id.a11"));
 * await store.eval(APPEND, keys, [1000, 300_000, 3000, "a1", "[7]", "m", "{}"]);
 */
export const APPEND = luaScript(`
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 6))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[2])
end
return id`);

/**
 * KEYS: stream, lease. ARGV: maxLen, ttlMs. Marks a request's stream finished.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * const keys = ["ev", "lease", "meta"].map((k) => store.key(k, "session-id.a11"));
 * await store.eval(FINISH, keys.slice(0, 2), [1000, 300_000]);
 */
export const FINISH = luaScript(`
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'end', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
return 1`);

/**
 * KEYS: stream, lease, meta. ARGV: maxLen, ttlMs, error JSON (an object with code and message).
 * When the lease expired (its owner died) and the stream did not finish, appends an error
 * response for each of its requests and the end mark → 1; otherwise 0.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * const keys = ["ev", "lease", "meta"].map((k) => store.key(k, "session-id.a11"));
 * await store.eval(ORPHAN, keys, [1000, 300_000, '{"code":-32603,"message":"stopped"}']);
 */
export const ORPHAN = luaScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] and last[1][2][1] == 'end' then return 0 end
local ids = redis.call('GET', KEYS[3])
if not ids then return 0 end
local err = cjson.decode(ARGV[3])
for _, id in ipairs(cjson.decode(ids)) do
  local m = cjson.encode({ jsonrpc = '2.0', id = id, error = err })
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', m)
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'end', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);

/**
 * KEYS: lock. ARGV: owner, ttlMs → 1 when taken (or already ours), else 0.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * await store.eval(LOCK, [store.key("get", id)], ["a1", 9000]); // 1: this instance holds it
 */
export const LOCK = luaScript(`
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);

/**
 * KEYS: lock. ARGV: owner. Releases a lock this owner holds.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * const id = "session-id";
 * await store.eval(UNLOCK, [store.key("get", id)], ["a1"]);
 */
export const UNLOCK = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`);
