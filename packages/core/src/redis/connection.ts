/**
 * One Redis connection for a store that must never let Redis take requests down: `ioredis`
 * loaded lazily (an optional peer), a bounded wait for the first connection, fail-fast command
 * options, outages reported once and recoveries once. Shared by the Redis stores of
 * `@mcpforge/cache`, `@mcpforge/middleware` and other packages.
 */
import type { OptionChecks } from "../utils/option-checks.js";
import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitState,
  type CircuitStats,
} from "./breaker.js";

/**
 * The part of an `ioredis` client a store uses (a `Redis` instance fits). Declared here so that
 * no package's types need `ioredis` installed.
 */
export interface RedisClientLike {
  /** ioredis' connection status (`ready` when commands can be sent). */
  readonly status?: string;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
  /** ioredis' `duplicate()`: a new connection with the same settings (for pub/sub). */
  duplicate?(override?: Record<string, unknown>): unknown;
}

/** A client the connection opened itself (and closes). */
export interface OwnedRedisClient extends RedisClientLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** An ongoing outage: since when, and how many failures it has seen. */
export interface RedisOutage {
  readonly since: number;
  failures: number;
}

/** Options of {@link redisConnection}: `url` (the connection opens its own client) or `client`. */
export interface RedisConnectionOptions {
  /** A `redis://` or `rediss://` URL; a client is opened on first use and closed by `close()`. */
  url?: string;
  /** An existing ioredis client; neither configured nor closed. */
  client?: RedisClientLike;
  /** Who uses the connection, for error messages, e.g. `"@mcpforge/cache: redisStore()"`. */
  owner: string;
  /** How long the first connection is awaited before commands fail fast. */
  connectTimeoutMs: number;
  /** ioredis' per-command timeout on the client it opens (default: none). */
  commandTimeoutMs?: number;
  /** Called on the first failure of an outage (not after `close()`). */
  onOutage?(error: unknown): void;
  /** Called when Redis answers again after an outage. */
  onRecovery?(outage: RedisOutage): void;
  /** Called with the client whenever it becomes ready (e.g. to load Lua scripts). */
  onReady?(client: RedisClientLike): void;
  /**
   * The circuit breaker of `run()`: after `threshold` consecutive failures (default 3) callers
   * bypass Redis at once; one probe after `cooldownMs` (default 1000) closes it again.
   */
  breaker?: Omit<CircuitBreakerOptions, "onTransition">;
  /** Called when the circuit opens (from closed) and when it closes again — once each. */
  onCircuit?(state: "open" | "closed", stats: CircuitStats): void;
}

/** A lazily opened Redis connection with outage tracking. */
export interface RedisConnection {
  /** Opens the connection once (loading ioredis) and waits up to `connectTimeoutMs` for it. */
  connect(): Promise<RedisClientLike>;
  /** The client the connection opened itself, if any (for `duplicate()`). */
  readonly owned: OwnedRedisClient | undefined;
  /** The client in use (given or opened), once known. */
  readonly client: RedisClientLike | undefined;
  /** The ongoing outage, or undefined while Redis answers. */
  readonly outage: RedisOutage | undefined;
  /** True after `close()`. */
  readonly closed: boolean;
  /** Records a failure: starts an outage (reported once) or counts it. */
  fail(error: unknown): void;
  /**
   * Records an answer: ends the outage (reported once) — unless the command was sent
   * (`startedAt`, ms since the epoch) before the outage began, which proves nothing.
   */
  recover(startedAt?: number): void;
  /**
   * Runs one command through the circuit breaker: connects, checks the client is up, races the
   * command against `timeoutMs`, and records success or failure. While the circuit is open it
   * throws `CircuitOpenError` at once, without touching Redis.
   */
  run<T>(op: (client: RedisClientLike) => Promise<T>, timeoutMs: number): Promise<T>;
  /** The circuit's state and counters. */
  circuit(): CircuitStats;
  /** Closes the client it opened (QUIT, or a plain disconnect when it is not up). */
  close(): Promise<void>;
}

type RedisConstructor = new (url: string, options: Record<string, unknown>) => OwnedRedisClient;

/** Rejection of {@link withRedisTimeout}. */
export class RedisTimeoutError extends Error {
  override readonly name = "RedisTimeoutError";
}

/**
 * Races a Redis command against a deadline; a late failure never becomes an unhandled rejection.
 *
 * @example
 * import { RedisTimeoutError, withRedisTimeout } from "@mcpforge/core/redis";
 * import { Redis } from "ioredis";
 * const client = new Redis("redis://127.0.0.1:6379");
 * try {
 *   const value = await withRedisTimeout(client.get("greeting"), 100);
 * } catch (err) {
 *   if (err instanceof RedisTimeoutError) console.error("no answer from Redis within 100 ms");
 * }
 */
export function withRedisTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new RedisTimeoutError(`Redis did not answer within ${ms} ms`)),
      ms,
    );
  });
  promise.catch(() => {});
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Closes a client: QUIT when it is up (1 s at most), otherwise just drop it (no reconnecting).
 *
 * @example
 * import { closeRedisClient } from "@mcpforge/core/redis";
 * import { Redis } from "ioredis";
 * const subscriber = new Redis("redis://127.0.0.1:6379");
 * await subscriber.subscribe("news");
 * await closeRedisClient(subscriber); // QUIT, as it is ready (1 s at most)
 */
export async function closeRedisClient(client: {
  status?: string;
  quit(): Promise<unknown>;
  disconnect(): void;
}): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  await withRedisTimeout(client.quit(), 1000).catch(() => client.disconnect());
}

/**
 * Checks a Redis store's `url` / `client` options: exactly one, a redis:// or rediss:// URL or
 * an object with `call()`.
 *
 * @example
 * checkRedisTarget(createOptionChecks("@acme/store"), "myStore", { url: "redis://127.0.0.1:6379" });
 */
export function checkRedisTarget(
  check: OptionChecks,
  factory: string,
  opts: { url?: unknown; client?: unknown },
): void {
  if ((opts.url === undefined) === (opts.client === undefined)) {
    throw check.error(factory, "needs exactly one of url and client");
  }
  if (opts.url !== undefined && (typeof opts.url !== "string" || !/^rediss?:\/\//.test(opts.url))) {
    throw check.error(factory, "url must be a redis:// or rediss:// URL");
  }
  const client = opts.client as { call?: unknown } | null | undefined;
  if (
    client !== undefined &&
    (typeof client !== "object" || client === null || typeof client.call !== "function")
  ) {
    throw check.error(factory, "client must be an ioredis client (with a call() method)");
  }
}

async function loadIoRedis(owner: string): Promise<RedisConstructor> {
  let mod: { Redis?: RedisConstructor; default?: RedisConstructor };
  try {
    mod = (await import("ioredis")) as unknown as typeof mod;
  } catch (err) {
    throw new Error(
      `${owner} needs the optional peer dependency "ioredis" (pnpm add ioredis): ${(err as Error).message}`,
    );
  }
  const Redis = mod.Redis ?? mod.default;
  if (typeof Redis !== "function") {
    throw new Error(`${owner}: the "ioredis" module has no Redis class`);
  }
  return Redis;
}

/** Resolves when the client is ready, fails or ends, or after `ms`. */
function firstConnection(c: RedisClientLike, ms: number): Promise<void> {
  // "wait": a lazyConnect client, which connects on its first command.
  if (c.status === undefined || c.status === "ready" || c.status === "wait") {
    return Promise.resolve();
  }
  if (!c.once || !c.removeListener) return Promise.resolve();
  const once = c.once.bind(c);
  const off = c.removeListener.bind(c);
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off("ready", done);
      off("error", done);
      off("end", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    once("ready", done);
    once("error", done);
    once("end", done);
  });
}

/**
 * A lazily opened Redis connection that fails fast (no offline queue, one retry per request,
 * reconnecting by itself every ≤ 1 s) and reports each outage and recovery once.
 *
 * @example
 * import { redisConnection, withRedisTimeout } from "@mcpforge/core/redis";
 * const conn = redisConnection({
 *   url: "redis://127.0.0.1:6379",
 *   owner: "@acme/store: myStore()",
 *   connectTimeoutMs: 1000,
 *   onOutage: (err) => console.warn("Redis down", err),
 * });
 * const started = Date.now();
 * try {
 *   const pong = await withRedisTimeout((await conn.connect()).call("PING"), 100);
 *   conn.recover(started);
 * } catch (err) {
 *   conn.fail(err);
 * }
 * await conn.close();
 */
export function redisConnection(options: RedisConnectionOptions): RedisConnection {
  const { owner, connectTimeoutMs, commandTimeoutMs, onOutage, onRecovery, onReady } = options;
  let client = options.client;
  let owned: OwnedRedisClient | undefined;
  let starting: Promise<RedisClientLike> | undefined;
  let closed = false;
  let outage: RedisOutage | undefined;

  const fail = (err: unknown) => {
    if (outage) {
      outage.failures++;
      return;
    }
    outage = { since: Date.now(), failures: 1 };
    if (!closed) onOutage?.(err);
  };

  const recover = (startedAt?: number) => {
    if (!outage || (startedAt !== undefined && startedAt < outage.since)) return;
    const ended = outage;
    outage = undefined;
    if (!closed) onRecovery?.(ended);
  };

  const breaker = new CircuitBreaker({
    ...options.breaker,
    onTransition: (state: CircuitState, previous: CircuitState) => {
      if (closed) return;
      if (state === "open" && previous === "closed") options.onCircuit?.("open", breaker.stats());
      if (state === "closed") options.onCircuit?.("closed", breaker.stats());
    },
  });

  const ready = (c: RedisClientLike) => {
    recover();
    breaker.halfOpen();
    onReady?.(c);
  };

  const start = async (): Promise<RedisClientLike> => {
    if (client) {
      const given = client;
      given.on?.("ready", () => ready(given));
      if (given.status === "ready") onReady?.(given);
      await firstConnection(given, connectTimeoutMs);
      return given;
    }
    const Redis = await loadIoRedis(owner);
    if (closed) throw new Error(`${owner}: closed`);
    const c = new Redis(options.url as string, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: connectTimeoutMs,
      ...(commandTimeoutMs === undefined ? {} : { commandTimeout: commandTimeoutMs }),
      retryStrategy: (times: number) => Math.min(times * 50, 1000),
    });
    // Without a listener ioredis prints every connection error; outages are reported once.
    c.on("error", (err: unknown) => fail(err));
    c.on("close", () => {
      if (!closed) fail(new Error("connection closed"));
    });
    c.on("ready", () => ready(c));
    owned = c;
    client = c;
    await firstConnection(c, connectTimeoutMs);
    return c;
  };

  const connect = (): Promise<RedisClientLike> => {
    starting ??= start().catch((err: unknown) => {
      starting = undefined;
      throw err;
    });
    return starting;
  };

  return {
    connect,
    get owned() {
      return owned;
    },
    get client() {
      return client;
    },
    get outage() {
      return outage;
    },
    get closed() {
      return closed;
    },
    fail,
    recover,
    async run<T>(op: (client: RedisClientLike) => Promise<T>, timeoutMs: number): Promise<T> {
      if (closed) throw new Error(`${owner}: closed`);
      const startedAt = Date.now();
      try {
        const value = await breaker.run(async () => {
          const c = await connect();
          if (c.status !== undefined && c.status !== "ready" && c.status !== "wait") {
            throw new Error(`Redis connection is ${c.status}`);
          }
          return withRedisTimeout(op(c), timeoutMs);
        });
        recover(startedAt);
        return value;
      } catch (err) {
        if (!(err instanceof CircuitOpenError)) fail(err);
        throw err;
      }
    },
    circuit: () => breaker.stats(),
    async close() {
      if (closed) return;
      closed = true;
      await starting?.catch(() => undefined);
      const c = owned;
      owned = undefined;
      if (c) await closeRedisClient(c);
    },
  };
}
