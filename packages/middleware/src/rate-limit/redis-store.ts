import { createStderrLogger, type ServerLogger } from "@mcpforge/core";
import { checkOptionsObject, checkPositiveInteger, optionsError } from "../internal/options.js";
import { type MemoryStore, memoryStore } from "./memory-store.js";
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from "./rules.js";
import { FIXED_WINDOW, type LuaScript, TOKEN_BUCKET } from "./scripts.js";

/**
 * The part of an `ioredis` client the store uses (a `Redis` instance fits). Declared here so
 * that the package's types do not need `ioredis` installed.
 */
export interface RedisClientLike {
  /** ioredis' connection status (`ready` when commands can be sent). */
  readonly status?: string;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of {@link redisStore}: give `url` (the store owns its connection) or `client`. */
export interface RedisStoreOptions {
  /** A Redis URL such as `redis://user:pass@host:6379/0`; the store opens and closes the connection. */
  url?: string;
  /** An existing ioredis client; the store neither configures nor closes it. */
  client?: RedisClientLike;
  /** Prefix of every key the store writes (default `"mcpforge:rate-limit:"`). */
  prefix?: string;
  /** How long one Redis round trip may take before the call fails open (default 100 ms). */
  timeoutMs?: number;
  /** How long the first connection is awaited before failing open (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Where outages and recoveries are reported (default: JSON lines on stderr). */
  logger?: ServerLogger;
}

/** A store keeping limiter state in Redis, shared by every instance that uses the same keys. */
export interface RedisStore extends RateLimitStore {
  /** True while Redis is unreachable and decisions come from the local fallback. */
  readonly failingOpen: boolean;
  /** Loads ioredis and waits (up to `connectTimeoutMs`) for the first connection. */
  connect(): Promise<void>;
  /** Closes the connection the store opened (not a `client` you gave). */
  close(): Promise<void>;
}

const FACTORY = "redisStore";
const LOGGER_NAME = "@mcpforge/middleware/rate-limit";
/** While Redis is reported ready but failing (timeouts), probe it at most this often. */
const PROBE_EVERY_MS = 500;

interface IoRedisModule {
  Redis?: new (url: string, options: Record<string, unknown>) => OwnedClient;
  default?: new (url: string, options: Record<string, unknown>) => OwnedClient;
}

interface OwnedClient extends RedisClientLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

async function loadIoRedis(): Promise<
  new (
    url: string,
    options: Record<string, unknown>,
  ) => OwnedClient
> {
  let mod: IoRedisModule;
  try {
    mod = (await import("ioredis")) as unknown as IoRedisModule;
  } catch (err) {
    throw new Error(
      `@mcpforge/middleware: redisStore() needs the optional peer dependency "ioredis" (pnpm add ioredis): ${(err as Error).message}`,
    );
  }
  const Redis = mod.Redis ?? mod.default;
  if (typeof Redis !== "function") {
    throw new Error('@mcpforge/middleware: redisStore(): the "ioredis" module has no Redis class');
  }
  return Redis;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  // A late failure after the deadline must not surface as an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function parseReply(reply: unknown): RateLimitDecision {
  if (!Array.isArray(reply) || reply.length !== 3) {
    throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
  }
  const [allowed, remaining, retry] = reply.map(Number) as [number, number, number];
  if (![allowed, remaining, retry].every(Number.isFinite)) {
    throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
  }
  return { allowed: allowed === 1, remaining, retryAfterMs: retry };
}

/**
 * A rate-limit store in Redis: one atomic Lua script per attempt (EVALSHA, with EVAL when the
 * script is not cached) timed by the Redis server's clock, so every instance sharing the
 * Redis shares the limits. When Redis is unreachable or slower than `timeoutMs`, calls fail
 * open to a per-process memory limiter with the same rules (logged once per outage) until
 * Redis answers again. Needs the optional peer dependency `ioredis`, loaded on first use.
 *
 * @example
 * import { rateLimit, redisStore } from "@mcpforge/middleware/rate-limit";
 * const store = redisStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
 * app.use(rateLimit({ store, global: { algorithm: "token-bucket", capacity: 60, refillPerSecond: 1 } }));
 * app.onClose(() => store.close());
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const opts = checkOptionsObject(FACTORY, options);
  if (options === undefined) throw optionsError(FACTORY, "needs { url } or { client }");
  if ((opts.url === undefined) === (opts.client === undefined)) {
    throw optionsError(FACTORY, "needs exactly one of url and client");
  }
  if (opts.url !== undefined && (typeof opts.url !== "string" || !/^rediss?:\/\//.test(opts.url))) {
    throw optionsError(FACTORY, "url must be a redis:// or rediss:// URL");
  }
  if (
    opts.client !== undefined &&
    (typeof opts.client !== "object" ||
      opts.client === null ||
      typeof opts.client.call !== "function")
  ) {
    throw optionsError(FACTORY, "client must be an ioredis client (with a call() method)");
  }
  if (opts.prefix !== undefined && typeof opts.prefix !== "string") {
    throw optionsError(FACTORY, "prefix must be a string");
  }
  checkPositiveInteger(FACTORY, "timeoutMs", opts.timeoutMs);
  checkPositiveInteger(FACTORY, "connectTimeoutMs", opts.connectTimeoutMs);
  if (
    opts.logger !== undefined &&
    (typeof opts.logger !== "object" ||
      opts.logger === null ||
      typeof opts.logger.warn !== "function" ||
      typeof opts.logger.info !== "function")
  ) {
    throw optionsError(FACTORY, "logger must have warn() and info() methods");
  }

  const prefix = opts.prefix ?? "mcpforge:rate-limit:";
  const timeoutMs = opts.timeoutMs ?? 100;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  let logger = opts.logger;
  const log = () => {
    logger ??= createStderrLogger(LOGGER_NAME);
    return logger;
  };
  const fallback: MemoryStore = memoryStore();
  let client: RedisClientLike | undefined = opts.client;
  let owned: OwnedClient | undefined;
  let starting: Promise<RedisClientLike> | undefined;
  let closed = false;
  /** Set while Redis is failing: when it started, and when to probe next. */
  let outage: { since: number; nextProbe: number; decisions: number } | undefined;

  const noteFailure = (err: unknown) => {
    const now = Date.now();
    if (outage) {
      outage.nextProbe = now + PROBE_EVERY_MS;
      return;
    }
    outage = { since: now, nextProbe: now + PROBE_EVERY_MS, decisions: 0 };
    if (closed) return;
    log().warn("rate limit store unreachable: failing open to a per-process memory limiter", {
      store: "redis",
      prefix,
      error: err instanceof Error ? err.message : String(err),
    });
  };

  const noteRecovery = (startedAt: number) => {
    // An answer to a command sent before the outage began proves nothing.
    if (!outage || startedAt < outage.since) return;
    log().info("rate limit store reachable again: shared limits resume", {
      store: "redis",
      prefix,
      outageMs: Date.now() - outage.since,
      failOpenDecisions: outage.decisions,
    });
    outage = undefined;
    fallback.clear();
  };

  const loadScripts = (c: RedisClientLike) => {
    for (const s of [TOKEN_BUCKET, FIXED_WINDOW]) {
      c.call("SCRIPT", "LOAD", s.source).catch(() => {
        // EVALSHA falls back to EVAL anyway.
      });
    }
  };

  /** Waits until the client is ready, fails, or `connectTimeoutMs` passes. */
  const firstConnection = (c: RedisClientLike): Promise<void> => {
    // "wait": a lazyConnect client, which connects on its first command.
    if (c.status === undefined || c.status === "ready" || c.status === "wait") {
      return Promise.resolve();
    }
    if (!c.once || !c.removeListener) {
      return Promise.resolve();
    }
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
      const timer = setTimeout(done, connectTimeoutMs);
      once("ready", done);
      once("error", done);
      once("end", done);
    });
  };

  const start = async (): Promise<RedisClientLike> => {
    if (client) {
      if (client.status === "ready") loadScripts(client);
      await firstConnection(client);
      return client;
    }
    const Redis = await loadIoRedis();
    const c = new Redis(opts.url as string, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: Math.max(connectTimeoutMs, 1000),
    });
    // Without a listener ioredis prints every connection error; outages are logged once here.
    c.on("error", (err: unknown) => noteFailure(err));
    c.on("ready", () => loadScripts(c));
    owned = c;
    client = c;
    await firstConnection(c);
    return c;
  };

  const connect = (): Promise<RedisClientLike> => {
    starting ??= start().catch((err: unknown) => {
      starting = undefined;
      throw err;
    });
    return starting;
  };

  const evaluate = async (
    c: RedisClientLike,
    s: LuaScript,
    key: string,
    args: string[],
  ): Promise<unknown> => {
    try {
      return await c.call("EVALSHA", s.sha, 1, key, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return c.call("EVAL", s.source, 1, key, ...args);
    }
  };

  const viaFallback = async (key: string, rule: RateLimitRule): Promise<RateLimitDecision> => {
    if (outage) outage.decisions++;
    const decision = await fallback.consume(key, rule);
    return { ...decision, failOpen: true };
  };

  return {
    get failingOpen() {
      return outage !== undefined;
    },
    connect: async () => {
      await connect();
    },
    consume: async (key, rule) => {
      if (closed) return viaFallback(key, rule);
      const c = await connect();
      if (outage && (Date.now() < outage.nextProbe || (c.status ?? "ready") !== "ready")) {
        return viaFallback(key, rule);
      }
      const [script, args] =
        rule.algorithm === "token-bucket"
          ? [TOKEN_BUCKET, [String(rule.capacity), String(rule.refillPerSecond)]]
          : [FIXED_WINDOW, [String(rule.limit), String(rule.windowMs)]];
      const startedAt = Date.now();
      try {
        const reply = await withTimeout(evaluate(c, script, prefix + key, args), timeoutMs);
        const decision = parseReply(reply);
        noteRecovery(startedAt);
        return decision;
      } catch (err) {
        noteFailure(err);
        return viaFallback(key, rule);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      const c = owned;
      owned = undefined;
      if (!c) return;
      await withTimeout(c.quit(), 1000).catch(() => c.disconnect());
    },
  };
}
