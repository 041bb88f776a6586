import { storeTracker, vitestFor } from "../internal/suite.js";

/**
 * The cache store contract `testCacheStore` checks (the `CacheStore` of `@mcpforge/cache`,
 * declared structurally here so that this package does not depend on that one).
 */
export interface CacheStoreLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link testCacheStore}. */
export interface TestCacheStoreOptions {
  /** The short TTL the expiry checks use, in milliseconds (default 60). */
  ttlMs?: number;
  /** How long the expiry checks wait past that TTL (default 150 ms). */
  ttlSlackMs?: number;
  /** The size of the large value written, in bytes (default 512 KiB). */
  largeValueBytes?: number;
  /** How many writes the concurrency checks send at once (default 100). */
  concurrentSets?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SAMPLES: Record<string, unknown> = {
  string: "héllo wörld ✓",
  "empty string": "",
  integer: 42,
  zero: 0,
  negative: -3.25,
  true: true,
  false: false,
  null: null,
  "empty array": [],
  "empty object": {},
  array: [1, "two", { three: 3 }, [4], null],
  object: { nested: { deep: { list: [1, 2, 3], flag: false } }, text: "x", n: null },
};

/**
 * The contract every cache store must pass, as a vitest suite: JSON values round-trip, missing
 * keys read as `undefined`, TTLs expire, `delete`/`has`/`clear` behave, a write overwrites
 * (value and TTL), concurrent writes all land, large values round-trip, values are copies, and
 * `close()` is idempotent with later operations rejecting. `factory` must build a fresh,
 * empty store each time it is called (e.g. with a random key prefix); the suite clears and
 * closes every store it made.
 *
 * @example
 * // my-store.test.ts (a complete store: examples/cache-store-contract.test.ts)
 * import { testCacheStore } from "@mcpforge/testing";
 * declare function myStore(options: { prefix: string }): CacheStoreLike; // the store under test
 * testCacheStore("my-store", () => myStore({ prefix: `test:${crypto.randomUUID()}:` }));
 */
export function testCacheStore(
  name: string,
  factory: () => CacheStoreLike | Promise<CacheStoreLike>,
  options: TestCacheStoreOptions = {},
): void {
  const stores = storeTracker("testCacheStore", factory);
  const { afterEach, describe, expect, it } = vitestFor("testCacheStore");
  const ttlMs = options.ttlMs ?? 60;
  const slackMs = options.ttlSlackMs ?? 150;
  const largeBytes = options.largeValueBytes ?? 512 * 1024;
  const concurrent = options.concurrentSets ?? 100;
  const fresh = stores.fresh;

  describe(`cache store contract: ${name}`, () => {
    afterEach(async () => {
      for (const store of stores.takeOpen()) {
        await store.clear();
        await store.close();
      }
    });

    it("round-trips JSON values of every kind", async () => {
      const { store } = await fresh();
      for (const [label, value] of Object.entries(SAMPLES)) {
        await store.set(`sample:${label}`, value);
      }
      for (const [label, value] of Object.entries(SAMPLES)) {
        expect(await store.get(`sample:${label}`), label).toEqual(value);
        expect(await store.has(`sample:${label}`), label).toBe(true);
      }
    });

    it("accepts keys with unusual characters", async () => {
      const { store } = await fresh();
      const keys = ["a:b:c", "with space", "ünïcødé/✓", "star*?[glob]", "x".repeat(300)];
      for (const [i, key] of keys.entries()) await store.set(key, i);
      for (const [i, key] of keys.entries()) expect(await store.get(key), key).toBe(i);
    });

    it("reads missing keys as undefined", async () => {
      const { store } = await fresh();
      expect(await store.get("missing")).toBeUndefined();
      expect(await store.has("missing")).toBe(false);
      expect(await store.delete("missing")).toBe(false);
      await store.set("present", 1);
      expect(await store.get("present-not")).toBeUndefined();
    });

    it("expires entries after their TTL, and keeps entries without one", async () => {
      const { store } = await fresh();
      await store.set("short", { v: 1 }, ttlMs);
      await store.set("long", { v: 2 }, 60_000);
      await store.set("forever", { v: 3 });
      expect(await store.get("short")).toEqual({ v: 1 });
      expect(await store.has("short")).toBe(true);
      await sleep(ttlMs + slackMs);
      expect(await store.get("short")).toBeUndefined();
      expect(await store.has("short")).toBe(false);
      expect(await store.get("long")).toEqual({ v: 2 });
      expect(await store.get("forever")).toEqual({ v: 3 });
    });

    it("deletes single keys and reports whether they existed", async () => {
      const { store } = await fresh();
      await store.set("a", 1);
      await store.set("b", 2);
      expect(await store.delete("a")).toBe(true);
      expect(await store.delete("a")).toBe(false);
      expect(await store.has("a")).toBe(false);
      expect(await store.get("a")).toBeUndefined();
      expect(await store.get("b")).toBe(2);
    });

    it("clears every entry", async () => {
      const { store } = await fresh();
      for (let i = 0; i < 25; i++) await store.set(`k${i}`, i);
      await store.clear();
      for (let i = 0; i < 25; i++) expect(await store.has(`k${i}`)).toBe(false);
      await store.set("after", "clear");
      expect(await store.get("after")).toBe("clear");
    });

    it("overwrites values, and a write without a TTL replaces an earlier TTL", async () => {
      const { store } = await fresh();
      await store.set("k", "first");
      await store.set("k", { second: true });
      expect(await store.get("k")).toEqual({ second: true });
      await store.set("ttl", "short-lived", ttlMs);
      await store.set("ttl", "kept");
      await store.set("ttl2", "long-lived");
      await store.set("ttl2", "short-lived", ttlMs);
      await sleep(ttlMs + slackMs);
      expect(await store.get("ttl")).toBe("kept");
      expect(await store.get("ttl2")).toBeUndefined();
    });

    it(`lands ${concurrent} concurrent writes`, async () => {
      const { store } = await fresh();
      await Promise.all(
        Array.from({ length: concurrent }, (_v, i) => store.set(`c${i}`, { i, text: `v${i}` })),
      );
      const values = await Promise.all(
        Array.from({ length: concurrent }, (_v, i) => store.get(`c${i}`)),
      );
      expect(values).toEqual(Array.from({ length: concurrent }, (_v, i) => ({ i, text: `v${i}` })));
      // Concurrent writes to one key: one of them wins, intact.
      await Promise.all(Array.from({ length: 20 }, (_v, i) => store.set("same", { i })));
      const winner = (await store.get("same")) as { i: number };
      expect(winner.i).toBeGreaterThanOrEqual(0);
      expect(winner.i).toBeLessThan(20);
      expect(winner).toEqual({ i: winner.i });
    });

    it("round-trips large values", async () => {
      const { store } = await fresh();
      const text = "abcdefghij".repeat(Math.ceil(largeBytes / 10)).slice(0, largeBytes);
      const rows = Array.from({ length: 2000 }, (_v, i) => ({ id: i, name: `row ${i}`, ok: true }));
      await store.set("big-text", text);
      await store.set("big-rows", rows);
      expect(await store.get("big-text")).toBe(text);
      expect(await store.get("big-rows")).toEqual(rows);
    });

    it("gives back copies: changing a read value does not change the store", async () => {
      const { store } = await fresh();
      const value = { list: [1, 2], inner: { a: 1 } };
      await store.set("k", value);
      value.list.push(3);
      const first = (await store.get("k")) as { list: number[]; inner: { a: number } };
      expect(first).toEqual({ list: [1, 2], inner: { a: 1 } });
      first.inner.a = 99;
      expect(await store.get("k")).toEqual({ list: [1, 2], inner: { a: 1 } });
    });

    it("refuses values JSON cannot represent", async () => {
      const { store } = await fresh();
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(store.set("bad", undefined)).rejects.toThrow();
      await expect(store.set("bad", 10n)).rejects.toThrow();
      await expect(store.set("bad", cyclic)).rejects.toThrow();
      expect(await store.has("bad")).toBe(false);
    });

    it("closes idempotently; operations after close reject", async () => {
      const { store, markClosed } = await fresh();
      await store.set("k", 1);
      await store.clear();
      await store.close();
      markClosed();
      await store.close();
      await expect(store.get("k")).rejects.toThrow();
      await expect(store.set("k", 2)).rejects.toThrow();
    });
  });
}
