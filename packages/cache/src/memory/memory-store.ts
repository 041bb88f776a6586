import { McpForgeError } from "@mcpforge/core";
import { LRUCache } from "lru-cache";
import { byteLength, checkKey, checkTtl, serialize } from "../internal/json.js";
import {
  checkFunction,
  checkOptionsObject,
  checkPositiveInteger,
  MAX_TTL_MS,
} from "../internal/options.js";
import type { CacheStore, CacheStoreStats } from "../types.js";

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** At most this many entries; the least recently used go first (default 10,000). */
  maxEntries?: number;
  /**
   * At most this many bytes (UTF-8 size of each key plus its JSON value); the least recently
   * used entries go first, and a single value larger than this is not stored (default 64 MiB).
   */
  maxBytes?: number;
  /** TTL of entries written without one (default: none, entries live until evicted). */
  ttlMs?: number;
  /**
   * The clock TTLs are measured with, in milliseconds (default `performance.now()`). Pass
   * `() => Date.now()` to drive expiry with fake timers in tests.
   */
  now?: () => number;
}

/** The counters of a {@link MemoryStore}. */
export interface MemoryStoreStats extends CacheStoreStats {
  /** Entries currently held (expired ones may linger until touched or evicted). */
  entries: number;
  /** Bytes currently held. */
  bytes: number;
  /** Values not stored because they alone exceed `maxBytes`. */
  oversized: number;
}

/** An in-process {@link CacheStore} on lru-cache. */
export interface MemoryStore extends CacheStore {
  stats(): MemoryStoreStats;
}

const FACTORY = "memoryStore";

/**
 * An in-process cache store on lru-cache, bounded both by entry count and by bytes (the
 * least recently used entries are evicted first, and counted), with per-entry TTLs. Values
 * are kept as JSON text, so `get` always returns a fresh copy.
 *
 * @example
 * import { memoryStore } from "@mcpforge/cache/memory";
 * const store = memoryStore({ maxEntries: 1000, maxBytes: 16 * 1024 * 1024, ttlMs: 60_000 });
 * await store.set("user:1", { name: "Ada" });
 * console.log(await store.get("user:1"), store.stats().evictions);
 */
export function memoryStore(options?: MemoryStoreOptions): MemoryStore {
  const opts = checkOptionsObject(FACTORY, options);
  checkPositiveInteger(FACTORY, "maxEntries", opts.maxEntries);
  checkPositiveInteger(FACTORY, "maxBytes", opts.maxBytes);
  checkPositiveInteger(FACTORY, "ttlMs", opts.ttlMs, MAX_TTL_MS);
  checkFunction(FACTORY, "now", opts.now);

  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const counters = { hits: 0, misses: 0, sets: 0, deletes: 0, evictions: 0, errors: 0 };
  let oversized = 0;
  let closed = false;
  const now = opts.now;
  const lru = new LRUCache<string, string>({
    max: opts.maxEntries ?? 10_000,
    maxSize: maxBytes,
    sizeCalculation: (value, key) => Math.max(1, byteLength(value) + byteLength(key)),
    ttl: opts.ttlMs ?? 0,
    // Check the clock on every read: exact expiry, and fake timers work.
    ttlResolution: 0,
    allowStale: false,
    updateAgeOnGet: false,
    updateAgeOnHas: false,
    ...(now ? { perf: { now } } : {}),
    dispose: (_value, _key, reason) => {
      if (reason === "evict") counters.evictions++;
    },
  });

  const open = () => {
    if (closed) {
      throw new McpForgeError("unavailable", "@mcpforge/cache: this memoryStore is closed");
    }
  };

  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      open();
      checkKey(key);
      const text = lru.get(key);
      if (text === undefined) {
        counters.misses++;
        return undefined;
      }
      counters.hits++;
      return JSON.parse(text) as T;
    },

    async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
      open();
      checkKey(key);
      checkTtl(ttlMs);
      const text = serialize(value);
      if (byteLength(text) + byteLength(key) > maxBytes) {
        // Too large to keep at all: drop any older value so a stale one is not served.
        oversized++;
        lru.delete(key);
        return;
      }
      lru.set(key, text, ttlMs === undefined ? undefined : { ttl: ttlMs });
      counters.sets++;
    },

    async delete(key: string): Promise<boolean> {
      open();
      checkKey(key);
      const had = lru.has(key);
      lru.delete(key);
      if (had) counters.deletes++;
      return had;
    },

    async has(key: string): Promise<boolean> {
      open();
      checkKey(key);
      return lru.has(key);
    },

    async clear(): Promise<void> {
      open();
      lru.clear();
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      lru.clear();
    },

    stats(): MemoryStoreStats {
      return { ...counters, entries: lru.size, bytes: lru.calculatedSize, oversized };
    },
  };
}
