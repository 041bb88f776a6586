import { randomUUID } from "node:crypto";
import { McpForgeError } from "@mcpforge/core";
import { checkKey, checkTtl } from "../internal/json.js";
import {
  checkOptionsObject,
  checkPositiveInteger,
  checkString,
  MAX_TTL_MS,
  optionsError,
} from "../internal/options.js";
import { type MemoryStoreOptions, memoryStore } from "../memory/memory-store.js";
import type { RedisSubscription } from "../redis/pubsub.js";
import { type RedisStore, type RedisStoreOptions, redisStore } from "../redis/redis-store.js";
import type { CacheStore, CacheStoreStats } from "../types.js";

/** Options of {@link tieredStore}. */
export interface TieredStoreOptions {
  /** The front tier: a store (usually `memoryStore()`) or memoryStore options (default `memoryStore()`). */
  memory?: CacheStore | MemoryStoreOptions;
  /** The shared tier: a `redisStore()` or redisStore options. */
  redis: RedisStore | RedisStoreOptions;
  /**
   * The Redis pub/sub channel invalidations travel on; every instance sharing the cache must use
   * the same one (default: the Redis store's prefix followed by `invalidate`).
   */
  channel?: string;
  /** The longest a value stays in the front tier, whatever its Redis TTL (default 60,000 ms). */
  memoryTtlMs?: number;
}

/** The counters of a {@link TieredStore}. */
export interface TieredStoreStats extends CacheStoreStats {
  /** Hits answered by the front (memory) tier. */
  memoryHits: number;
  /** Hits answered by Redis. */
  redisHits: number;
  /** Invalidation messages received from other instances. */
  invalidationsReceived: number;
  /** Whether the front tier is in use (the invalidation channel is connected). */
  memoryActive: boolean;
}

/** A memory tier in front of a Redis tier, kept coherent across instances by pub/sub. */
export interface TieredStore extends CacheStore {
  /** The front tier. */
  readonly memory: CacheStore;
  /** The shared tier. */
  readonly redis: RedisStore;
  /** Connects to Redis and subscribes to the invalidation channel; true once both are up. */
  connect(): Promise<boolean>;
  stats(): TieredStoreStats;
}

interface Invalidation {
  /** The instance that sent it (an instance ignores its own). */
  o: string;
  op: "del" | "clear";
  k?: string;
}

const FACTORY = "tieredStore";

function isStore(value: unknown): value is CacheStore {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CacheStore).get === "function" &&
    typeof (value as CacheStore).set === "function"
  );
}

function isRedisStore(value: unknown): value is RedisStore {
  return (
    isStore(value) &&
    typeof (value as RedisStore).subscribe === "function" &&
    typeof (value as RedisStore).getWithTtl === "function"
  );
}

/**
 * A two-tier cache store: an in-process memory tier in front of Redis. Reads try memory, then
 * Redis (copying the value into memory for at most `memoryTtlMs`); writes go to both. Every
 * `set`, `delete` and `clear` is published on a Redis channel so the other instances drop their
 * memory copy. The memory tier is used only while that channel is connected: when it drops, the
 * memory tier is emptied and reads go to Redis (or, if Redis is down too, to the origin), so an
 * instance never serves a copy another instance has invalidated. The tiered store owns both
 * tiers: `close()` closes them.
 *
 * @example
 * import { tieredStore } from "@mcpforge/cache/tiered";
 * const store = tieredStore({
 *   memory: { maxEntries: 5_000, maxBytes: 32 * 1024 * 1024 },
 *   redis: { url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix: "myapp:cache:" },
 * });
 * await store.connect();
 * await store.set("user:1", { name: "Ada" }, 60_000);
 */
export function tieredStore(options: TieredStoreOptions): TieredStore {
  if (options === undefined) throw optionsError(FACTORY, "needs { redis }");
  const opts = checkOptionsObject(FACTORY, options);
  if (opts.redis === undefined) throw optionsError(FACTORY, "needs { redis }");
  if (opts.memory !== undefined && (typeof opts.memory !== "object" || opts.memory === null)) {
    throw optionsError(FACTORY, "memory must be a CacheStore or memoryStore options");
  }
  if (typeof opts.redis !== "object" || opts.redis === null) {
    throw optionsError(FACTORY, "redis must be a redisStore() or redisStore options");
  }
  if (isStore(opts.redis) && !isRedisStore(opts.redis)) {
    throw optionsError(FACTORY, "redis must be a redisStore() (it needs pub/sub)");
  }
  checkString(FACTORY, "channel", opts.channel, { nonEmpty: true });
  checkPositiveInteger(FACTORY, "memoryTtlMs", opts.memoryTtlMs, MAX_TTL_MS);

  const memory: CacheStore = isStore(opts.memory) ? opts.memory : memoryStore(opts.memory);
  const redis: RedisStore = isRedisStore(opts.redis)
    ? opts.redis
    : redisStore(opts.redis as RedisStoreOptions);
  const channel = opts.channel ?? `${redis.prefix}invalidate`;
  const memoryTtlMs = opts.memoryTtlMs ?? 60_000;
  const instance = randomUUID();
  const counters = {
    hits: 0,
    misses: 0,
    sets: 0,
    deletes: 0,
    errors: 0,
    memoryHits: 0,
    redisHits: 0,
    invalidationsReceived: 0,
  };
  let subscription: RedisSubscription | undefined;
  let closed = false;
  /**
   * Redis reads in flight, by key. An invalidation of the key (or a clear) while one runs marks
   * it dirty: what it read may predate the invalidating write, so it is not copied into memory.
   */
  const reading = new Map<string, { readers: number; dirty: boolean }>();
  const markDirty = (key?: string) => {
    if (key === undefined) {
      for (const r of reading.values()) r.dirty = true;
      return;
    }
    const r = reading.get(key);
    if (r) r.dirty = true;
  };

  const dropMemory = () => {
    markDirty();
    memory.clear().catch(() => {
      counters.errors++;
    });
  };

  const onMessage = (text: string) => {
    let msg: Invalidation;
    try {
      msg = JSON.parse(text) as Invalidation;
    } catch {
      return;
    }
    if (msg.o === instance) return;
    counters.invalidationsReceived++;
    if (msg.op === "clear") {
      dropMemory();
    } else if (msg.op === "del" && typeof msg.k === "string" && msg.k.length > 0) {
      markDirty(msg.k);
      memory.delete(msg.k).catch(() => {
        counters.errors++;
      });
    }
  };

  const subscribe = (): RedisSubscription => {
    subscription ??= redis.subscribe(channel, {
      message: onMessage,
      // Invalidations may have been missed while disconnected: start the memory tier afresh.
      disconnect: dropMemory,
      reconnect: dropMemory,
    });
    return subscription;
  };

  const memoryActive = (): boolean => subscribe().active;

  const ensureOpen = () => {
    if (closed) {
      throw new McpForgeError("unavailable", "@mcpforge/cache: this tieredStore is closed");
    }
  };

  const frontTtl = (ttlMs: number | undefined) =>
    ttlMs === undefined ? memoryTtlMs : Math.min(ttlMs, memoryTtlMs);

  const publish = async (msg: Omit<Invalidation, "o">) => {
    await redis.publish(channel, JSON.stringify({ o: instance, ...msg }));
  };

  return {
    memory,
    redis,

    async connect(): Promise<boolean> {
      ensureOpen();
      const up = await redis.connect();
      const subscribed = await subscribe().ready;
      return up && subscribed;
    },

    async get<T = unknown>(key: string): Promise<T | undefined> {
      ensureOpen();
      checkKey(key);
      const useMemory = memoryActive();
      if (useMemory) {
        const local = await memory.get<T>(key);
        if (local !== undefined) {
          counters.hits++;
          counters.memoryHits++;
          return local;
        }
      }
      let read = reading.get(key);
      if (!read) {
        read = { readers: 0, dirty: false };
        reading.set(key, read);
      }
      read.readers++;
      let found: { value: T; ttlMs: number | undefined } | undefined;
      try {
        found = await redis.getWithTtl<T>(key);
      } finally {
        read.readers--;
        if (read.readers === 0 && reading.get(key) === read) reading.delete(key);
      }
      if (found === undefined) {
        counters.misses++;
        return undefined;
      }
      counters.hits++;
      counters.redisHits++;
      if (useMemory && memoryActive() && !read.dirty) {
        await memory.set(key, found.value, frontTtl(found.ttlMs)).catch(() => {
          counters.errors++;
        });
      }
      return found.value;
    },

    async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
      ensureOpen();
      checkKey(key);
      checkTtl(ttlMs);
      await redis.set(key, value, ttlMs);
      if (memoryActive()) await memory.set(key, value, frontTtl(ttlMs));
      else await memory.delete(key);
      counters.sets++;
      await publish({ op: "del", k: key });
    },

    async delete(key: string): Promise<boolean> {
      ensureOpen();
      checkKey(key);
      const [fromRedis, fromMemory] = await Promise.all([redis.delete(key), memory.delete(key)]);
      await publish({ op: "del", k: key });
      const removed = fromRedis || fromMemory;
      if (removed) counters.deletes++;
      return removed;
    },

    async has(key: string): Promise<boolean> {
      ensureOpen();
      checkKey(key);
      if (memoryActive() && (await memory.has(key))) return true;
      return redis.has(key);
    },

    async clear(): Promise<void> {
      ensureOpen();
      markDirty();
      await Promise.all([redis.clear(), memory.clear()]);
      await publish({ op: "clear" });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await subscription?.close();
      await Promise.all([memory.close(), redis.close()]);
    },

    stats(): TieredStoreStats {
      const m = memory.stats?.();
      const r = redis.stats();
      return {
        ...counters,
        evictions: m?.evictions ?? 0,
        errors: counters.errors + r.errors + (m?.errors ?? 0),
        memoryActive: subscription?.active ?? false,
      };
    },
  };
}
