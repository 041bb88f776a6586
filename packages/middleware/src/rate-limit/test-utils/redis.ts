// Redis helpers for the rate-limit tests: the shared test Redis and private redis-server children.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { Redis } from "ioredis";

/** The Redis the tests use (a real server; the tests fail when it is absent). */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Connects to `url` or throws a loud error: these tests never skip. */
export async function connectAdmin(url = REDIS_URL): Promise<Redis> {
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
      `The rate-limit Redis tests need a running Redis at ${url} (set REDIS_URL): ${(cause ?? (err as Error)).message}`,
    );
  }
  return client;
}

/** A key prefix no other test uses. */
export function randomPrefix(): string {
  return `test:rate-limit:${randomUUID()}:`;
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deletePrefix(client: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server child process of this test, without persistence, on a fixed port. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  start(): Promise<void>;
}

/** Starts `redis-server --port <free port> --save "" --appendonly no` and waits until it answers. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    child = proc;
    const exited = new Promise<never>((_resolve, reject) => {
      proc.once("error", reject);
      proc.once("exit", (code) => reject(new Error(`redis-server exited early (code ${code})`)));
    });
    exited.catch(() => {});
    const end = Date.now() + 10_000;
    for (;;) {
      try {
        const probe = await Promise.race([connectAdmin(url), exited]);
        probe.disconnect();
        return;
      } catch (err) {
        if (proc.exitCode !== null || Date.now() > end) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGKILL");
    await exited;
  };

  await start();
  return { port, url, stop, start };
}
