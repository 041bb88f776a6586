import { McpForgeError } from "@mcpforge/core";
import { Generations } from "../internal/generations.js";
import { canonicalJson, sha256 } from "../internal/json.js";
import {
  checkFunction,
  checkOptionsObject,
  checkPositiveInteger,
  checkStore,
  checkString,
  MAX_TTL_MS,
  optionsError,
} from "../internal/options.js";
import { type Flight, ReadThrough, SingleFlight } from "../internal/read-through.js";
import type { CacheStore } from "../types.js";

/** Options of {@link cached}. */
export interface CachedOptions<A extends unknown[]> {
  /** Where results are kept. */
  store: CacheStore;
  /** How long a result stays fresh, in milliseconds. */
  ttlMs: number;
  /**
   * The cache key of a call (default: the canonical JSON of the arguments, so the order of
   * object keys does not matter). Keys are hashed before they reach the store.
   */
  key?: (...args: A) => string;
  /** Tags of a call's result, for {@link CachedFunction.invalidateTag}. */
  tags?: readonly string[] | ((...args: A) => readonly string[]);
  /**
   * Separates this function's entries from other cached functions on the same store
   * (default: the function's name; an anonymous function needs one).
   */
  name?: string;
}

/** The counters of a {@link CachedFunction}. */
export interface CachedStats {
  hits: number;
  misses: number;
  /** Calls that joined an identical call already in flight instead of running `fn`. */
  coalesced: number;
  /** Store failures (the store was bypassed). */
  errors: number;
  /** Corrupt entries found (treated as misses and deleted). */
  corrupt: number;
}

/** A cached async function, with invalidation. */
export interface CachedFunction<A extends unknown[], R> {
  (...args: A): Promise<R>;
  /** Drops the cached result for these arguments (an identical call in flight is not stored). */
  invalidate(...args: A): Promise<void>;
  /** Drops every result tagged `tag` — of this function and of any other on the same store. */
  invalidateTag(tag: string): Promise<void>;
  /** Hit/miss counters. */
  stats(): CachedStats;
}

const FACTORY = "cached";

/**
 * Caches an async function's results in a store for `ttlMs`, keyed by its arguments.
 * Single-flight: identical calls that arrive while one is running share that one call of `fn`
 * (100 concurrent identical misses run `fn` once). Errors are never cached, nor is `undefined`;
 * results must be JSON-serializable (a hit returns the JSON copy, so a `Date` comes back as a
 * string). If the store fails, `fn` is called directly.
 *
 * @example
 * import { cached } from "@mcpforge/cache";
 * import { memoryStore } from "@mcpforge/cache/memory";
 * const getUser = cached(async (id: string) => ({ id, name: `User ${id}` }), {
 *   store: memoryStore(),
 *   ttlMs: 30_000,
 *   tags: (id) => [`user:${id}`],
 * });
 * await getUser("42"); // calls the function
 * await getUser("42"); // from the cache
 * await getUser.invalidateTag("user:42");
 */
export function cached<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  options: CachedOptions<A>,
): CachedFunction<A, Awaited<R>> {
  if (typeof fn !== "function") throw optionsError(FACTORY, "needs a function to cache");
  if (options === undefined) throw optionsError(FACTORY, "needs { store, ttlMs }");
  const opts = checkOptionsObject(FACTORY, options);
  checkStore(FACTORY, "store", opts.store);
  if (opts.ttlMs === undefined) throw optionsError(FACTORY, "needs ttlMs");
  checkPositiveInteger(FACTORY, "ttlMs", opts.ttlMs, MAX_TTL_MS);
  checkFunction(FACTORY, "key", opts.key);
  if (
    opts.tags !== undefined &&
    typeof opts.tags !== "function" &&
    !(Array.isArray(opts.tags) && opts.tags.every((t) => typeof t === "string"))
  ) {
    throw optionsError(FACTORY, "tags must be an array of strings or a function returning one");
  }
  checkString(FACTORY, "name", opts.name, { nonEmpty: true });
  const name = opts.name ?? fn.name;
  if (!name) {
    throw optionsError(FACTORY, "an anonymous function needs options.name");
  }

  const { store, ttlMs } = opts;
  const generations = new Generations(store);
  const flights = new SingleFlight<Awaited<R>>();
  const counters: CachedStats = { hits: 0, misses: 0, coalesced: 0, errors: 0, corrupt: 0 };
  const reader = new ReadThrough({
    store,
    generations,
    ttlMs,
    counters,
    // A corrupt entry that cannot be deleted is not counted: the store was not bypassed.
    onStoreError: (_err, during) => {
      if (during !== "delete") counters.errors++;
    },
  });

  const keyFor = (args: A): string => {
    const userKey = opts.key ? opts.key(...args) : canonicalJson(args);
    return `mcpforge:fn:${sha256(canonicalJson([name, userKey]))}`;
  };
  const dependenciesFor = (args: A): string[] => {
    const tags = typeof opts.tags === "function" ? opts.tags(...args) : (opts.tags ?? []);
    return [...new Set(tags)].map((t) => `tag:${t}`);
  };

  const run = async (args: A, key: string, flight: Flight<Awaited<R>>): Promise<Awaited<R>> => {
    const dependencies = dependenciesFor(args);
    // A call invalidated while it ran is not stored; neither is undefined.
    const { value } = await reader.get(
      key,
      dependencies,
      async () => await fn(...args),
      (v) => !flight.stale && v !== undefined,
    );
    return value as Awaited<R>;
  };

  const call = (...args: A): Promise<Awaited<R>> => {
    let key: string;
    try {
      key = keyFor(args);
    } catch (err) {
      return Promise.reject(err);
    }
    const running = flights.running(key);
    if (running) {
      counters.coalesced++;
      return running;
    }
    return flights.start(key, (flight) => run(args, key, flight));
  };

  return Object.assign(call, {
    async invalidate(...args: A): Promise<void> {
      const key = keyFor(args);
      flights.drop(key);
      await store.delete(key);
    },
    async invalidateTag(tag: string): Promise<void> {
      if (typeof tag !== "string" || tag.length === 0) {
        throw new McpForgeError("invalid_params", "@mcpforge/cache: invalidateTag() needs a tag");
      }
      await generations.bump(`tag:${tag}`);
    },
    stats(): CachedStats {
      return { ...counters };
    },
  });
}
