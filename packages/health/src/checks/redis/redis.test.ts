import { redisConnection } from "@mcpforge/core/redis";
import { connectRedis, freePort, type RedisServer, redisServer } from "@mcpforge/testing/redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { entryOf, probedApp } from "../../test-utils/app.js";
import { httpGet, until } from "../../test-utils/http.js";
import { redisCheck } from "./redis.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await redisServer();
  await redis.start();
});
afterAll(() => redis.stop());

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  redis.resume();
  await redis.start();
  for (const close of closers.splice(0).reverse()) await close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("redisCheck() against a private redis-server", () => {
  it("killed → /readyz 503 within one check interval; restarted → ready again", async () => {
    const intervalMs = 300;
    const s = await probedApp({
      intervalMs,
      timeoutMs: 500,
      checks: { redis: redisCheck({ url: redis.url }) },
    });
    closers.push(s.close);
    const up = await httpGet(`${s.base}/readyz`);
    expect(up.status).toBe(200);
    expect(entryOf(up.body, "redis:responseTime")).toMatchObject({
      status: "pass",
      componentType: "datastore",
      observedUnit: "ms",
    });

    await redis.stop();
    await sleep(intervalMs); // the cached pass is now older than one interval
    const down = await httpGet(`${s.base}/readyz`);
    expect(down.status).toBe(503);
    expect(entryOf(down.body, "redis:responseTime")).toMatchObject({ status: "fail" });
    expect((await httpGet(`${s.base}/healthz`)).status).toBe(200); // liveness ignores Redis

    await redis.start();
    await until(async () => (await httpGet(`${s.base}/readyz`)).status === 200);
  });

  it("a hung Redis (SIGSTOP): the check times out and the probe still answers", async () => {
    const s = await probedApp({
      intervalMs: 0,
      timeoutMs: 200,
      checks: { redis: redisCheck({ url: redis.url }) },
    });
    closers.push(s.close);
    expect((await httpGet(`${s.base}/readyz`)).status).toBe(200);
    redis.pause();
    const hung = await httpGet(`${s.base}/readyz`, { timeoutMs: 10_000 });
    expect(hung.status).toBe(503);
    expect(entryOf(hung.body, "redis:responseTime")?.output).toMatch(/200 ms/);
    redis.resume();
    await until(async () => (await httpGet(`${s.base}/readyz`)).status === 200);
  });

  it("PINGs through the app's own connection helper or ioredis client", async () => {
    const connection = redisConnection({ url: redis.url, owner: "test", connectTimeoutMs: 1000 });
    const client = await connectRedis(redis.url);
    closers.push(async () => client.disconnect());
    closers.push(() => connection.close());
    const s = await probedApp({
      checks: {
        viaConnection: redisCheck({ connection }),
        viaClient: redisCheck({ client }),
      },
    });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`);
    expect(a.status).toBe(200);
    expect(entryOf(a.body, "viaConnection:responseTime")?.status).toBe("pass");
    expect(entryOf(a.body, "viaClient:responseTime")?.status).toBe("pass");
    await s.close();
    closers.pop();
    // The app's connection and client are the app's: closing the server leaves them open.
    expect(connection.closed).toBe(false);
    expect(await client.ping()).toBe("PONG");
  });

  it("never shows the URL's password when Redis is unreachable", async () => {
    const port = await freePort();
    const s = await probedApp({
      timeoutMs: 500,
      checks: { redis: redisCheck({ url: `redis://:hunter2@127.0.0.1:${port}` }) },
    });
    closers.push(s.close);
    const a = await httpGet(`${s.base}/readyz`);
    expect(a.status).toBe(503);
    expect(a.body).not.toContain("hunter2");
  });

  it("checks its options", () => {
    expect(() => redisCheck({})).toThrow(
      "@mcpforge/health: redisCheck(): needs exactly one of url and client",
    );
    expect(() => redisCheck({ url: "http://x" })).toThrow(/redis:\/\//);
  });
});
