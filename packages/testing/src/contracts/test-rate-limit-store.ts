import { storeTracker, vitestFor } from "../internal/suite.js";

/** A rate-limit rule (the `RateLimitRule` of `@mcpforge/middleware/rate-limit`, structurally). */
export type RateLimitRuleLike =
  | { algorithm: "token-bucket"; capacity: number; refillPerSecond: number }
  | { algorithm: "fixed-window"; limit: number; windowMs: number };

/** A store's answer to one attempt (the `RateLimitDecision` of `@mcpforge/middleware`). */
export interface RateLimitDecisionLike {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
  failOpen?: boolean;
}

/**
 * The rate-limit store contract `testRateLimitStore` checks (the `RateLimitStore` of
 * `@mcpforge/middleware/rate-limit`, declared structurally here so that this package does not
 * depend on that one).
 */
export interface RateLimitStoreLike {
  consume(key: string, rule: RateLimitRuleLike): Promise<RateLimitDecisionLike>;
  connect?(): Promise<unknown>;
  close?(): Promise<void>;
}

/** Options of {@link testRateLimitStore}. */
export interface TestRateLimitStoreOptions {
  /** The refill period (one token) and window length the time-based checks use, in ms (default 250). */
  periodMs?: number;
  /** How long those checks wait past the moment an attempt should pass again (default 100 ms). */
  slackMs?: number;
  /** How many attempts the concurrency checks send at once (default 50). */
  concurrentConsumes?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token bucket that, within a test, does not refill (one token per 1000 s). */
const bucket = (capacity: number): RateLimitRuleLike => ({
  algorithm: "token-bucket",
  capacity,
  refillPerSecond: 0.001,
});

/** A fixed window that, within a test, does not end (one day). */
const dayWindow = (limit: number): RateLimitRuleLike => ({
  algorithm: "fixed-window",
  limit,
  windowMs: 86_400_000,
});

/**
 * The contract every rate-limit store must pass, as a vitest suite: a fresh key is allowed, a
 * token bucket runs out at its capacity and refills over time (never beyond its capacity), a
 * fixed window counts up to its limit and starts over in the next window, keys are independent,
 * concurrent attempts never admit more than the limit, and `close()` (when the store has one)
 * is idempotent with later attempts still answered. Every decision must come from the store
 * itself (`failOpen` unset). The time-based checks sleep for real, a few hundred milliseconds.
 * `factory` must build a fresh store each time it is called (e.g. with a random key prefix);
 * the suite closes every store it made.
 *
 * @example
 * // my-store.test.ts (a complete store: examples/rate-limit-store-contract.test.ts)
 * import { testRateLimitStore } from "@mcpforge/testing";
 * declare function myStore(options: { prefix: string }): RateLimitStoreLike; // the store under test
 * testRateLimitStore("my-store", () => myStore({ prefix: `test:${crypto.randomUUID()}:` }));
 */
export function testRateLimitStore(
  name: string,
  factory: () => RateLimitStoreLike | Promise<RateLimitStoreLike>,
  options: TestRateLimitStoreOptions = {},
): void {
  const stores = storeTracker("testRateLimitStore", factory);
  const { afterEach, describe, expect, it } = vitestFor("testRateLimitStore");
  const periodMs = options.periodMs ?? 250;
  const slackMs = options.slackMs ?? 100;
  const concurrent = options.concurrentConsumes ?? 50;
  const fresh = stores.fresh;

  /** One attempt, which the store itself must decide (no fail-open fallback). */
  const consume = async (store: RateLimitStoreLike, key: string, rule: RateLimitRuleLike) => {
    const decision = await store.consume(key, rule);
    expect(decision.failOpen, `${key}: decided by a fallback, not by the store`).not.toBe(true);
    return decision;
  };

  describe(`rate-limit store contract: ${name}`, () => {
    afterEach(async () => {
      for (const store of stores.takeOpen()) await store.close?.();
    });

    it("allows the first attempt of a fresh key", async () => {
      const { store } = await fresh();
      const allowed = { allowed: true, remaining: 4, retryAfterMs: 0 };
      expect(await consume(store, "fresh:bucket", bucket(5))).toMatchObject(allowed);
      expect(await consume(store, "fresh:window", dayWindow(5))).toMatchObject(allowed);
    });

    it("runs a token bucket out after its capacity, then refuses with a retry time", async () => {
      const { store } = await fresh();
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const d = await consume(store, "burst", bucket(5));
        expect(d.allowed, `attempt ${i + 1}`).toBe(true);
        remaining.push(d.remaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      for (let i = 0; i < 3; i++) {
        const refused = await consume(store, "burst", bucket(5));
        expect(refused).toMatchObject({ allowed: false, remaining: 0 });
        // One token per 1000 s: the next one is more than 0 and at most 1000 s away.
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000_000);
      }
    });

    it("refills a token bucket over time, never beyond its capacity", async () => {
      const { store } = await fresh();
      const rule: RateLimitRuleLike = {
        algorithm: "token-bucket",
        capacity: 2,
        refillPerSecond: 1000 / periodMs,
      };
      expect((await consume(store, "refill", rule)).allowed).toBe(true);
      expect((await consume(store, "refill", rule)).allowed).toBe(true);
      const refused = await consume(store, "refill", rule);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(periodMs);
      await sleep(refused.retryAfterMs + slackMs);
      expect((await consume(store, "refill", rule)).allowed).toBe(true);
      // Long enough for several tokens: the bucket still holds only `capacity` of them.
      await sleep(4 * periodMs + slackMs);
      const burst = [];
      for (let i = 0; i < 3; i++) burst.push((await consume(store, "refill", rule)).allowed);
      expect(burst).toEqual([true, true, false]);
    });

    it("counts a fixed window up to its limit and starts over in the next window", async () => {
      const { store } = await fresh();
      const rule: RateLimitRuleLike = { algorithm: "fixed-window", limit: 3, windowMs: periodMs };
      // Windows are aligned on the clock: if one ends while the limit is being used up, the
      // attempts were split over two windows, so try again with another key.
      let refused: RateLimitDecisionLike | undefined;
      let key = "";
      for (let attempt = 0; attempt < 8 && !refused; attempt++) {
        key = `window:${attempt}`;
        const remaining: number[] = [];
        for (let i = 0; i < 3; i++) {
          const d = await consume(store, key, rule);
          expect(d.allowed, `${key}: attempt ${i + 1} of a new key`).toBe(true);
          remaining.push(d.remaining);
        }
        const next = await consume(store, key, rule);
        if (next.allowed) continue;
        expect(remaining).toEqual([2, 1, 0]);
        refused = next;
      }
      if (!refused) throw new Error("the limit was never reached within one window");
      expect(refused).toMatchObject({ allowed: false, remaining: 0 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(periodMs);
      await sleep(refused.retryAfterMs + slackMs);
      expect(await consume(store, key, rule)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it("keeps keys independent, whatever characters they hold", async () => {
      const { store } = await fresh();
      const keys = ["a", "b", "a:b", "with space", "ünïcødé/✓", "star*?[glob]", "x".repeat(300)];
      for (const key of keys) {
        expect((await consume(store, key, bucket(1))).allowed, key).toBe(true);
      }
      for (const key of keys) {
        expect((await consume(store, key, bucket(1))).allowed, key).toBe(false);
      }
      expect((await consume(store, "c", bucket(1))).allowed).toBe(true);
    });

    it(`never admits more than the limit among ${concurrent} concurrent attempts`, async () => {
      const { store } = await fresh();
      const admitted = async (key: (i: number) => string, rule: RateLimitRuleLike) => {
        const all = Array.from({ length: concurrent }, (_v, i) => consume(store, key(i), rule));
        return (await Promise.all(all)).filter((d) => d.allowed).length;
      };
      expect(await admitted(() => "race:bucket", bucket(10))).toBe(10);
      expect(await admitted(() => "race:window", dayWindow(10))).toBe(10);
      // Five keys at once: at most three each.
      const perKey = await Promise.all(
        Array.from({ length: concurrent }, (_v, i) => consume(store, `race:${i % 5}`, bucket(3))),
      );
      for (let k = 0; k < 5; k++) {
        const mine = perKey.filter((_d, i) => i % 5 === k);
        const allowed = mine.filter((d) => d.allowed).length;
        expect(allowed, `race:${k}`).toBe(Math.min(3, mine.length));
      }
    });

    it("connects and closes idempotently; attempts after close() are still answered", async () => {
      const { store, markClosed } = await fresh();
      await store.connect?.();
      await store.connect?.();
      expect((await consume(store, "before", bucket(1))).allowed).toBe(true);
      if (!store.close) {
        // Nothing to release: the store simply keeps working.
        expect((await consume(store, "before", bucket(1))).allowed).toBe(false);
        return;
      }
      await store.close();
      markClosed();
      await store.close();
      // A closed store must not throw into a request; it still answers (it may fail open).
      const after = await store.consume("after", bucket(1));
      expect(typeof after.allowed).toBe("boolean");
      expect(after.retryAfterMs).toBeGreaterThanOrEqual(0);
    });
  });
}
