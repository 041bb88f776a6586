import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, Socket } from "node:net";
import { Redis } from "ioredis";

/** The shared Redis every Redis test uses (a real server; the tests fail if it is absent). */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix no other test run uses. */
export function randomPrefix(label = "t"): string {
  return `mcpforge-test:${label}:${randomUUID()}:`;
}

/**
 * Fails loudly when the shared Redis does not answer: the Redis tests are never skipped.
 *
 * @example
 * beforeAll(requireRedis);
 */
export async function requireRedis(): Promise<void> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== "PONG") throw new Error(`unexpected PING answer ${pong}`);
  } catch (err) {
    throw new Error(
      `These tests need a real Redis at ${REDIS_URL} (set REDIS_URL): ${(err as Error).message}`,
    );
  } finally {
    client.disconnect();
  }
}

/**
 * A plain ioredis client on the shared Redis, for checking what a store wrote.
 *
 * @example
 * const raw = rawClient(); await raw.set("k", "v"); raw.disconnect();
 */
export function rawClient(url = REDIS_URL): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  return client;
}

/** Deletes every key under a prefix on the shared Redis. */
export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = rawClient(url);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

/** A private `redis-server` child process for fault tests. */
export interface RedisChild {
  readonly port: number;
  readonly url: string;
  /** Starts (or restarts) the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL by default) and waits until it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A private Redis server on a free port, without persistence, started and stopped by the test.
 *
 * @example
 * const redis = await redisChild(); await redis.start(); ... await redis.stop();
 */
export async function redisChild(port?: number): Promise<RedisChild> {
  const p = port ?? (await freePort());
  let child: ChildProcess | undefined;
  const child_ = {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    async start() {
      if (child) return;
      const proc = spawn(
        "redis-server",
        ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      child = proc;
      let failed: Error | undefined;
      proc.once("error", (err) => {
        failed = new Error(`could not start redis-server: ${err.message}`);
      });
      proc.once("exit", () => {
        if (child === proc) child = undefined;
      });
      const deadline = Date.now() + 10_000;
      while (!(await canConnect(p))) {
        if (failed) throw failed;
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${p}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      const proc = child;
      if (!proc) return;
      child = undefined;
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill(signal);
      });
    },
  };
  return child_;
}
