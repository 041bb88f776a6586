import type { StreamReader } from "./reader.js";
import type { SessionStore } from "./store.js";

/**
 * The tuning of a `ClusterSessions` (what `redisSessions()` resolved from its options).
 *
 * @example
 * import { redisConnection } from "@mcpforge/core/redis";
 * import { StreamReader } from "./reader.js";
 * import { SessionStore } from "./store.js";
 * const conn = redisConnection({
 *   url: "redis://127.0.0.1:6379",
 *   owner: "example",
 *   connectTimeoutMs: 2000,
 * });
 * const settings: ClusterSettings = {
 *   store: new SessionStore(conn, "mcpforge:sessions:", 1000),
 *   reader: new StreamReader(conn, 1000, console.error),
 *   instance: "a1b2c3",
 *   maxEventsPerStream: 1000,
 *   eventTtlMs: 300_000,
 *   leaseMs: 3000,
 *   localIdleMs: 300_000,
 *   onClose: async () => {},
 * };
 */
export interface ClusterSettings {
  readonly store: SessionStore;
  readonly reader: StreamReader;
  readonly instance: string;
  readonly maxEventsPerStream: number;
  readonly eventTtlMs: number;
  readonly leaseMs: number;
  readonly localIdleMs: number;
  /** Called once the backend stopped (to close the connections it opened). */
  readonly onClose: () => Promise<void>;
}

/**
 * Entries kept (about) on the bus stream and in each instance's inbox stream.
 *
 * @example
 * import type { SessionStore } from "./store.js";
 * declare const store: SessionStore;
 * await store.append(store.busKey, { t: "del", s: "session-id" }, BUS_MAX, 300_000);
 */
export const BUS_MAX = 10_000;
