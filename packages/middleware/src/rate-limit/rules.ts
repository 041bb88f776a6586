import { checkPositiveInteger, describeValue, optionsError } from "../internal/options.js";

/** A token bucket: up to `capacity` calls at once, refilled continuously at `refillPerSecond`. */
export interface TokenBucketRule {
  algorithm: "token-bucket";
  /** The most tokens the bucket holds: the largest burst (a positive integer). */
  capacity: number;
  /** Tokens added per second, fractions allowed (`0.5` is one call every two seconds). */
  refillPerSecond: number;
}

/** A fixed window: up to `limit` calls per window of `windowMs`, windows aligned on the clock. */
export interface FixedWindowRule {
  algorithm: "fixed-window";
  /** The most calls per window (a positive integer). */
  limit: number;
  /** The window length in milliseconds (a positive integer). */
  windowMs: number;
}

/** One rate limit: a token bucket or a fixed window. */
export type RateLimitRule = TokenBucketRule | FixedWindowRule;

/** The answer of a store to one attempt. */
export interface RateLimitDecision {
  /** Whether the call may go ahead (it was counted). */
  allowed: boolean;
  /** Calls still allowed right now under this rule (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until a call would be allowed again; 0 when allowed. */
  retryAfterMs: number;
  /** True when a fallback (not the shared store) decided, e.g. while Redis is unreachable. */
  failOpen?: boolean;
}

/** The longest accepted fixed window: one year. */
const MAX_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * Checks one rule given to a factory and returns a frozen copy.
 *
 * @example
 * const rule = checkRule("rateLimit", "global", { algorithm: "fixed-window", limit: 10, windowMs: 1000 });
 */
export function checkRule(factory: string, path: string, value: unknown): RateLimitRule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(factory, `${path} must be a rule object, got ${describeValue(value)}`);
  }
  const rule = value as Record<string, unknown>;
  const positiveInteger = (name: string, max?: number) => {
    const v = rule[name];
    // A rule's fields are required (the shared check lets undefined through).
    if (v === undefined) {
      throw optionsError(factory, `${path}.${name} must be a positive integer, got undefined`);
    }
    checkPositiveInteger(factory, `${path}.${name}`, v, max);
    return v as number;
  };
  if (rule.algorithm === "token-bucket") {
    const capacity = positiveInteger("capacity");
    const refill = rule.refillPerSecond;
    if (typeof refill !== "number" || !Number.isFinite(refill) || refill <= 0) {
      throw optionsError(
        factory,
        `${path}.refillPerSecond must be a finite number > 0, got ${describeValue(refill)}`,
      );
    }
    return Object.freeze({ algorithm: "token-bucket", capacity, refillPerSecond: refill });
  }
  if (rule.algorithm === "fixed-window") {
    const limit = positiveInteger("limit");
    const windowMs = positiveInteger("windowMs", MAX_WINDOW_MS);
    return Object.freeze({ algorithm: "fixed-window", limit, windowMs });
  }
  throw optionsError(
    factory,
    `${path}.algorithm must be "token-bucket" or "fixed-window", got ${describeValue(rule.algorithm)}`,
  );
}

/** The state a local limiter keeps per key. */
export type RuleState =
  | { algorithm: "token-bucket"; tokens: number; at: number; expiresAt: number }
  | { algorithm: "fixed-window"; window: number; count: number; expiresAt: number };

/**
 * One attempt against a rule's state at time `now` (ms): the decision, with the state updated
 * in place (`previous` itself when it is the rule's kind of state, else a new object). The
 * same arithmetic as the Redis scripts, for the memory store and the fail-open fallback.
 *
 * @example
 * const rule = checkRule("rateLimit", "global", { algorithm: "token-bucket", capacity: 10, refillPerSecond: 1 });
 * const first = step(rule, undefined, Date.now()); // first.decision.allowed: true
 * const second = step(rule, first.state, Date.now()); // second.state === first.state
 */
export function step(
  rule: RateLimitRule,
  previous: RuleState | undefined,
  now: number,
): { decision: RateLimitDecision; state: RuleState } {
  if (rule.algorithm === "token-bucket") {
    const { capacity, refillPerSecond } = rule;
    let tokens = capacity;
    let at = now;
    if (previous?.algorithm === "token-bucket") {
      tokens = previous.tokens;
      at = previous.at;
      if (now > at) {
        tokens = Math.min(capacity, tokens + ((now - at) * refillPerSecond) / 1000);
        at = now;
      }
    }
    let decision: RateLimitDecision;
    if (tokens >= 1) {
      tokens -= 1;
      decision = { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0 };
    } else {
      const retryAfterMs = Math.max(1, Math.ceil(((1 - tokens) * 1000) / refillPerSecond));
      decision = { allowed: false, remaining: 0, retryAfterMs };
    }
    const expiresAt = at + Math.ceil(((capacity - tokens) * 1000) / refillPerSecond);
    if (previous?.algorithm !== "token-bucket") {
      return { decision, state: { algorithm: "token-bucket", tokens, at, expiresAt } };
    }
    previous.tokens = tokens;
    previous.at = at;
    previous.expiresAt = expiresAt;
    return { decision, state: previous };
  }
  const { limit, windowMs } = rule;
  const window = Math.floor(now / windowMs);
  const end = (window + 1) * windowMs;
  const count =
    previous?.algorithm === "fixed-window" && previous.window === window ? previous.count : 0;
  const allowed = count < limit;
  const decision: RateLimitDecision = allowed
    ? { allowed: true, remaining: limit - count - 1, retryAfterMs: 0 }
    : { allowed: false, remaining: 0, retryAfterMs: Math.max(1, Math.ceil(end - now)) };
  const next = allowed ? count + 1 : count;
  if (previous?.algorithm !== "fixed-window") {
    return { decision, state: { algorithm: "fixed-window", window, count: next, expiresAt: end } };
  }
  previous.window = window;
  previous.count = next;
  previous.expiresAt = end;
  return { decision, state: previous };
}

/**
 * Where limiter state lives. `consume` counts one attempt of `key` under `rule` and must be
 * atomic per key (concurrent attempts never both take the last token).
 */
export interface RateLimitStore {
  /** Counts one attempt; resolves with the decision. */
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  /** Prepares the store (loads clients, connects); called once when the app starts. */
  connect?(): Promise<void>;
  /** Frees the store's resources (connections it opened). */
  close?(): Promise<void>;
}
