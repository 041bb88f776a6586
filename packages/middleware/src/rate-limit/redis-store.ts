import type { ServerLogger } from "@mcpforge/core";
import { createStderrLogger } from "@mcpforge/core/authoring";
import {
  checkRedisTarget,
  evalScript,
  type RedisClientLike,
  redisConnection,
} from "@mcpforge/core/redis";
import {
  checkOptionsObject,
  checkPositiveInteger,
  optionCheck,
  optionsError,
} from "../internal/options.js";
import { type MemoryRateLimitStore, memoryRateLimitStore } from "./memory-store.js";
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from "./rules.js";
import { FIXED_WINDOW, TOKEN_BUCKET } from "./scripts.js";

export type { RedisClientLike } from "@mcpforge/core/redis";

/** Options of {@link redisRateLimitStore}: give `url` (the store owns its connection) or `client`. */
export interface RedisRateLimitStoreOptions {
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
export interface RedisRateLimitStore extends RateLimitStore {
  /** True while Redis is unreachable and decisions come from the local fallback. */
  readonly failingOpen: boolean;
  /** Loads ioredis and waits (up to `connectTimeoutMs`) for the first connection. */
  connect(): Promise<void>;
  /** Closes the connection the store opened (not a `client` you gave). */
  close(): Promise<void>;
}

const FACTORY = "redisRateLimitStore";
const LOGGER_NAME = "@mcpforge/middleware/rate-limit";
/** While Redis is failing (errors or timeouts), probe it at most this often. */
const PROBE_EVERY_MS = 500;

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
 * import { rateLimit, redisRateLimitStore } from "@mcpforge/middleware/rate-limit";
 * const store = redisRateLimitStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
 * app.use(rateLimit({ store, global: { algorithm: "token-bucket", capacity: 60, refillPerSecond: 1 } }));
 * app.onClose(() => store.close());
 */
export function redisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  const opts = checkOptionsObject(FACTORY, options);
  if (options === undefined) throw optionsError(FACTORY, "needs { url } or { client }");
  checkRedisTarget(optionCheck, FACTORY, opts);
  optionCheck.string(FACTORY, "prefix", opts.prefix);
  checkPositiveInteger(FACTORY, "timeoutMs", opts.timeoutMs);
  checkPositiveInteger(FACTORY, "connectTimeoutMs", opts.connectTimeoutMs);
  optionCheck.methods(FACTORY, "logger", opts.logger, ["warn", "info"]);

  const prefix = opts.prefix ?? "mcpforge:rate-limit:";
  const timeoutMs = opts.timeoutMs ?? 100;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  let logger = opts.logger;
  const log = () => {
    logger ??= createStderrLogger(LOGGER_NAME);
    return logger;
  };
  const fallback: MemoryRateLimitStore = memoryRateLimitStore();
  /** Decisions taken locally during an outage. */
  let failOpenDecisions = 0;

  const loadScripts = (c: RedisClientLike) => {
    for (const s of [TOKEN_BUCKET, FIXED_WINDOW]) {
      c.call("SCRIPT", "LOAD", s.source).catch(() => {
        // EVALSHA falls back to EVAL anyway.
      });
    }
  };

  const conn = redisConnection({
    ...(opts.url === undefined ? {} : { url: opts.url }),
    ...(opts.client === undefined ? {} : { client: opts.client }),
    owner: "@mcpforge/middleware: redisRateLimitStore()",
    connectTimeoutMs,
    // The first failure fails open at once; one probe every PROBE_EVERY_MS until Redis answers.
    breaker: { threshold: 1, cooldownMs: PROBE_EVERY_MS },
    onReady: loadScripts,
    onOutage: (err) =>
      log().warn("rate limit store unreachable: failing open to a per-process memory limiter", {
        store: "redis",
        prefix,
        error: err instanceof Error ? err.message : String(err),
      }),
    onRecovery: (outage) => {
      log().info("rate limit store reachable again: shared limits resume", {
        store: "redis",
        prefix,
        outageMs: Date.now() - outage.since,
        failOpenDecisions,
      });
      failOpenDecisions = 0;
      fallback.clear();
    },
  });

  const viaFallback = async (key: string, rule: RateLimitRule): Promise<RateLimitDecision> => {
    if (conn.outage) failOpenDecisions++;
    const decision = await fallback.consume(key, rule);
    return { ...decision, failOpen: true };
  };

  return {
    get failingOpen() {
      return conn.outage !== undefined;
    },
    connect: async () => {
      await conn.connect();
    },
    consume: async (key, rule) => {
      if (conn.closed) return viaFallback(key, rule);
      const [script, args] =
        rule.algorithm === "token-bucket"
          ? [TOKEN_BUCKET, [String(rule.capacity), String(rule.refillPerSecond)]]
          : [FIXED_WINDOW, [String(rule.limit), String(rule.windowMs)]];
      try {
        return await conn.run(
          async (c) => parseReply(await evalScript(c, script, [prefix + key], args)),
          timeoutMs,
        );
      } catch {
        // Unreachable, too slow, or its circuit open (no wait at all): fail open.
        return viaFallback(key, rule);
      }
    },
    close: () => conn.close(),
  };
}
