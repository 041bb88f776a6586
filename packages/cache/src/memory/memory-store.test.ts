import { isMcpForgeError } from "@mcpforge/core";
import { testCacheStore } from "@mcpforge/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStore } from "./memory-store.js";

testCacheStore("memory", () => memoryStore({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 }));

describe("memoryStore bounds", () => {
  it("evicts the least recently used entries beyond maxEntries, and counts them", async () => {
    const store = memoryStore({ maxEntries: 3 });
    await store.set("a", 1);
    await store.set("b", 2);
    await store.set("c", 3);
    expect(await store.get("a")).toBe(1); // a is now the most recently used
    await store.set("d", 4);
    expect(await store.has("b")).toBe(false);
    expect(await store.get("a")).toBe(1);
    expect(await store.get("c")).toBe(3);
    expect(await store.get("d")).toBe(4);
    await store.set("e", 5);
    await store.set("f", 6);
    expect(store.stats()).toMatchObject({ entries: 3, evictions: 3 });
  });

  it("evicts by bytes: the total of key + JSON sizes stays within maxBytes", async () => {
    const store = memoryStore({ maxEntries: 1000, maxBytes: 1000 });
    // Each entry: key "kN" (2 bytes) + a 200-character JSON string (202 bytes) = 204 bytes.
    const value = "x".repeat(200);
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, value);
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(1000);
    expect(stats.entries).toBe(4);
    expect(stats.evictions).toBe(6);
    // The most recent ones are kept.
    expect(await store.has("k9")).toBe(true);
    expect(await store.has("k0")).toBe(false);
  });

  it("counts multi-byte characters as UTF-8 bytes", async () => {
    const store = memoryStore({ maxBytes: 1000 });
    await store.set("k", "é".repeat(100)); // 200 bytes of UTF-8 plus quotes
    expect(store.stats().bytes).toBe(1 + 202);
  });

  it("does not keep a value larger than maxBytes, and drops the older one", async () => {
    const store = memoryStore({ maxBytes: 100 });
    await store.set("k", "small");
    await store.set("k", "y".repeat(500));
    expect(await store.get("k")).toBeUndefined();
    expect(store.stats()).toMatchObject({ oversized: 1, entries: 0 });
  });

  it("counts hits, misses, sets and deletes", async () => {
    const store = memoryStore();
    await store.set("a", 1);
    await store.get("a");
    await store.get("a");
    await store.get("nope");
    await store.delete("a");
    await store.delete("a");
    expect(store.stats()).toMatchObject({ hits: 2, misses: 1, sets: 1, deletes: 1, evictions: 0 });
  });
});

describe("memoryStore TTL (fake timers)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires entries exactly after their TTL on the clock it is given", async () => {
    vi.useFakeTimers();
    const store = memoryStore({ now: () => Date.now() });
    await store.set("k", "v", 1000);
    await store.set("other", "w", 5000);
    vi.advanceTimersByTime(999);
    expect(await store.get("k")).toBe("v");
    vi.advanceTimersByTime(2);
    expect(await store.get("k")).toBeUndefined();
    expect(await store.has("k")).toBe(false);
    expect(await store.get("other")).toBe("w");
    vi.advanceTimersByTime(5000);
    expect(await store.has("other")).toBe(false);
  });

  it("applies the store's default ttlMs to entries written without one", async () => {
    vi.useFakeTimers();
    const store = memoryStore({ ttlMs: 60_000, now: () => Date.now() });
    await store.set("default", 1);
    await store.set("own", 2, 120_000);
    vi.advanceTimersByTime(60_001);
    expect(await store.get("default")).toBeUndefined();
    expect(await store.get("own")).toBe(2);
  });

  it("does not count expired entries as evictions", async () => {
    vi.useFakeTimers();
    const store = memoryStore({ now: () => Date.now() });
    await store.set("k", 1, 10);
    vi.advanceTimersByTime(11);
    expect(await store.get("k")).toBeUndefined();
    expect(store.stats().evictions).toBe(0);
  });
});

describe("memoryStore options and misuse", () => {
  it.each([
    [{ maxEntries: 0 }, /maxEntries must be a positive integer/],
    [{ maxEntries: 1.5 }, /maxEntries/],
    [{ maxBytes: -1 }, /maxBytes/],
    [{ ttlMs: 0 }, /ttlMs/],
    [{ now: 5 }, /now must be a function/],
  ])("refuses %o", (options, message) => {
    expect(() => memoryStore(options as never)).toThrow(message);
    expect(() => memoryStore(options as never)).toThrow(/^@mcpforge\/cache: memoryStore\(\)/);
  });

  it("refuses options that are not an object", () => {
    expect(() => memoryStore("big" as never)).toThrow(/options must be an object/);
  });

  it("throws core's error for bad keys and TTLs at request time", async () => {
    const store = memoryStore();
    const err = await store.set("", 1).catch((e: unknown) => e);
    expect(isMcpForgeError(err)).toBe(true);
    await expect(store.set("k", 1, -5)).rejects.toThrow(/ttlMs must be a positive integer/);
    await expect(store.get(42 as never)).rejects.toThrow(/non-empty string/);
  });

  it("rejects with core's error once closed", async () => {
    const store = memoryStore();
    await store.close();
    const err = await store.get("k").catch((e: unknown) => e);
    expect(isMcpForgeError(err) && err.kind).toBe("unavailable");
  });
});
