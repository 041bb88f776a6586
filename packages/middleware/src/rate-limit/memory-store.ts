import { checkFunction, checkOptionsObject, checkPositiveInteger } from "../internal/options.js";
import { consumeNow as consumeNowKey, type MaybeSyncStore } from "./internal/consume-now.js";
import {
  type RateLimitDecision,
  type RateLimitRule,
  type RateLimitStore,
  type RuleState,
  step,
} from "./rules.js";

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * The most keys kept (default 10,000). Expired entries are purged first; past the bound the
   * least recently used key is dropped, which gives that client a fresh budget.
   */
  maxKeys?: number;
  /** The clock in milliseconds since the epoch (default: `performance.timeOrigin + performance.now()`). */
  now?: () => number;
}

/** A store keeping limiter state in this process's memory. */
export interface MemoryRateLimitStore extends RateLimitStore {
  /** Keys currently held. */
  readonly size: number;
  /** Drops every entry whose state has fully recovered (a full bucket, a past window). */
  purge(): number;
  /** Drops every entry. */
  clear(): void;
}

const SWEEP_EVERY_MS = 60_000;

/** The process's time origin does not change: read it once (its getter is not free). */
const timeOrigin = performance.timeOrigin;
const defaultNow = () => timeOrigin + performance.now();

/**
 * A rate-limit store in process memory: a bounded map whose expired entries are purged.
 * Limits are per process; use `redisRateLimitStore` to share them between instances.
 *
 * @example
 * import { memoryRateLimitStore, rateLimit } from "@mcpforge/middleware/rate-limit";
 * app.use(rateLimit({ store: memoryRateLimitStore({ maxKeys: 50_000 }), perTool: { search: { algorithm: "fixed-window", limit: 30, windowMs: 60_000 } } }));
 */
export function memoryRateLimitStore(options?: MemoryRateLimitStoreOptions): MemoryRateLimitStore {
  const opts = checkOptionsObject("memoryRateLimitStore", options);
  checkPositiveInteger("memoryRateLimitStore", "maxKeys", opts.maxKeys);
  checkFunction("memoryRateLimitStore", "now", opts.now);
  const maxKeys = opts.maxKeys ?? 10_000;
  const now = opts.now ?? defaultNow;
  const entries = new Map<string, RuleState>();
  /** The key used last: already at the end of the map's use order. */
  let lastKey: string | undefined;
  let nextSweep = now() + SWEEP_EVERY_MS;

  const purgeAt = (t: number): number => {
    let dropped = 0;
    for (const [key, state] of entries) {
      if (state.expiresAt <= t) {
        entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  };

  const consumeNow = (key: string, rule: RateLimitRule): RateLimitDecision => {
    const t = now();
    if (t >= nextSweep) {
      purgeAt(t);
      nextSweep = t + SWEEP_EVERY_MS;
    }
    const previous = entries.get(key);
    if (previous === undefined && entries.size >= maxKeys) {
      purgeAt(t);
      // Still full: drop the least recently used keys (the map keeps use order).
      for (const oldest of entries.keys()) {
        if (entries.size < maxKeys) break;
        entries.delete(oldest);
      }
    }
    const { decision, state } = step(rule, previous, t);
    // The state is updated in place; the map is reordered (the key made most recent) only when
    // another key was used since: a client sending many requests in a row costs no reorder.
    if (state !== previous || key !== lastKey) {
      entries.delete(key);
      entries.set(key, state);
      lastKey = key;
    }
    return decision;
  };

  const store: MemoryRateLimitStore & MaybeSyncStore = {
    get size() {
      return entries.size;
    },
    consume: async (key, rule) => consumeNow(key, rule),
    purge: () => purgeAt(now()),
    clear: () => {
      entries.clear();
      lastKey = undefined;
    },
    [consumeNowKey]: consumeNow,
  };
  return store;
}
