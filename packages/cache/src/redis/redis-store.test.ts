import { testCacheStore } from "@mcpforge/testing";
import { connectRedis, deletePrefix, REDIS_URL, randomPrefix } from "@mcpforge/testing/redis";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisStore, redisStore } from "./redis-store.js";

const quiet = { warn() {}, info() {} };

// Fails loudly without Redis; `raw` checks what the stores wrote.
let raw: Redis;
beforeAll(async () => {
  raw = await connectRedis();
});
afterAll(() => {
  raw?.disconnect();
});

testCacheStore("redis", () =>
  redisStore({ url: REDIS_URL, prefix: randomPrefix("contract"), logger: quiet }),
);

describe("redisStore on a real Redis", () => {
  const stores: RedisStore[] = [];
  const prefixes: string[] = [];
  const make = (extra: Partial<Parameters<typeof redisStore>[0]> = {}) => {
    const prefix = randomPrefix("redis");
    prefixes.push(prefix);
    const store = redisStore({ url: REDIS_URL, prefix, logger: quiet, ...extra });
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(prefixes.splice(0).map((p) => deletePrefix(p)));
  });

  it("writes JSON text under its prefix with a PX TTL", async () => {
    const store = make();
    await store.set("user:1", { name: "Ada" }, 30_000);
    expect(await raw.get(`${store.prefix}user:1`)).toBe('{"name":"Ada"}');
    const pttl = await raw.pttl(`${store.prefix}user:1`);
    expect(pttl).toBeGreaterThan(25_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    const withTtl = await store.getWithTtl("user:1");
    expect(withTtl?.value).toEqual({ name: "Ada" });
    expect(withTtl?.ttlMs).toBeGreaterThan(25_000);
    await store.set("plain", 1);
    expect(await store.getWithTtl("plain")).toEqual({ value: 1, ttlMs: undefined });
  });

  it("applies its default ttlMs", async () => {
    const store = make({ ttlMs: 10_000 });
    await store.set("k", 1);
    expect(await raw.pttl(`${store.prefix}k`)).toBeGreaterThan(5_000);
  });

  it("clear() removes only its own keys, even with glob characters in the prefix", async () => {
    const base = randomPrefix("glob");
    prefixes.push(base);
    const store = make({ prefix: `${base}a*[x]:` });
    const neighbour = `${base}ab:other`;
    await raw.set(neighbour, "keep");
    for (let i = 0; i < 1200; i++) await store.set(`k${i}`, i);
    await store.clear();
    expect(await store.has("k0")).toBe(false);
    expect(await store.has("k1199")).toBe(false);
    expect(await raw.get(neighbour)).toBe("keep");
  });

  it("treats a corrupt value as a miss and deletes it", async () => {
    const store = make();
    await raw.set(`${store.prefix}bad`, "{not json");
    expect(await store.get("bad")).toBeUndefined();
    await expect.poll(() => raw.exists(`${store.prefix}bad`)).toBe(0);
    // A key of another type is unreadable too.
    await raw.lpush(`${store.prefix}list`, "x");
    expect(await store.get("list")).toBeUndefined();
    await expect.poll(() => raw.exists(`${store.prefix}list`)).toBe(0);
    expect(store.stats()).toMatchObject({ corrupt: 2, misses: 2, errors: 0 });
  });

  it("works with a client you give it, and leaves that client open", async () => {
    const client = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const prefix = randomPrefix("client");
    prefixes.push(prefix);
    const store = redisStore({ client, prefix, logger: quiet });
    expect(await store.connect()).toBe(true);
    await store.set("k", [1, 2]);
    expect(await store.get("k")).toEqual([1, 2]);
    await store.close();
    expect(await client.ping()).toBe("PONG");
    client.disconnect();
  });

  it("publishes and subscribes on its own connection", async () => {
    const store = make();
    const channel = `${store.prefix}chan`;
    const received: string[] = [];
    const sub = store.subscribe(channel, { message: (m) => received.push(m) });
    expect(await sub.ready).toBe(true);
    expect(sub.active).toBe(true);
    expect(await store.publish(channel, "hello")).toBe(true);
    await expect.poll(() => received).toEqual(["hello"]);
    await sub.close();
    expect(sub.active).toBe(false);
  });

  it("counts hits, misses and sets", async () => {
    const store = make();
    await store.set("a", 1);
    await store.get("a");
    await store.get("b");
    expect(store.stats()).toMatchObject({
      hits: 1,
      misses: 1,
      sets: 1,
      errors: 0,
      available: true,
    });
  });
});

describe("redisStore options", () => {
  it.each([
    [undefined, /needs \{ url \} or \{ client \}/],
    [{}, /exactly one of url and client/],
    [{ url: "http://x" }, /redis:\/\/ or rediss:\/\//],
    [{ url: REDIS_URL, client: {} }, /exactly one/],
    [{ client: {} }, /client must be an ioredis client/],
    [{ url: REDIS_URL, prefix: "" }, /prefix must be a non-empty string/],
    [{ url: REDIS_URL, commandTimeoutMs: 0 }, /commandTimeoutMs/],
    [{ url: REDIS_URL, ttlMs: 1.5 }, /ttlMs/],
    [{ url: REDIS_URL, logger: {} }, /logger must have warn\(\) and info\(\)/],
  ])("refuses %o", (options, message) => {
    expect(() => redisStore(options as never)).toThrow(message);
    expect(() => redisStore(options as never)).toThrow(/^@mcpforge\/cache: redisStore\(\)/);
  });
});
