import { createServer, type ServerLogger } from "@mcpforge/core";
import { createTestClient, type TestClient } from "@mcpforge/testing";
import {
  connectRedis,
  deletePrefix,
  REDIS_URL,
  type RedisServer,
  randomPrefix,
  redisServer,
  requireRedis,
} from "@mcpforge/testing/redis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { CACHE_META_KEY, responseCache } from "../middleware/response-cache.js";
import { tieredStore } from "../tiered/tiered-store.js";
import { type RedisStore, redisStore } from "./redis-store.js";

interface Logged {
  level: "warn" | "info";
  msg: string;
  fields?: Record<string, unknown>;
}

function captureLogger(): Pick<ServerLogger, "warn" | "info"> & { lines: Logged[] } {
  const lines: Logged[] = [];
  return {
    lines,
    warn: (msg, fields) => lines.push({ level: "warn", msg, fields }),
    info: (msg, fields) => lines.push({ level: "info", msg, fields }),
  };
}

const silent: ServerLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** An app whose `square` tool counts origin calls, cached through `store`. */
function squareApp(store: RedisStore, originDelayMs = 0) {
  const calls = { count: 0 };
  const cache = responseCache({ store, ttlMs: 60_000, tools: ["square"] });
  const app = createServer({ name: "faults", version: "1.0.0", logger: silent });
  app.use(cache);
  app.tool(
    "square",
    { description: "Squares a number", input: { n: z.number() } },
    async ({ n }) => {
      calls.count++;
      if (originDelayMs) await new Promise((r) => setTimeout(r, originDelayMs));
      return { n, square: n * n };
    },
  );
  return { app, cache, calls };
}

const isHit = (result: { _meta?: Record<string, unknown> }) =>
  (result._meta?.[CACHE_META_KEY] as { hit?: boolean } | undefined)?.hit === true;

describe("Redis faults (a private redis-server the test starts and kills)", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const track = <T extends { close(): Promise<unknown> }>(x: T): T => {
    cleanup.push(() => x.close());
    return x;
  };
  const child = async (): Promise<RedisServer> => {
    const c = await redisServer();
    cleanup.push(() => c.stop());
    return c;
  };

  it("Redis down at startup: requests are served by the origin, one warning; it recovers by itself", async () => {
    const redis = await child(); // not started
    const log = captureLogger();
    const store = track(redisStore({ url: redis.url, logger: log, connectTimeoutMs: 500 }));
    const { app, calls, cache } = squareApp(store);
    const client: TestClient = track(await createTestClient(app));

    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const result = await client.callToolRaw("square", { n: 7 });
      expect(result.structuredContent).toEqual({ n: 7, square: 49 });
      expect(isHit(result)).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(calls.count).toBe(5);
    expect(cache.stats().hits).toBe(0);
    expect(store.stats()).toMatchObject({ available: false, hits: 0 });
    expect(store.stats().failedGets).toBeGreaterThan(0);
    expect(store.stats().skippedSets).toBeGreaterThan(0);
    const warnings = log.lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/unavailable/);

    // Redis comes up: the store reconnects on its own and the cache starts working.
    await redis.start();
    await expect
      .poll(
        async () => {
          const result = await client.callToolRaw("square", { n: 8 });
          return isHit(result);
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
    expect(store.stats().available).toBe(true);
    expect(log.lines.some((l) => l.level === "info" && /reachable again/.test(l.msg))).toBe(true);
    expect(log.lines.filter((l) => l.level === "warn")).toHaveLength(1);
  });

  it("Redis killed under load: every request is answered, bypassing the cache within the timeout", async () => {
    const redis = await child();
    await redis.start();
    const log = captureLogger();
    const store = track(redisStore({ url: redis.url, logger: log, commandTimeoutMs: 100 }));
    const { app, calls } = squareApp(store, 2);
    const client = track(await createTestClient(app));
    expect(await store.connect()).toBe(true);

    // Warm: n = 0..9 cached.
    for (let n = 0; n < 10; n++) await client.callToolRaw("square", { n });
    expect(isHit(await client.callToolRaw("square", { n: 3 }))).toBe(true);

    const durations: { ms: number; afterKill: boolean }[] = [];
    let killed = false;
    const one = async (n: number) => {
      const t = performance.now();
      const result = await client.callToolRaw("square", { n });
      durations.push({ ms: performance.now() - t, afterKill: killed });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ n, square: n * n });
    };
    const load = (async () => {
      for (let wave = 0; wave < 30; wave++) {
        await Promise.all(Array.from({ length: 20 }, (_v, i) => one((wave * 7 + i) % 15)));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await redis.stop("SIGKILL");
    killed = true;
    await load;

    const after = durations.filter((d) => d.afterKill);
    expect(after.length).toBeGreaterThan(100);
    // Each request makes at most three bounded Redis round trips (read, generation, write).
    expect(Math.max(...after.map((d) => d.ms))).toBeLessThan(750);
    expect(store.stats().available).toBe(false);
    expect(store.stats().errors).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    const originBefore = calls.count;
    await one(3);
    expect(calls.count).toBe(originBefore + 1); // the cache is bypassed, the origin answers

    // Restarted (empty: no persistence), the store reconnects and caches again.
    await redis.start();
    await expect
      .poll(async () => isHit(await client.callToolRaw("square", { n: 12 })), {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(true);
  });

  it("a tiered store stops using its memory tier when Redis dies, and resumes after", async () => {
    const redis = await child();
    await redis.start();
    const store = track(
      tieredStore({
        redis: redisStore({ url: redis.url, logger: captureLogger() }),
        memory: { maxEntries: 100 },
      }),
    );
    expect(await store.connect()).toBe(true);
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
    expect(store.stats().memoryHits).toBe(1);

    await redis.stop("SIGKILL");
    await expect.poll(() => store.stats().memoryActive).toBe(false);
    // Neither tier answers: a miss (the memory copy might be stale for all it knows).
    expect(await store.get("k")).toBeUndefined();

    await redis.start();
    await expect.poll(() => store.stats().memoryActive, { timeout: 10_000 }).toBe(true);
    await store.set("k2", "v2");
    expect(await store.get("k2")).toBe("v2");
    expect(store.stats().memoryHits).toBe(2);
  });
});

describe("corrupt cached responses", () => {
  beforeAll(() => requireRedis());

  it("a corrupt entry is a miss: the origin answers, and the entry is replaced", async () => {
    const prefix = randomPrefix("corrupt");
    const store = redisStore({ url: REDIS_URL, prefix, logger: captureLogger() });
    const { app, calls, cache } = squareApp(store);
    await using client = await createTestClient(app);
    const raw = await connectRedis();
    try {
      await client.callToolRaw("square", { n: 4 });
      expect(isHit(await client.callToolRaw("square", { n: 4 }))).toBe(true);
      const keys = (await raw.keys(`${prefix}mcpforge:rc:*`)) as string[];
      expect(keys).toHaveLength(1);
      for (const garbage of ['{"truncated', '{"valid":"json but not an entry"}']) {
        await raw.set(keys[0] as string, garbage);
        const before = calls.count;
        const result = await client.callToolRaw("square", { n: 4 });
        expect(result.structuredContent).toEqual({ n: 4, square: 16 });
        expect(isHit(result)).toBe(false);
        expect(calls.count).toBe(before + 1);
        expect(isHit(await client.callToolRaw("square", { n: 4 }))).toBe(true);
      }
      expect(store.stats().corrupt).toBe(1);
      expect(cache.stats().corrupt).toBe(1);
    } finally {
      raw.disconnect();
      await store.close();
      await deletePrefix(prefix);
    }
  });
});
