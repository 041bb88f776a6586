import { createServer, type ServerLogger } from "@mcpforge/core";
import { createTestClient } from "@mcpforge/testing";
import { type RedisServer, randomPrefix, redisServer } from "@mcpforge/testing/redis";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { cached } from "../cached/cached.js";
import { responseCache } from "../middleware/response-cache.js";
import { tieredStore } from "../tiered/tiered-store.js";
import { redisStore } from "./redis-store.js";

const silent: ServerLogger = { debug() {}, info() {}, warn() {}, error() {} };
/** The bound each call must keep once the circuit is open (generous for a loaded CI machine). */
const BYPASS_BOUND_MS = 50;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe("a frozen Redis (SIGSTOP: sockets open, no answers)", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const server = async (): Promise<RedisServer> => {
    const s = await redisServer();
    cleanup.push(() => s.stop());
    await s.start();
    return s;
  };

  it("cached(): after a few timeouts the circuit opens and calls bypass Redis at once; it recovers after SIGCONT", async () => {
    const redis = await server();
    const store = redisStore({ url: redis.url, prefix: randomPrefix("frozen"), logger: silent });
    cleanup.push(() => store.close());
    expect(await store.connect()).toBe(true);
    let origin = 0;
    const lookup = cached(
      async (id: number) => {
        origin++;
        return { id };
      },
      { store, ttlMs: 60_000, name: "lookup" },
    );
    await lookup(1);
    expect(store.stats().circuit.state).toBe("closed");

    redis.pause();
    const warmup: number[] = [];
    for (let i = 0; i < 3; i++) warmup.push((await timed(() => lookup(100 + i))).ms);
    expect(store.stats().circuit).toMatchObject({ state: "open", opens: 1 });
    const frozen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { value, ms } = await timed(() => lookup(1000 + i));
      expect(value).toEqual({ id: 1000 + i }); // answered by the origin
      frozen.push(ms);
    }
    expect(percentile(frozen, 99)).toBeLessThan(BYPASS_BOUND_MS);
    const stats = store.stats();
    expect(stats.bypassed).toBeGreaterThan(300); // each call: a get and a set, both bypassed
    expect(stats.errors).toBeGreaterThanOrEqual(stats.bypassed);

    redis.resume();
    await expect
      .poll(
        async () => {
          await lookup(1);
          return store.stats().circuit.state;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe("closed");
    const before = origin;
    await lookup(5000);
    await lookup(5000);
    expect(origin).toBe(before + 1); // caching works again
    expect(store.stats().circuit.closes).toBeGreaterThanOrEqual(1);
  });

  it("responseCache over a tiered store: calls stay fast while frozen and stats().errors shows the trouble", async () => {
    const redis = await server();
    const store = tieredStore({
      redis: { url: redis.url, prefix: randomPrefix("frozen-tiered"), logger: silent },
      memory: { maxEntries: 100 },
    });
    cleanup.push(() => store.close());
    await store.connect();
    const cache = responseCache({ store, ttlMs: 60_000, tools: ["square"] });
    const app = createServer({ name: "frozen", version: "1.0.0", logger: silent });
    app.use(cache);
    app.tool("square", { description: "Squares", input: { n: z.number() } }, ({ n }) => ({
      sq: n * n,
    }));
    await using client = await createTestClient(app);
    await client.callTool("square", { n: 1 });

    redis.pause();
    for (let i = 0; i < 5; i++) await client.callTool("square", { n: 10 + i });
    const frozen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { value, ms } = await timed(() => client.callTool("square", { n: 100 + i }));
      expect(value).toEqual({ sq: (100 + i) ** 2 });
      frozen.push(ms);
    }
    expect(percentile(frozen, 99)).toBeLessThan(BYPASS_BOUND_MS);
    expect(cache.stats().errors).toBeGreaterThan(0);
    redis.resume();
  });
});
