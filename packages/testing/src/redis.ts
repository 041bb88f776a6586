/// <reference types="node" preserve="true" />
// Helpers for tests against a real Redis: the shared test server and private redis-server children.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, Socket } from "node:net";
import { Redis } from "ioredis";

/**
 * The Redis the tests use: `REDIS_URL` from the environment, else `redis://127.0.0.1:6379`.
 *
 * @example
 * const redis = await connectRedis(REDIS_URL); // what requireRedis() and deletePrefix() use by default
 */
export const REDIS_URL: string = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Connects an ioredis client to `url` and checks it answers PING, or throws a loud error.
 *
 * The client does not reconnect or queue commands: a test sees a lost connection at once.
 *
 * @example
 * const redis = await connectRedis();
 * try { await redis.set("k", "v"); } finally { redis.disconnect(); }
 */
export async function connectRedis(url: string = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  client.on("error", (err: Error) => {
    cause ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(
      `These tests need a running Redis at ${url} (set REDIS_URL to use another one): ${(cause ?? (err as Error)).message}`,
    );
  }
  return client;
}

/**
 * Fails loudly when Redis at `url` does not answer PING: Redis tests are never skipped.
 *
 * @example
 * beforeAll(() => requireRedis());
 */
export async function requireRedis(url: string = REDIS_URL): Promise<void> {
  (await connectRedis(url)).disconnect();
}

/**
 * A key prefix no other test or test run uses: `mcpforge-test:<label>:<uuid>:`.
 *
 * @example
 * const prefix = randomPrefix("tiered"); // "mcpforge-test:tiered:0b5e…:"
 */
export function randomPrefix(label = "test"): string {
  return `mcpforge-test:${label}:${randomUUID()}:`;
}

/**
 * Deletes every key that starts with `prefix` on the Redis at `url`; returns how many there were.
 *
 * @example
 * const prefix = randomPrefix("example");
 * afterEach(() => deletePrefix(prefix));
 */
export async function deletePrefix(prefix: string, url: string = REDIS_URL): Promise<number> {
  if (typeof prefix !== "string" || prefix === "") {
    throw new Error("deletePrefix() needs a non-empty prefix (it would delete every key)");
  }
  const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
  const client = await connectRedis(url);
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
  return deleted;
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now.
 *
 * @example
 * const url = `redis://127.0.0.1:${await freePort()}`; // a Redis that is not there
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("freePort(): no port assigned");
  return address.port;
}

/**
 * A private `redis-server` child process of the test (see {@link redisServer}).
 *
 * @example
 * const redis: RedisServer = await redisServer();
 */
export interface RedisServer {
  /** The port it listens on (the same after a restart). */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Starts it (empty: nothing is persisted) and waits until it answers PING; no-op if running. */
  start(): Promise<void>;
  /** Kills it (SIGKILL by default) and waits until it has exited; no-op if not running. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes it with SIGSTOP: its sockets stay open but it answers nothing (a hung Redis). */
  pause(): void;
  /** Thaws a paused server with SIGCONT. */
  resume(): void;
}

/** PINGs 127.0.0.1:`port`: true on +PONG, false on another answer, undefined when refused. */
function ping(port: number): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = "";
    const done = (answer: boolean | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(reply === "" ? undefined : false));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
  });
}

/**
 * A private Redis on a free port (or `port`), not started yet: the test starts and kills it.
 *
 * It runs `redis-server` from PATH without persistence; `start()` throws a clear error when
 * redis-server cannot be run or exits before it answers.
 *
 * @example
 * const redis = await redisServer();
 * await redis.start();
 * try {
 *   const client = await connectRedis(redis.url);
 *   client.disconnect();
 *   await redis.stop(); // an outage: what talks to redis.url must cope
 * } finally {
 *   await redis.stop();
 * }
 */
export async function redisServer(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort());
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`redisServer(): bad port ${p}`);
  let child: ChildProcess | undefined;
  return {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    async start() {
      if (child) return;
      if ((await ping(p)) !== undefined) {
        throw new Error(`redis-server cannot start: port ${p} is already in use`);
      }
      const args = ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
      const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-2000);
      };
      proc.stdout?.on("data", keep);
      proc.stderr?.on("data", keep);
      // A test that forgets stop() must not leave a redis-server behind.
      const killOnExit = () => proc.kill("SIGKILL");
      process.once("exit", killOnExit);
      let failed: Error | undefined;
      const forget = (err: Error) => {
        process.removeListener("exit", killOnExit);
        if (child === proc) child = undefined;
        failed ??= err;
      };
      proc.once("error", (err) => {
        forget(
          new Error(`could not run redis-server (is it installed and on PATH?): ${err.message}`),
        );
      });
      proc.once("exit", (code, signal) => {
        const how = signal ?? `code ${code}`;
        forget(new Error(`redis-server on port ${p} exited (${how}): ${output.trim()}`));
      });
      const deadline = Date.now() + 10_000;
      while ((await ping(p)) !== true) {
        if (failed) throw failed;
        if (Date.now() > deadline) {
          proc.kill("SIGKILL");
          throw new Error(`redis-server on port ${p} did not answer within 10 s: ${output.trim()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    pause() {
      if (!child) throw new Error("redisServer(): pause() needs a running server");
      child.kill("SIGSTOP");
    },
    resume() {
      child?.kill("SIGCONT");
    },
    async stop(signal: NodeJS.Signals = "SIGKILL") {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill(signal);
        if (signal !== "SIGKILL") proc.kill("SIGCONT"); // a paused server handles it once thawed
      });
    },
  };
}
