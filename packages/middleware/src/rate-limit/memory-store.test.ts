import { testRateLimitStore } from "@mcpforge/testing";
import { describe, expect, it } from "vitest";
import { sleep } from "../test-utils/fixtures.js";
import { memoryRateLimitStore } from "./memory-store.js";
import type { FixedWindowRule, TokenBucketRule } from "./rules.js";

testRateLimitStore("memory", () => memoryRateLimitStore());

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const wallNow = () => performance.timeOrigin + performance.now();

/** Waits until a fixed window of `windowMs` has just begun (so a few calls land in one window). */
async function atWindowStart(windowMs: number): Promise<void> {
  await sleep(windowMs - (wallNow() % windowMs) + 2);
}

describe("memoryRateLimitStore: token bucket", () => {
  const rule: TokenBucketRule = { algorithm: "token-bucket", capacity: 3, refillPerSecond: 2 };

  it("allows a burst of capacity, then refuses with the time until the next token", async () => {
    const clock = manualClock();
    const store = memoryRateLimitStore({ now: clock.now });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store.consume("k", rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]?.retryAfterMs).toBe(500);
    expect(decisions.every((d) => d.failOpen === undefined)).toBe(true);
  });

  it("refills continuously, never above capacity", async () => {
    const clock = manualClock();
    const store = memoryRateLimitStore({ now: clock.now });
    for (let i = 0; i < 3; i++) await store.consume("k", rule);
    clock.advance(250); // half a token
    expect(await store.consume("k", rule)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 250,
    });
    clock.advance(250);
    expect((await store.consume("k", rule)).allowed).toBe(true);
    clock.advance(60_000); // far more than needed: back to capacity (3), not 120
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await store.consume("k", rule)).allowed);
    expect(after).toEqual([true, true, true, false]);
  });

  it("keeps keys apart", async () => {
    const store = memoryRateLimitStore({ now: manualClock().now });
    const one = { algorithm: "token-bucket", capacity: 1, refillPerSecond: 1 } as const;
    expect((await store.consume("a", one)).allowed).toBe(true);
    expect((await store.consume("a", one)).allowed).toBe(false);
    expect((await store.consume("b", one)).allowed).toBe(true);
  });

  it("refills with the real clock", async () => {
    const store = memoryRateLimitStore();
    const fast = { algorithm: "token-bucket", capacity: 2, refillPerSecond: 20 } as const;
    expect((await store.consume("k", fast)).allowed).toBe(true);
    expect((await store.consume("k", fast)).allowed).toBe(true);
    const refused = await store.consume("k", fast);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(50);
    await sleep(refused.retryAfterMs + 15);
    expect((await store.consume("k", fast)).allowed).toBe(true);
  });
});

describe("memoryRateLimitStore: fixed window", () => {
  const rule: FixedWindowRule = { algorithm: "fixed-window", limit: 2, windowMs: 1000 };

  it("allows limit calls per clock-aligned window and says when the window ends", async () => {
    const clock = manualClock(10_000); // a window boundary
    const store = memoryRateLimitStore({ now: clock.now });
    expect(await store.consume("k", rule)).toEqual({
      allowed: true,
      remaining: 1,
      retryAfterMs: 0,
    });
    clock.advance(100);
    expect((await store.consume("k", rule)).remaining).toBe(0);
    clock.advance(300);
    expect(await store.consume("k", rule)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 600,
    });
    clock.advance(599);
    expect((await store.consume("k", rule)).allowed).toBe(false);
    clock.advance(1); // 11_000: the next window
    expect((await store.consume("k", rule)).allowed).toBe(true);
    expect((await store.consume("k", rule)).allowed).toBe(true);
    expect((await store.consume("k", rule)).allowed).toBe(false);
  });

  it("resets at the next window with the real clock", async () => {
    const store = memoryRateLimitStore();
    const small = { algorithm: "fixed-window", limit: 2, windowMs: 300 } as const;
    await atWindowStart(300);
    expect((await store.consume("k", small)).allowed).toBe(true);
    expect((await store.consume("k", small)).allowed).toBe(true);
    const refused = await store.consume("k", small);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(300);
    await sleep(refused.retryAfterMs + 10);
    expect((await store.consume("k", small)).allowed).toBe(true);
  });
});

describe("memoryRateLimitStore: bounds", () => {
  it("never holds more than maxKeys, dropping the least recently used", async () => {
    const clock = manualClock();
    const store = memoryRateLimitStore({ maxKeys: 3, now: clock.now });
    const one = { algorithm: "fixed-window", limit: 1, windowMs: 60_000 } as const;
    for (const key of ["a", "b", "c"]) await store.consume(key, one);
    expect((await store.consume("a", one)).allowed).toBe(false); // "a" is now the most recent
    await store.consume("d", one); // evicts "b", the least recently used
    expect(store.size).toBe(3);
    expect((await store.consume("a", one)).allowed).toBe(false);
    expect((await store.consume("b", one)).allowed).toBe(true); // forgotten: a fresh budget
    expect(store.size).toBe(3);
  });

  it("keeps use order right when one key comes many times in a row (state updated in place)", async () => {
    const clock = manualClock();
    const store = memoryRateLimitStore({ maxKeys: 3, now: clock.now });
    const bucket = { algorithm: "token-bucket", capacity: 100, refillPerSecond: 1 } as const;
    for (const key of ["a", "b", "c", "c", "c"]) await store.consume(key, bucket);
    await store.consume("a", bucket); // "a" most recent, then "c"; "b" least recent
    for (let i = 0; i < 5; i++) await store.consume("a", bucket);
    await store.consume("d", bucket); // evicts "b"
    expect((await store.consume("c", bucket)).remaining).toBe(96); // kept: its 4th token
    expect((await store.consume("a", bucket)).remaining).toBe(92); // kept: its 8th token
    expect((await store.consume("b", bucket)).remaining).toBe(99); // forgotten: a fresh budget
    // The same key under a rule of the other algorithm starts that rule's state afresh.
    const window = { algorithm: "fixed-window", limit: 2, windowMs: 60_000 } as const;
    expect((await store.consume("b", window)).remaining).toBe(1);
    expect((await store.consume("b", window)).remaining).toBe(0);
    expect((await store.consume("b", window)).allowed).toBe(false);
    clock.advance(60_000);
    expect((await store.consume("b", window)).remaining).toBe(1); // the next window
    store.clear();
    expect(store.size).toBe(0);
    expect((await store.consume("b", window)).remaining).toBe(1);
  });

  it("purges expired entries: full buckets and past windows", async () => {
    const clock = manualClock(0);
    const store = memoryRateLimitStore({ now: clock.now });
    await store.consume("bucket", { algorithm: "token-bucket", capacity: 2, refillPerSecond: 1 });
    await store.consume("window", { algorithm: "fixed-window", limit: 5, windowMs: 5000 });
    expect(store.purge()).toBe(0);
    clock.advance(1000); // the bucket is full again
    expect(store.purge()).toBe(1);
    expect(store.size).toBe(1);
    clock.advance(4000); // the window is over
    expect(store.purge()).toBe(1);
    expect(store.size).toBe(0);
  });

  it("purges expired entries before evicting live ones when full", async () => {
    const clock = manualClock(0);
    const store = memoryRateLimitStore({ maxKeys: 2, now: clock.now });
    const short = { algorithm: "fixed-window", limit: 1, windowMs: 100 } as const;
    const long = { algorithm: "fixed-window", limit: 1, windowMs: 100_000 } as const;
    await store.consume("live", long);
    await store.consume("expiring", short);
    clock.advance(100);
    await store.consume("new", long); // "expiring" goes, "live" stays
    expect((await store.consume("live", long)).allowed).toBe(false);
    expect(store.size).toBe(2);
  });

  it("sweeps expired entries as time passes without filling up", async () => {
    const clock = manualClock(0);
    const store = memoryRateLimitStore({ now: clock.now });
    const short = { algorithm: "fixed-window", limit: 1, windowMs: 1000 } as const;
    for (let i = 0; i < 100; i++) await store.consume(`k${i}`, short);
    expect(store.size).toBe(100);
    clock.advance(61_000);
    await store.consume("late", short);
    expect(store.size).toBe(1);
  });

  it("validates its options", () => {
    expect(() => memoryRateLimitStore({ maxKeys: 0 })).toThrow(
      /^@mcpforge\/middleware: memoryRateLimitStore\(\): maxKeys must be a positive integer/,
    );
    expect(() => memoryRateLimitStore({ now: 5 as never })).toThrow(/now must be a function/);
    expect(() => memoryRateLimitStore("x" as never)).toThrow(/options must be an object/);
  });
});
