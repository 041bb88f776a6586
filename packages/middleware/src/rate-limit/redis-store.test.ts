// These tests use a real Redis (REDIS_URL, default redis://127.0.0.1:6379) and fail when it is
// absent; the outage test also starts its own redis-server child processes.
import { createServer } from "@mcpforge/core";
import { createTestClient, testMiddleware, testRateLimitStore, textOf } from "@mcpforge/testing";
import {
  connectRedis,
  deletePrefix,
  freePort,
  REDIS_URL,
  type RedisServer,
  randomPrefix,
  redisServer,
} from "@mcpforge/testing/redis";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordingLogger, silentLogger, sleep } from "../test-utils/fixtures.js";
import { rateLimit } from "./rate-limit.js";
import {
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
  redisRateLimitStore,
} from "./redis-store.js";
import type { RateLimitRule } from "./rules.js";
import { FIXED_WINDOW, TOKEN_BUCKET } from "./scripts.js";

const bucket = (capacity: number): RateLimitRule => ({
  algorithm: "token-bucket",
  capacity,
  refillPerSecond: 0.001,
});
/** A fixed window too long to end during a test (one day). */
const dayWindow = (limit: number): RateLimitRule => ({
  algorithm: "fixed-window",
  limit,
  windowMs: 86_400_000,
});

let admin: Redis;
let adminReady: Promise<Redis> | undefined;
const prefixes: string[] = [];
const stores: RedisRateLimitStore[] = [];

// Without Redis every test fails with the reason (a failing beforeAll would only skip them).
beforeEach(async () => {
  adminReady ??= connectRedis();
  admin = await adminReady;
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  const used = prefixes.splice(0);
  if (admin) for (const prefix of used) await deletePrefix(prefix);
});

afterAll(() => {
  admin?.disconnect();
});

/** A store on the shared test Redis under a fresh prefix (cleaned up after the test). */
function testStore(options: Partial<RedisRateLimitStoreOptions> = {}): RedisRateLimitStore {
  const prefix = options.prefix ?? randomPrefix("rate-limit");
  if (!prefixes.includes(prefix)) prefixes.push(prefix);
  const store = redisRateLimitStore({
    url: REDIS_URL,
    timeoutMs: 2000,
    logger: silentLogger,
    ...options,
    prefix,
  });
  stores.push(store);
  return store;
}

function appWith(store: RedisRateLimitStore, rules: Record<string, RateLimitRule>) {
  const limiter = rateLimit({ store, perTool: rules });
  const app = createServer({ name: "t", version: "1", logger: silentLogger }).use(limiter);
  let runs = 0;
  app.tool("search", { description: "Searches" }, () => {
    runs++;
    return "found";
  });
  return { app, limiter, runs: () => runs };
}

const outcome = (p: Promise<{ content?: unknown }>) =>
  p.then(
    (r) => textOf(r),
    (e: unknown) => (e instanceof McpError ? e.code : String(e)),
  );

// The shared contract, against the real Redis: a fresh prefix per store, deleted after each test.
testRateLimitStore("redis", () => {
  const prefix = randomPrefix("rate-limit-contract");
  prefixes.push(prefix);
  return redisRateLimitStore({ url: REDIS_URL, prefix, timeoutMs: 2000, logger: silentLogger });
});

testMiddleware("rateLimit with redisRateLimitStore", () => {
  const prefix = randomPrefix("rate-limit");
  prefixes.push(prefix);
  const store = redisRateLimitStore({
    url: REDIS_URL,
    prefix,
    timeoutMs: 2000,
    logger: silentLogger,
  });
  stores.push(store);
  return rateLimit({ store, global: bucket(500), perTool: { slow_echo: bucket(5) } });
});

describe("redisRateLimitStore semantics", () => {
  it("token bucket: a burst of capacity, then refusals with the time to the next token", async () => {
    const store = testStore();
    const rule: RateLimitRule = { algorithm: "token-bucket", capacity: 3, refillPerSecond: 2 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await store.consume("k", rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    const retry = decisions[3]?.retryAfterMs ?? 0;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(500);
    expect(decisions.every((d) => !d.failOpen)).toBe(true);
    await sleep(retry + 20);
    expect((await store.consume("k", rule)).allowed).toBe(true);
    expect((await store.consume("k", rule)).allowed).toBe(false);
  });

  it("token bucket state has a TTL and lives under the prefix", async () => {
    const prefix = randomPrefix("rate-limit");
    const store = testStore({ prefix });
    await store.consume("ttl", { algorithm: "token-bucket", capacity: 2, refillPerSecond: 1 });
    const ttl = await admin.pttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(2000); // (capacity - tokens) / rate + 1 s
    expect(await admin.hget(`${prefix}ttl`, "tokens")).toBe("1");
  });

  it("fixed window: limit per window aligned on Redis' clock, then the window reopens", async () => {
    const store = testStore();
    const windowMs = 400;
    const rule: RateLimitRule = { algorithm: "fixed-window", limit: 2, windowMs };
    const [s, us] = await admin.time();
    const redisNow = Number(s) * 1000 + Math.floor(Number(us) / 1000);
    await sleep(windowMs - (redisNow % windowMs) + 5); // start at the beginning of a window
    expect(await store.consume("k", rule)).toEqual({
      allowed: true,
      remaining: 1,
      retryAfterMs: 0,
    });
    expect(await store.consume("k", rule)).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    });
    const refused = await store.consume("k", rule);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(windowMs);
    await sleep(refused.retryAfterMs + 10);
    expect((await store.consume("k", rule)).allowed).toBe(true);
  });

  it("fixed window: a long window keeps refusing with the time left", async () => {
    const store = testStore();
    for (let i = 0; i < 3; i++) expect((await store.consume("w", dayWindow(3))).allowed).toBe(true);
    const refused = await store.consume("w", dayWindow(3));
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(86_400_000);
  });
});

describe("redisRateLimitStore shared limits", () => {
  it("100 parallel calls against a limit of 10 allow exactly 10", async () => {
    const { app, limiter, runs } = appWith(testStore(), { search: bucket(10) });
    await using client = await createTestClient(app);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => outcome(client.callToolRaw("search", {}))),
    );
    expect(outcomes.filter((o) => o === "found")).toHaveLength(10);
    expect(outcomes.filter((o) => o === -32029)).toHaveLength(90);
    expect(runs()).toBe(10);
    expect(limiter.stats()).toEqual({ allowed: 10, limited: 90, failOpen: 0 });
  });

  it("two server instances sharing one Redis allow exactly 10 in total", async () => {
    const prefix = randomPrefix("rate-limit");
    const one = appWith(testStore({ prefix }), { search: dayWindow(10) });
    const two = appWith(testStore({ prefix }), { search: dayWindow(10) });
    await using clientOne = await createTestClient(one.app);
    await using clientTwo = await createTestClient(two.app);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_v, i) =>
        outcome((i % 2 === 0 ? clientOne : clientTwo).callToolRaw("search", {})),
      ),
    );
    expect(outcomes.filter((o) => o === "found")).toHaveLength(10);
    expect(outcomes.filter((o) => o === -32029)).toHaveLength(90);
    expect(one.runs() + two.runs()).toBe(10);
    const [a, b] = [one.limiter.stats(), two.limiter.stats()];
    expect(a.allowed + a.limited).toBe(50); // each instance decided its own 50 calls
    expect(b.allowed + b.limited).toBe(50);
    expect(a.allowed + b.allowed).toBe(10);
    expect(a.failOpen + b.failOpen).toBe(0);
  });

  it("accepts an ioredis client it neither configures nor closes", async () => {
    const client = new Redis(REDIS_URL);
    try {
      const store = testStore({ url: undefined, client });
      const { app } = appWith(store, { search: bucket(1) });
      await using mcp = await createTestClient(app);
      expect(await mcp.callTool("search")).toBe("found");
      expect(await outcome(mcp.callToolRaw("search", {}))).toBe(-32029);
      await store.close();
      expect(client.status).toBe("ready");
    } finally {
      client.disconnect();
    }
  });
});

describe("redisRateLimitStore without Redis (fail open)", () => {
  it("falls back to a memory limiter with the same limits when Redis is unreachable from the start", async () => {
    const port = await freePort(); // nothing listens there
    const logger = recordingLogger();
    const store = redisRateLimitStore({
      url: `redis://127.0.0.1:${port}`,
      logger,
      connectTimeoutMs: 500,
    });
    stores.push(store);
    const { app, limiter } = appWith(store, { search: bucket(3) });
    await using client = await createTestClient(app);
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await outcome(client.callToolRaw("search", {})));
    expect(outcomes).toEqual(["found", "found", "found", -32029, -32029]);
    expect(store.failingOpen).toBe(true);
    expect(limiter.stats()).toEqual({ allowed: 3, limited: 2, failOpen: 5 });
    const warnings = logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/failing open/);
  });

  it("keeps answering when Redis goes away, logs once, and resumes shared limits when it is back", async () => {
    const redis: RedisServer = await redisServer();
    await redis.start();
    try {
      const logger = recordingLogger();
      const store = redisRateLimitStore({ url: redis.url, timeoutMs: 200, logger });
      stores.push(store);
      const { app, limiter } = appWith(store, { search: bucket(5) });
      await using client = await createTestClient(app);
      const call = () => outcome(client.callToolRaw("search", {}));

      // 1. Redis up: limits come from Redis.
      for (let i = 0; i < 5; i++) expect(await call()).toBe("found");
      expect(await call()).toBe(-32029);
      expect(limiter.stats()).toEqual({ allowed: 5, limited: 1, failOpen: 0 });

      // 2. Redis gone: every call is still answered, by the local fallback.
      await redis.stop();
      const during = [];
      for (let i = 0; i < 8; i++) during.push(await call());
      expect(during).toEqual(["found", "found", "found", "found", "found", -32029, -32029, -32029]);
      expect(store.failingOpen).toBe(true);
      expect(limiter.stats().failOpen).toBe(8);
      expect(logger.entries.filter((e) => e.level === "warn")).toHaveLength(1);

      // 3. Redis back on the same port (empty): ioredis reconnects and limiting resumes there.
      await redis.start();
      let probes = 0;
      for (;;) {
        const before = limiter.stats().failOpen;
        await call();
        probes++;
        if (limiter.stats().failOpen === before) break; // decided by Redis
        if (probes > 200) throw new Error("limiting did not resume on Redis");
        await sleep(50);
      }
      expect(store.failingOpen).toBe(false);
      // The call that reached Redis took 1 of the 5 tokens of the fresh bucket.
      for (let i = 0; i < 4; i++) expect(await call()).toBe("found");
      expect(await call()).toBe(-32029);
      const failOpen = limiter.stats().failOpen;
      expect(await call()).toBe(-32029);
      expect(limiter.stats().failOpen).toBe(failOpen);
      expect(logger.entries.filter((e) => e.level === "warn")).toHaveLength(1);
      const recovered = logger.entries.filter((e) => e.level === "info");
      expect(recovered).toHaveLength(1);
      expect(recovered[0]?.msg).toMatch(/reachable again/);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("a frozen Redis (SIGSTOP) costs one timeout, then decisions fail open at once; SIGCONT resumes shared limits", async () => {
    const redis: RedisServer = await redisServer();
    await redis.start();
    try {
      const store = redisRateLimitStore({ url: redis.url, timeoutMs: 100, logger: silentLogger });
      stores.push(store);
      await store.connect();
      const rule = bucket(1000);
      expect((await store.consume("k", rule)).failOpen).toBeUndefined();
      redis.pause();
      const first = performance.now();
      expect((await store.consume("k", rule)).failOpen).toBe(true); // paid the 100 ms timeout
      const firstMs = performance.now() - first;
      expect(firstMs).toBeGreaterThanOrEqual(90);
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        const decision = await store.consume("k", rule);
        times.push(performance.now() - t);
        expect(decision.failOpen).toBe(true);
      }
      times.sort((a, b) => a - b);
      // At most one probe per 500 ms pays the timeout; everything else bypasses Redis.
      expect(times[Math.floor(times.length * 0.99)]).toBeLessThan(50);
      redis.resume();
      let resumed = false;
      for (let i = 0; i < 100 && !resumed; i++) {
        resumed = (await store.consume("k", rule)).failOpen === undefined;
        if (!resumed) await sleep(50);
      }
      expect(resumed).toBe(true);
    } finally {
      redis.resume();
      await redis.stop();
    }
  }, 30_000);

  it("falls back from EVALSHA to EVAL when Redis lost its script cache", async () => {
    const redis = await redisServer();
    await redis.start();
    const direct = await connectRedis(redis.url);
    try {
      const store = redisRateLimitStore({ url: redis.url, timeoutMs: 2000, logger: silentLogger });
      stores.push(store);
      await store.connect();
      expect((await store.consume("a", bucket(2))).allowed).toBe(true);
      expect((await store.consume("b", dayWindow(2))).allowed).toBe(true);
      await direct.script("FLUSH");
      expect(await direct.script("EXISTS", TOKEN_BUCKET.sha, FIXED_WINDOW.sha)).toEqual([0, 0]);
      const a = await store.consume("a", bucket(2));
      const b = await store.consume("b", dayWindow(2));
      expect([a.allowed, a.failOpen, b.allowed, b.failOpen]).toEqual([
        true,
        undefined,
        true,
        undefined,
      ]);
      expect(await direct.script("EXISTS", TOKEN_BUCKET.sha, FIXED_WINDOW.sha)).toEqual([1, 1]);
      expect((await store.consume("a", bucket(2))).allowed).toBe(false);
    } finally {
      direct.disconnect();
      await redis.stop();
    }
  });
});

describe("redisRateLimitStore options", () => {
  it("validates them when called", () => {
    const prefix = /^@mcpforge\/middleware: redisRateLimitStore\(\): /;
    expect(() => redisRateLimitStore(undefined as never)).toThrow(prefix);
    expect(() => redisRateLimitStore({})).toThrow(/exactly one of url and client/);
    expect(() => redisRateLimitStore({ url: REDIS_URL, client: {} as never })).toThrow(
      /exactly one/,
    );
    expect(() => redisRateLimitStore({ url: "http://x" })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => redisRateLimitStore({ client: {} as never })).toThrow(
      /client must be an ioredis client/,
    );
    expect(() => redisRateLimitStore({ url: REDIS_URL, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => redisRateLimitStore({ url: REDIS_URL, prefix: 3 as never })).toThrow(/prefix/);
    expect(() => redisRateLimitStore({ url: REDIS_URL, logger: {} as never })).toThrow(/logger/);
  });
});
