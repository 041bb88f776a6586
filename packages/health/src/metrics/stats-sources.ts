import { Counter, type Registry } from "prom-client";
import { CACHE_EVICTIONS, CACHE_REQUESTS, RATE_LIMIT_DECISIONS } from "./names.js";

/** Something that counts and reports its counters through `stats()`. */
export interface StatsSource<S> {
  stats(): S;
}

/** What a rate limiter reports (`rateLimit()` of `@mcpforge/middleware` fits). */
export interface RateLimitCounts {
  allowed: number;
  limited: number;
  failOpen?: number;
}

/**
 * What a cache reports (`responseCache()`, `cached()` and the stores of `@mcpforge/cache`
 * fit).
 */
export interface CacheCounts {
  hits: number;
  misses: number;
  evictions?: number;
}

/** Counters read from `stats()` at every scrape, by name. */
export interface StatsSources {
  /** Rate limiters by name: `mcpforge_rate_limit_decisions_total{limiter, decision}`. */
  rateLimiters?: Record<string, StatsSource<RateLimitCounts>>;
  /**
   * Caches by name: `mcpforge_cache_requests_total{cache, result="hit"|"miss"}` and
   * `mcpforge_cache_evictions_total{cache}`.
   */
  caches?: Record<string, StatsSource<CacheCounts>>;
}

/**
 * Registers counters that read the rate limiters' and caches' own counters at scrape time
 * (no dependency on the packages that keep them: anything with `stats()` fits).
 *
 * @example
 * import { Registry } from "prom-client";
 * const limiter = { stats: () => ({ allowed: 10, limited: 2 }) };
 * const cache = { stats: () => ({ hits: 5, misses: 1, evictions: 0 }) };
 * registerStatsSources(new Registry(), { rateLimiters: { global: limiter }, caches: { responses: cache } });
 */
export function registerStatsSources(registry: Registry, sources: StatsSources): void {
  const limiters = Object.entries(sources.rateLimiters ?? {});
  const caches = Object.entries(sources.caches ?? {});
  if (limiters.length > 0) {
    new Counter({
      name: RATE_LIMIT_DECISIONS,
      help: "Rate-limit decisions, by limiter and decision (allowed, limited, fail_open).",
      labelNames: ["limiter", "decision"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [limiter, source] of limiters) {
          const s = source.stats();
          this.inc({ limiter, decision: "allowed" }, s.allowed);
          this.inc({ limiter, decision: "limited" }, s.limited);
          if (s.failOpen !== undefined) this.inc({ limiter, decision: "fail_open" }, s.failOpen);
        }
      },
    });
  }
  if (caches.length > 0) {
    new Counter({
      name: CACHE_REQUESTS,
      help: "Cache lookups, by cache and result (hit, miss).",
      labelNames: ["cache", "result"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [cache, source] of caches) {
          const s = source.stats();
          this.inc({ cache, result: "hit" }, s.hits);
          this.inc({ cache, result: "miss" }, s.misses);
        }
      },
    });
    new Counter({
      name: CACHE_EVICTIONS,
      help: "Entries a cache evicted to stay within its bounds, by cache.",
      labelNames: ["cache"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [cache, source] of caches) {
          this.inc({ cache }, source.stats().evictions ?? 0);
        }
      },
    });
  }
}
