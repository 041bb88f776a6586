import { createServer, type Server, Socket } from "node:net";
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOptionChecks } from "../utils/option-checks.js";
import {
  checkRedisTarget,
  type RedisConnection,
  RedisTimeoutError,
  redisConnection,
  withRedisTimeout,
} from "./connection.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const target = new URL(REDIS_URL);

/** A TCP proxy in front of the real Redis that the test can cut and restore on the same port. */
async function redisProxy() {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    const s = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port || 6379), target.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on("close", () => sockets.delete(sock));
        sock.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => s.listen(port, "127.0.0.1", resolve));
    const address = s.address();
    if (address && typeof address === "object") port = address.port;
    server = s;
  };
  const down = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return { url: `redis://127.0.0.1:${port}`, up, down };
}

function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error("condition not met in time"));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

/** One PING through the connection, recording the outcome like a store does. */
async function ping(conn: RedisConnection): Promise<unknown> {
  const started = Date.now();
  try {
    const c = await conn.connect();
    const answer = await withRedisTimeout(c.call("PING"), 200);
    conn.recover(started);
    return answer;
  } catch (err) {
    conn.fail(err);
    return err;
  }
}

const open: RedisConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(`These tests need a real Redis at ${REDIS_URL}: ${(err as Error).message}`);
  } finally {
    probe.disconnect();
  }
});

describe("redisConnection", () => {
  it("opens its own client on first use, answers, and closes it", async () => {
    const ready: unknown[] = [];
    const conn = redisConnection({
      url: REDIS_URL,
      owner: "test",
      connectTimeoutMs: 1000,
      onReady: (c) => ready.push(c),
    });
    open.push(conn);
    expect(conn.client).toBeUndefined();
    expect(await ping(conn)).toBe("PONG");
    expect(conn.owned).toBeDefined();
    expect(conn.outage).toBeUndefined();
    expect(ready).toEqual([conn.owned]);
    const owned = conn.owned;
    await conn.close();
    expect(conn.closed).toBe(true);
    await until(() => owned?.status === "end");
  });

  it("uses a given client and leaves it open", async () => {
    const client = new Redis(REDIS_URL);
    try {
      const conn = redisConnection({ client, owner: "test", connectTimeoutMs: 1000 });
      expect(await ping(conn)).toBe("PONG");
      expect(conn.owned).toBeUndefined();
      await conn.close();
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  });

  it("fails fast when Redis is unreachable and reports the outage once", async () => {
    const proxy = await redisProxy();
    await proxy.down();
    const outages: unknown[] = [];
    const conn = redisConnection({
      url: proxy.url,
      owner: "test",
      connectTimeoutMs: 300,
      onOutage: (err) => outages.push(err),
    });
    open.push(conn);
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await ping(conn)).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outages).toHaveLength(1);
    expect(conn.outage?.failures).toBeGreaterThanOrEqual(5);
  });

  it("reconnects by itself and reports the recovery once", async () => {
    const proxy = await redisProxy();
    const events: string[] = [];
    const conn = redisConnection({
      url: proxy.url,
      owner: "test",
      connectTimeoutMs: 1000,
      onOutage: () => events.push("outage"),
      onRecovery: (o) => events.push(`recovery after ${o.failures > 0 ? "failures" : "none"}`),
    });
    open.push(conn);
    expect(await ping(conn)).toBe("PONG");
    await proxy.down();
    await until(() => conn.outage !== undefined);
    expect(await ping(conn)).toBeInstanceOf(Error);
    await proxy.up();
    await until(() => conn.outage === undefined);
    expect(await ping(conn)).toBe("PONG");
    expect(events).toEqual(["outage", "recovery after failures"]);
    await proxy.down();
  });

  it("an answer to a command sent before the outage does not end it", () => {
    const conn = redisConnection({ url: REDIS_URL, owner: "test", connectTimeoutMs: 100 });
    const before = Date.now() - 1000;
    conn.fail(new Error("down"));
    conn.recover(before);
    expect(conn.outage).toBeDefined();
    conn.recover();
    expect(conn.outage).toBeUndefined();
  });

  it("withRedisTimeout rejects late answers with RedisTimeoutError", async () => {
    const never = new Promise<never>(() => {});
    await expect(withRedisTimeout(never, 20)).rejects.toBeInstanceOf(RedisTimeoutError);
    await expect(withRedisTimeout(Promise.resolve(1), 20)).resolves.toBe(1);
  });
});

describe("checkRedisTarget", () => {
  const check = createOptionChecks("@acme/store");
  it.each([
    [{}, /needs exactly one of url and client/],
    [{ url: REDIS_URL, client: {} }, /needs exactly one of url and client/],
    [{ url: "http://x" }, /url must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ client: {} }, /client must be an ioredis client/],
  ])("refuses %j", (opts, message) => {
    expect(() => checkRedisTarget(check, "store", opts)).toThrow(message);
  });

  it("accepts a URL or a client", () => {
    expect(() => checkRedisTarget(check, "store", { url: "rediss://h:1/0" })).not.toThrow();
    expect(() => checkRedisTarget(check, "store", { client: { call() {} } })).not.toThrow();
  });
});
