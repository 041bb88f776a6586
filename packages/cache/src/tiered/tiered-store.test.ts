import { testCacheStore } from "@mcpforge/testing";
import { deletePrefix, REDIS_URL, randomPrefix, requireRedis } from "@mcpforge/testing/redis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { memoryStore } from "../memory/memory-store.js";
import { redisStore } from "../redis/redis-store.js";
import { type TieredStore, tieredStore } from "./tiered-store.js";

const quiet = { warn() {}, info() {} };

beforeAll(() => requireRedis());

testCacheStore("tiered", async () => {
  const store = tieredStore({
    memory: { maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 },
    redis: { url: REDIS_URL, prefix: randomPrefix("tiered-contract"), logger: quiet },
  });
  await store.connect();
  return store;
});

/** Waits until `store` has received `count` invalidations from other instances. */
const delivered = (store: TieredStore, count: number) =>
  expect.poll(() => store.stats().invalidationsReceived).toBeGreaterThanOrEqual(count);

describe("tieredStore across instances", () => {
  const stores: TieredStore[] = [];
  const prefixes: string[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(prefixes.splice(0).map((p) => deletePrefix(p)));
  });

  /** Two instances sharing one Redis prefix, each with its own memory tier. */
  const pair = async () => {
    const prefix = randomPrefix("tiered");
    prefixes.push(prefix);
    const make = () =>
      tieredStore({
        memory: memoryStore({ maxEntries: 1000 }),
        redis: redisStore({ url: REDIS_URL, prefix, logger: quiet }),
      });
    const a = make();
    const b = make();
    stores.push(a, b);
    expect(await a.connect()).toBe(true);
    expect(await b.connect()).toBe(true);
    return { a, b };
  };

  it("serves repeated reads from memory, and a value set elsewhere from Redis", async () => {
    const { a, b } = await pair();
    await a.set("k", { v: 1 });
    await delivered(b, 1);
    expect(await b.get("k")).toEqual({ v: 1 }); // from Redis, copied into b's memory
    expect(await b.get("k")).toEqual({ v: 1 }); // from b's memory
    expect(b.stats()).toMatchObject({ redisHits: 1, memoryHits: 1 });
    expect(await a.get("k")).toEqual({ v: 1 });
    expect(a.stats().memoryHits).toBe(1);
  });

  it("a set on one instance drops the other's memory copy", async () => {
    const { a, b } = await pair();
    await a.set("k", "old");
    await delivered(b, 1);
    expect(await b.get("k")).toBe("old");
    expect(await b.memory.get("k")).toBe("old");
    await a.set("k", "new");
    await delivered(b, 2);
    expect(await b.memory.has("k")).toBe(false);
    expect(await b.get("k")).toBe("new");
  });

  it("a delete on one instance drops the other's memory copy", async () => {
    const { a, b } = await pair();
    await a.set("k", "v");
    await delivered(b, 1);
    expect(await b.get("k")).toBe("v");
    expect(await b.memory.has("k")).toBe(true);
    expect(await a.delete("k")).toBe(true);
    await delivered(b, 2);
    expect(await b.memory.has("k")).toBe(false);
    expect(await b.get("k")).toBeUndefined();
    expect(await b.has("k")).toBe(false);
  });

  it("a clear on one instance empties the other's memory tier", async () => {
    const { a, b } = await pair();
    for (let i = 0; i < 5; i++) await a.set(`k${i}`, i);
    await delivered(b, 5);
    for (let i = 0; i < 5; i++) expect(await b.get(`k${i}`)).toBe(i);
    expect(b.memory.stats?.()).toMatchObject({ entries: 5 });
    await a.clear();
    await delivered(b, 6);
    expect(b.memory.stats?.()).toMatchObject({ entries: 0 });
    for (let i = 0; i < 5; i++) expect(await b.get(`k${i}`)).toBeUndefined();
  });

  it("keeps the memory copy no longer than the Redis TTL", async () => {
    const { a, b } = await pair();
    // Generous times: the machine running the tests may be busy.
    await a.set("short", "v", 1_500);
    await delivered(b, 1);
    expect(await b.get("short")).toBe("v");
    expect(await b.memory.has("short")).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await b.get("short")).toBeUndefined();
    expect(await a.get("short")).toBeUndefined();
  });

  it("caps the memory copy at memoryTtlMs", async () => {
    const prefix = randomPrefix("tiered-cap");
    prefixes.push(prefix);
    const store = tieredStore({
      redis: redisStore({ url: REDIS_URL, prefix, logger: quiet }),
      memoryTtlMs: 50,
    });
    stores.push(store);
    await store.connect();
    await store.set("k", "v", 60_000);
    expect(await store.memory.get("k")).toBe("v");
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.memory.get("k")).toBeUndefined();
    expect(await store.get("k")).toBe("v"); // still in Redis
  });
});

describe("tieredStore options", () => {
  it.each([
    [undefined, /needs \{ redis \}/],
    [{}, /needs \{ redis \}/],
    [{ redis: 5 }, /redis must be a redisStore\(\) or redisStore options/],
    [{ redis: memoryStore() }, /needs pub\/sub/],
    [{ redis: { url: REDIS_URL }, memory: 3 }, /memory must be a CacheStore/],
    [{ redis: { url: REDIS_URL }, channel: "" }, /channel must be a non-empty string/],
    [{ redis: { url: REDIS_URL }, memoryTtlMs: 0 }, /memoryTtlMs/],
  ])("refuses %o", (options, message) => {
    expect(() => tieredStore(options as never)).toThrow(message);
  });
});
