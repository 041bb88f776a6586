import { performance } from "node:perf_hooks";
import {
  checkRedisTarget,
  type RedisClientLike,
  type RedisConnection,
  redisConnection,
} from "@mcpforge/core/redis";
import {
  type CommonCheckOptions,
  check,
  checkCommon,
  common,
  optionsOf,
} from "../../internal/options.js";
import type { HealthCheck } from "../types.js";

/**
 * Options of {@link redisCheck}: exactly one of `connection` (the app's own
 * `redisConnection()` from `@mcpforge/core/redis`), `client` (an ioredis client) or `url`
 * (the check opens, and closes, a connection of its own).
 */
export interface RedisCheckOptions extends CommonCheckOptions {
  /** A connection made with `redisConnection()` (not closed by the check). */
  connection?: RedisConnection;
  /** An ioredis client (neither configured nor closed by the check). */
  client?: RedisClientLike;
  /** A `redis://` / `rediss://` URL: the check opens its own fail-fast connection. */
  url?: string;
}

const FACTORY = "redisCheck";

/**
 * Redis answers `PING`, through core's Redis connection helper (fail-fast: no offline queue,
 * reconnecting by itself). The observed value is the round trip in ms; a failure's output
 * never carries the URL or its password.
 *
 * @param options.connection - the app's `redisConnection()`
 * @param options.client - or an ioredis client
 * @param options.url - or a URL for a connection of the check's own
 * @example
 * app.use(health({ checks: { redis: redisCheck({ url: "redis://127.0.0.1:6379" }) } }));
 */
export function redisCheck(options: RedisCheckOptions): HealthCheck {
  const opts = optionsOf(FACTORY, options);
  checkCommon(FACTORY, opts);
  let connection: RedisConnection;
  let owned = false;
  if (opts.connection !== undefined) {
    if (opts.url !== undefined || opts.client !== undefined) {
      throw check.error(FACTORY, "needs exactly one of connection, client and url");
    }
    check.methods(FACTORY, "connection", opts.connection, ["run", "close"]);
    connection = opts.connection;
  } else {
    checkRedisTarget(check, FACTORY, opts);
    const target: { url?: string; client?: RedisClientLike } = {};
    if (opts.url !== undefined) target.url = opts.url;
    if (opts.client !== undefined) target.client = opts.client;
    connection = redisConnection({
      ...target,
      owner: "@mcpforge/health: redisCheck()",
      connectTimeoutMs: opts.timeoutMs ?? 1000,
      // A health check reports every failed PING; it needs no circuit to protect requests.
      breaker: { threshold: Number.MAX_SAFE_INTEGER },
    });
    owned = true;
  }
  return {
    ...common(opts),
    componentType: "datastore",
    measurement: "responseTime",
    // Connect while the server starts (bounded by the connect timeout), not in the first probe.
    start: () => connection.connect().catch(() => undefined),
    async check({ timeoutMs }) {
      const started = performance.now();
      const reply = await connection.run((client) => client.call("PING"), timeoutMs);
      const observedValue = Math.round((performance.now() - started) * 100) / 100;
      if (reply !== "PONG") {
        return {
          status: "fail",
          observedValue,
          observedUnit: "ms",
          output: "unexpected reply to PING",
        };
      }
      return { observedValue, observedUnit: "ms" };
    },
    close() {
      return owned ? connection.close() : undefined;
    },
  };
}
