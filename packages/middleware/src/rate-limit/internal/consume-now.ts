import type { RateLimitDecision, RateLimitRule } from "../rules.js";

/**
 * The synchronous `consume` of a store that decides in process memory: `rateLimit()` calls it
 * instead of `consume()` when present, so a request pays for no promise.
 *
 * @example
 * import type { RateLimitDecision } from "../rules.js";
 * const decide = (): RateLimitDecision => ({ allowed: true, remaining: 9, retryAfterMs: 0 });
 * const store = { consume: async () => decide(), [consumeNow]: decide };
 */
export const consumeNow: unique symbol = Symbol("@mcpforge/middleware.rateLimit.consumeNow");

/** A store that may decide synchronously. */
export interface MaybeSyncStore {
  [consumeNow]?: (key: string, rule: RateLimitRule) => RateLimitDecision;
}
