/** A JSON value: what a {@link CacheStore} keeps. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** Counters every store of this package reports through `stats()`. */
export interface CacheStoreStats {
  /** `get` calls that found a value. */
  hits: number;
  /** `get` calls that found nothing (or a value that could not be read). */
  misses: number;
  /** Values written. */
  sets: number;
  /** Entries removed by `delete`. */
  deletes: number;
  /** Entries dropped to stay within the store's bounds (count or bytes). */
  evictions: number;
  /** Operations that failed (a backend error or timeout); the cache was bypassed. */
  errors: number;
}

/**
 * The one contract every cache store implements. Values are JSON-serializable (a value JSON
 * cannot represent is refused); `get` gives back a copy, never the object that was stored.
 * Every store passes the `testCacheStore` suite of `@mcpforge/testing`.
 *
 * @example
 * const store: CacheStore = memoryStore({ maxEntries: 1000 });
 * await store.set("greeting", { text: "hi" }, 60_000);
 * await store.get("greeting"); // { text: "hi" }
 */
export interface CacheStore {
  /** The value under `key`, or `undefined` when it is missing or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key`, for `ttlMs` milliseconds (default: the store's own TTL, if any). */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Removes `key`; resolves to whether it was there. */
  delete(key: string): Promise<boolean>;
  /** Whether a live (not expired) value is stored under `key`. */
  has(key: string): Promise<boolean>;
  /** Removes every entry of this store (only its own keys in a shared backend). */
  clear(): Promise<void>;
  /** Releases the store's resources; later operations reject. Calling it twice is fine. */
  close(): Promise<void>;
  /** Hit/miss/eviction/error counters, when the store keeps them. */
  stats?(): CacheStoreStats;
}
