import { McpForgeError, type ServerLogger } from "@mcpforge/core";
import { createStderrLogger } from "@mcpforge/core/authoring";
import {
  CircuitOpenError,
  type CircuitState,
  checkRedisTarget,
  type RedisClientLike,
  redisConnection,
} from "@mcpforge/core/redis";
import { checkKey, checkTtl, serialize } from "../internal/json.js";
import {
  checkLogger,
  checkOptionsObject,
  checkPositiveInteger,
  checkString,
  MAX_TTL_MS,
  optionCheck,
  optionsError,
} from "../internal/options.js";
import type { CacheStore, CacheStoreStats } from "../types.js";
import { RedisPubSub, type RedisSubscription, type RedisSubscriptionHandlers } from "./pubsub.js";

export type { RedisClientLike } from "@mcpforge/core/redis";

/** Options of {@link redisStore}: give `url` (the store owns its connection) or `client`. */
export interface RedisStoreOptions {
  /** A Redis URL such as `redis://user:pass@host:6379/0`; the store opens and closes the connection. */
  url?: string;
  /**
   * An existing ioredis client; the store neither configures nor closes it. Create it with
   * `enableOfflineQueue: false` and `maxRetriesPerRequest: 1` so an outage fails fast.
   */
  client?: RedisClientLike;
  /** Prefix of every key the store writes; `clear()` removes only these (default `"mcpforge:cache:"`). */
  prefix?: string;
  /** How long one Redis command may take before the cache is bypassed for it (default 100 ms). */
  commandTimeoutMs?: number;
  /** How long the very first connection is awaited before commands fail fast (default 1000 ms). */
  connectTimeoutMs?: number;
  /** TTL of entries written without one (default: none). */
  ttlMs?: number;
  /** Where outages (once each) and recoveries are reported (default: JSON lines on stderr). */
  logger?: Pick<ServerLogger, "warn" | "info">;
}

/** The counters of a {@link RedisStore}. */
export interface RedisStoreStats extends CacheStoreStats {
  /** `get` calls answered as a miss because Redis failed or was too slow. */
  failedGets: number;
  /** `set` calls skipped because Redis failed or was too slow. */
  skippedSets: number;
  /** Unreadable values found (treated as misses and deleted). */
  corrupt: number;
  /** Whether Redis is answering (false during an outage). */
  available: boolean;
  /**
   * Calls that did not touch Redis because its circuit was open (counted in `errors` too): after
   * a few consecutive failures or timeouts, calls bypass Redis at once until a probe succeeds.
   */
  bypassed: number;
  /** The circuit breaker: its state, and how often it opened and closed. */
  circuit: { state: CircuitState; opens: number; closes: number };
}

/** A {@link CacheStore} in Redis, shared by every process that uses the same prefix. */
export interface RedisStore extends CacheStore {
  /** The key prefix. */
  readonly prefix: string;
  /** Loads ioredis and waits (up to `connectTimeoutMs`) for the first connection; true when ready. */
  connect(): Promise<boolean>;
  /** A value with its remaining TTL (`undefined` when it has none), or `undefined` on a miss. */
  getWithTtl<T = unknown>(
    key: string,
  ): Promise<{ value: T; ttlMs: number | undefined } | undefined>;
  /** Publishes a message; resolves false when Redis failed (never rejects for an outage). */
  publish(channel: string, message: string): Promise<boolean>;
  /** Subscribes to a channel on a connection of its own, which reconnects by itself. */
  subscribe(channel: string, handlers: RedisSubscriptionHandlers): RedisSubscription;
  stats(): RedisStoreStats;
}

const FACTORY = "redisStore";
const LOGGER_NAME = "@mcpforge/cache/redis";

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A cache store in Redis (values as JSON text under `prefix`, TTLs as `PX`), shared by every
 * process that uses the same prefix. Built for a cache: with `enableOfflineQueue: false`,
 * `maxRetriesPerRequest: 1` and a per-command timeout, an outage never throws into a request —
 * a failed `get` is a miss, a failed `set` is skipped, both counted and logged once per outage —
 * and the connection comes back by itself. An unreadable value is a miss and is deleted.
 * Needs the optional peer dependency `ioredis`, loaded on first use.
 *
 * @example
 * import { redisStore } from "@mcpforge/cache/redis";
 * const store = redisStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix: "myapp:cache:" });
 * await store.set("answer", 42, 60_000);
 * console.log(await store.get("answer")); // 42 (or undefined while Redis is down)
 * app.onClose(() => store.close());
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (options === undefined) throw optionsError(FACTORY, "needs { url } or { client }");
  const opts = checkOptionsObject(FACTORY, options);
  checkRedisTarget(optionCheck, FACTORY, opts);
  checkString(FACTORY, "prefix", opts.prefix, { nonEmpty: true });
  checkPositiveInteger(FACTORY, "commandTimeoutMs", opts.commandTimeoutMs, MAX_TTL_MS);
  checkPositiveInteger(FACTORY, "connectTimeoutMs", opts.connectTimeoutMs, MAX_TTL_MS);
  checkPositiveInteger(FACTORY, "ttlMs", opts.ttlMs, MAX_TTL_MS);
  checkLogger(FACTORY, opts.logger, ["warn", "info"]);

  const prefix = opts.prefix ?? "mcpforge:cache:";
  const commandTimeoutMs = opts.commandTimeoutMs ?? 100;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 1000;
  const defaultTtl = opts.ttlMs;
  let logger = opts.logger;
  const log = () => {
    logger ??= createStderrLogger(LOGGER_NAME);
    return logger;
  };
  const counters = {
    hits: 0,
    misses: 0,
    sets: 0,
    deletes: 0,
    evictions: 0,
    errors: 0,
    bypassed: 0,
    failedGets: 0,
    skippedSets: 0,
    corrupt: 0,
  };
  const conn = redisConnection({
    ...(opts.url === undefined ? {} : { url: opts.url }),
    ...(opts.client === undefined ? {} : { client: opts.client }),
    owner: "@mcpforge/cache: redisStore()",
    connectTimeoutMs,
    commandTimeoutMs,
    onOutage: (err) =>
      log().warn("Redis cache unavailable: requests bypass the cache until it is back", {
        store: "redis",
        prefix,
        error: errorText(err),
      }),
    onRecovery: (outage) =>
      log().info("Redis cache reachable again", {
        store: "redis",
        prefix,
        outageMs: Date.now() - outage.since,
        failures: outage.failures,
      }),
    onCircuit: (state, circuit) => {
      if (state === "open") {
        log().info("Redis cache circuit open: calls bypass Redis until a probe succeeds", {
          store: "redis",
          prefix,
          opens: circuit.opens,
        });
      } else {
        log().info("Redis cache circuit closed", { store: "redis", prefix });
      }
    },
  });
  const connect = () => conn.connect();
  const noteFailure = conn.fail;

  const ensureOpen = () => {
    if (conn.closed) {
      throw new McpForgeError("unavailable", "@mcpforge/cache: this redisStore is closed");
    }
  };

  /**
   * Runs one Redis operation through the connection's circuit breaker, within the timeout;
   * `{ ok: false }` when Redis failed, was too slow, or its circuit is open (no wait at all).
   */
  const run = async <T>(
    op: (c: RedisClientLike) => Promise<T>,
    timeoutMs = commandTimeoutMs,
  ): Promise<{ ok: true; value: T } | { ok: false }> => {
    try {
      return { ok: true, value: await conn.run(op, timeoutMs) };
    } catch (err) {
      if (conn.closed) return { ok: false };
      counters.errors++;
      if (err instanceof CircuitOpenError) counters.bypassed++;
      return { ok: false };
    }
  };

  /** Parses a stored value; an unreadable one is deleted and counted. */
  const decode = (key: string, raw: unknown): { ok: true; value: unknown } | { ok: false } => {
    if (typeof raw === "string") {
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch {
        // fall through: corrupt
      }
    }
    counters.corrupt++;
    void run((c) => c.call("DEL", prefix + key));
    return { ok: false };
  };

  const getInternal = async (
    key: string,
    withTtl: boolean,
  ): Promise<{ value: unknown; ttlMs: number | undefined } | undefined> => {
    ensureOpen();
    checkKey(key);
    const k = prefix + key;
    const reply = await run(async (c) => {
      try {
        if (!withTtl) return { raw: await c.call("GET", k), pttl: -1 };
        const [raw, pttl] = await Promise.all([c.call("GET", k), c.call("PTTL", k)]);
        return { raw, pttl: Number(pttl) };
      } catch (err) {
        // A key of another type is unreadable data, not an outage.
        if (/^WRONGTYPE/.test(errorText(err))) return { raw: err, pttl: -1 };
        throw err;
      }
    });
    if (!reply.ok) {
      counters.failedGets++;
      counters.misses++;
      return undefined;
    }
    if (reply.value.raw === null || reply.value.raw === undefined) {
      counters.misses++;
      return undefined;
    }
    const decoded = decode(key, reply.value.raw);
    if (!decoded.ok) {
      counters.misses++;
      return undefined;
    }
    counters.hits++;
    const pttl = reply.value.pttl;
    return { value: decoded.value, ttlMs: pttl > 0 ? pttl : undefined };
  };

  const escapeGlob = (s: string) => s.replace(/[*?[\]\\]/g, "\\$&");

  const pubsub = new RedisPubSub({ conn, connectTimeoutMs, command: (op) => run(op) });

  const store: RedisStore = {
    prefix,

    async connect(): Promise<boolean> {
      ensureOpen();
      try {
        const c = await connect();
        return c.status === undefined || c.status === "ready";
      } catch (err) {
        noteFailure(err);
        return false;
      }
    },

    async get<T = unknown>(key: string): Promise<T | undefined> {
      return (await getInternal(key, false))?.value as T | undefined;
    },

    async getWithTtl<T = unknown>(key: string) {
      return (await getInternal(key, true)) as { value: T; ttlMs: number | undefined } | undefined;
    },

    async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
      ensureOpen();
      checkKey(key);
      checkTtl(ttlMs);
      const text = serialize(value);
      const ttl = ttlMs ?? defaultTtl;
      const reply = await run((c) =>
        ttl === undefined
          ? c.call("SET", prefix + key, text)
          : c.call("SET", prefix + key, text, "PX", ttl),
      );
      if (reply.ok) counters.sets++;
      else counters.skippedSets++;
    },

    async delete(key: string): Promise<boolean> {
      ensureOpen();
      checkKey(key);
      const reply = await run((c) => c.call("DEL", prefix + key));
      const removed = reply.ok && Number(reply.value) > 0;
      if (removed) counters.deletes++;
      return removed;
    },

    async has(key: string): Promise<boolean> {
      ensureOpen();
      checkKey(key);
      const reply = await run((c) => c.call("EXISTS", prefix + key));
      return reply.ok && Number(reply.value) > 0;
    },

    async clear(): Promise<void> {
      ensureOpen();
      const pattern = `${escapeGlob(prefix)}*`;
      let cursor = "0";
      do {
        const page = await run((c) => c.call("SCAN", cursor, "MATCH", pattern, "COUNT", 1000));
        if (!page.ok) return;
        const [next, keys] = page.value as [string, string[]];
        cursor = String(next);
        if (keys.length > 0) {
          const removed = await run((c) => c.call("UNLINK", ...keys));
          if (!removed.ok) return;
        }
      } while (cursor !== "0");
    },

    async publish(channel: string, message: string): Promise<boolean> {
      ensureOpen();
      return pubsub.publish(channel, message);
    },

    subscribe(channel: string, handlers: RedisSubscriptionHandlers): RedisSubscription {
      ensureOpen();
      return pubsub.subscribe(channel, handlers);
    },

    async close(): Promise<void> {
      if (conn.closed) return;
      const closing = conn.close();
      await pubsub.closeAll();
      await closing;
    },

    stats(): RedisStoreStats {
      const { state, opens, closes } = conn.circuit();
      return {
        ...counters,
        available: conn.outage === undefined && conn.client?.status !== "end",
        circuit: { state, opens, closes },
      };
    },
  };
  return store;
}
