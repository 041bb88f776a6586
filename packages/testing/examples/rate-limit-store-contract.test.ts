// A rate-limit store of your own, checked by the contract suite every store must pass.
import {
  type RateLimitDecisionLike,
  type RateLimitRuleLike,
  testRateLimitStore,
} from "@mcpforge/testing";

/** A small in-process store: a token bucket or a window counter per key. */
function mapRateLimitStore() {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async consume(key: string, rule: RateLimitRuleLike): Promise<RateLimitDecisionLike> {
      const now = Date.now();
      if (rule.algorithm === "token-bucket") {
        const last = buckets.get(key) ?? { tokens: rule.capacity, at: now };
        const refilled = last.tokens + ((now - last.at) / 1000) * rule.refillPerSecond;
        const tokens = Math.min(rule.capacity, refilled);
        if (tokens < 1) {
          buckets.set(key, { tokens, at: now });
          const retryAfterMs = Math.ceil(((1 - tokens) / rule.refillPerSecond) * 1000);
          return { allowed: false, remaining: 0, retryAfterMs };
        }
        buckets.set(key, { tokens: tokens - 1, at: now });
        return { allowed: true, remaining: Math.floor(tokens - 1), retryAfterMs: 0 };
      }
      const start = now - (now % rule.windowMs); // windows aligned on the clock
      const window = windows.get(key);
      const count = window?.start === start ? window.count : 0;
      if (count >= rule.limit) {
        return { allowed: false, remaining: 0, retryAfterMs: start + rule.windowMs - now };
      }
      windows.set(key, { start, count: count + 1 });
      return { allowed: true, remaining: rule.limit - count - 1, retryAfterMs: 0 };
    },
  };
}

testRateLimitStore("map", () => mapRateLimitStore());
