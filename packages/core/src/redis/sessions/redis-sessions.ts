import { randomBytes } from "node:crypto";
import type { SessionBackend } from "../../http/backend.js";
import { createOptionChecks } from "../../utils/option-checks.js";
import {
  checkRedisTarget,
  closeRedisClient,
  type OwnedRedisClient,
  type RedisClientLike,
  redisConnection,
} from "../connection.js";
import { ClusterSessions } from "./cluster-sessions.js";
import { StreamReader } from "./reader.js";
import { SessionStore } from "./store.js";

/**
 * Options of {@link redisSessions}.
 *
 * @example
 * const options: RedisSessionsOptions = { url: "redis://127.0.0.1:6379", leaseMs: 3000 };
 * await app.listen({ port: 3000, sessions: redisSessions(options) });
 */
export interface RedisSessionsOptions {
  /** A `redis://` or `rediss://` URL (the backend opens two connections and closes them). */
  url?: string;
  /** An ioredis client (not closed); a `duplicate()` of it becomes the blocking reader. */
  client?: RedisClientLike;
  /** Prefix of every key (default `mcpforge:sessions:`); instances that share sessions share it. */
  prefix?: string;
  /** Time allowed to each Redis command before the request gets a 503 (default 1000 ms). */
  commandTimeoutMs?: number;
  /** How long the first connection is awaited (default 2000 ms). */
  connectTimeoutMs?: number;
  /**
   * Ownership lease of a running request (default 3000 ms, renewed every third of it): a
   * request whose instance died is answered with an error this long after the last renewal.
   */
  leaseMs?: number;
  /** Events kept per SSE stream (about; default 1,000). */
  maxEventsPerStream?: number;
  /** How long an SSE stream's events are kept for `Last-Event-ID` resumption (default 5 min). */
  eventTtlMs?: number;
  /** A session's local copy is freed after this long without a request here (default 5 min). */
  localIdleMs?: number;
}

const FACTORY = "redisSessions";
const check = createOptionChecks("@mcpforge/core");

/**
 * Stateful MCP sessions shared by every instance through Redis, for several instances behind a
 * plain round-robin load balancer (no sticky sessions): any instance serves any request of any
 * session, server-to-client requests and notifications reach the instance holding the client's
 * stream, `Last-Event-ID` resumes on any instance, and a request whose instance died ends with
 * an error. Needs the optional peer `ioredis`.
 *
 * @param options.url a `redis://` URL (or `client`: an ioredis client)
 * @param options.prefix key prefix, default `mcpforge:sessions:`
 * @param options.leaseMs ownership lease of running requests, default 3000
 * @see docs/scaling-out.md
 * @example
 * import { createServer } from "@mcpforge/core";
 * import { redisSessions } from "@mcpforge/core/redis";
 * const app = createServer({ name: "shared", version: "1.0.0" });
 * await app.listen({
 *   port: 3000,
 *   host: "0.0.0.0",
 *   allowedHosts: ["mcp.example.com"],
 *   sessions: redisSessions({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }),
 * });
 */
export function redisSessions(options: RedisSessionsOptions): SessionBackend {
  const o = check.object(FACTORY, options);
  checkRedisTarget(check, FACTORY, o);
  check.string(FACTORY, "prefix", o.prefix, { nonEmpty: true });
  for (const name of [
    "commandTimeoutMs",
    "connectTimeoutMs",
    "leaseMs",
    "eventTtlMs",
    "localIdleMs",
  ] as const) {
    check.duration(FACTORY, name, o[name]);
  }
  check.positiveInteger(FACTORY, "maxEventsPerStream", o.maxEventsPerStream);
  if (o.client && typeof (o.client as { duplicate?: unknown }).duplicate !== "function") {
    throw check.error(FACTORY, "client must have duplicate() (an ioredis client)");
  }
  const owner = "@mcpforge/core: redisSessions()";
  const connectTimeoutMs = o.connectTimeoutMs ?? 2000;
  return {
    attach(context) {
      const logger = context.host.logger;
      const conn = redisConnection({
        ...(o.url === undefined ? { client: o.client } : { url: o.url }),
        owner,
        connectTimeoutMs,
        onOutage: (err) => logger.warn("redis sessions: Redis unavailable", { error: String(err) }),
        onRecovery: () => logger.info("redis sessions: Redis answers again"),
      });
      const duplicate = o.client?.duplicate?.() as OwnedRedisClient | undefined;
      const readerConn = redisConnection({
        ...(duplicate ? { client: duplicate } : { url: o.url }),
        owner,
        connectTimeoutMs,
      });
      let readerDown = false;
      const reader = new StreamReader(readerConn, 1000, (err) => {
        if (readerDown) return;
        readerDown = true;
        logger.warn("redis sessions: stream reader lost Redis (it resumes where it was)", {
          error: String(err),
        });
        setTimeout(() => {
          readerDown = false;
        }, 5000).unref();
      });
      return new ClusterSessions(context, {
        store: new SessionStore(conn, o.prefix ?? "mcpforge:sessions:", o.commandTimeoutMs ?? 1000),
        reader,
        instance: randomBytes(6).toString("hex"),
        maxEventsPerStream: o.maxEventsPerStream ?? 1000,
        eventTtlMs: o.eventTtlMs ?? 5 * 60_000,
        leaseMs: o.leaseMs ?? 3000,
        localIdleMs: o.localIdleMs ?? 5 * 60_000,
        onClose: async () => {
          await reader.close();
          if (duplicate) await closeRedisClient(duplicate);
          await conn.close();
        },
      });
    },
  };
}
