import type { RedisConnection } from "../connection.js";
import { evalScript, type LuaScript, luaScript } from "../lua.js";

/** Appends to a stream, trimmed, and renews its expiry. */
const APPEND_ENTRY = luaScript(
  "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 3)) redis.call('PEXPIRE', KEYS[1], ARGV[2]) return id",
);

/**
 * One entry of a Redis Stream: its id and its field/value pairs as an object.
 *
 * @example
 * const entry: StreamEntry = { id: "1700000000000-0", fields: { m: '{"jsonrpc":"2.0"}' } };
 */
export interface StreamEntry {
  readonly id: string;
  readonly fields: Record<string, string>;
}

/**
 * The Redis operations of the session backend: keys under one prefix, each command bounded.
 *
 * @example
 * import { redisConnection } from "@mcpforge/core/redis";
 * const conn = redisConnection({
 *   url: "redis://127.0.0.1:6379",
 *   owner: "example",
 *   connectTimeoutMs: 2000,
 * });
 * const store = new SessionStore(conn, "mcpforge:sessions:", 1000);
 * await store.append(store.key("ev", "s1.get"), { m: "{}" }, 1000, 300_000);
 * await store.lastId(store.key("ev", "s1.get")); // the id of that entry
 */
export class SessionStore {
  readonly prefix: string;
  readonly #conn: RedisConnection;
  readonly #timeoutMs: number;

  constructor(conn: RedisConnection, prefix: string, timeoutMs: number) {
    this.#conn = conn;
    this.prefix = prefix;
    this.#timeoutMs = timeoutMs;
  }

  key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  get indexKey(): string {
    return `${this.prefix}index`;
  }

  get busKey(): string {
    return `${this.prefix}bus`;
  }

  /** Runs a Lua script ({@link evalScript}: by its SHA-1) through the connection's circuit breaker and timeout. */
  eval(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    return this.#conn.run((c) => evalScript(c, script, keys, args), this.#timeoutMs);
  }

  /** Runs one command through the connection's circuit breaker and timeout. */
  call(command: string, ...args: (string | number)[]): Promise<unknown> {
    return this.#conn.run((c) => c.call(command, ...args), this.#timeoutMs);
  }

  /** Appends one entry to a stream (trimmed to about `maxLen`, expiring after `ttlMs`). */
  append(
    key: string,
    fields: Record<string, string>,
    maxLen: number,
    ttlMs: number,
  ): Promise<unknown> {
    const args: string[] = [];
    for (const [f, v] of Object.entries(fields)) args.push(f, v);
    return this.eval(APPEND_ENTRY, [key], [maxLen, ttlMs, ...args]);
  }

  /** The id of a stream's newest entry, or `0-0` when it is empty or absent. */
  async lastId(key: string): Promise<string> {
    const last = (await this.call("XREVRANGE", key, "+", "-", "COUNT", 1)) as [string, unknown][];
    return last[0]?.[0] ?? "0-0";
  }
}

/**
 * Turns a stream entry's `[field, value, …]` list into an object.
 *
 * @example
 * fieldsOf(["t", "del", "s", "session-id"]); // { t: "del", s: "session-id" }
 */
export function fieldsOf(list: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i] as string] = list[i + 1] as string;
  return fields;
}
