import { luaScript } from "../lua.js";
import { BUS_MAX } from "./cluster-settings.js";
import { OPEN, SAVE, TOUCH } from "./scripts.js";
import type { SessionStore } from "./store.js";

/**
 * The fields of a session record, as stored: principal hash, protocol version, revision, then
 * client info, client capabilities, log level, subscriptions and state (JSON).
 *
 * @example
 * const fields: RecordFields = { p: "hash", v: "2025-11-25", r: "1", ll: "", sub: "[]", st: "[]" };
 */
export interface RecordFields {
  p: string;
  v: string;
  r: string;
  ci?: string;
  cc?: string;
  ll?: string;
  sub?: string;
  st?: string;
}

/**
 * A record as a lookup read it: `full` when the caller's revision was stale (every field was
 * read), else only `p`, `v` and `r`.
 *
 * @example
 * const record: TouchedRecord = { fields: { p: "hash", v: "2025-11-25", r: "3" }, full: false };
 */
export interface TouchedRecord {
  readonly fields: RecordFields;
  readonly full: boolean;
}

/**
 * Parses a JSON field of a record (`undefined` for an empty field or `null`).
 *
 * @example
 * parseField<string[]>('["test://a"]'); // ["test://a"]
 * parseField<string[]>(""); // undefined
 */
export function parseField<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  return (JSON.parse(text) ?? undefined) as T | undefined;
}

/** Deletes a record, drops it from the index and announces the end on the bus (one round trip). */
const END = luaScript(
  "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'del', 's', ARGV[1]) return 1",
);

/**
 * The session records in Redis (`<prefix>s:<id>` hashes and the `<prefix>index` of ids by
 * expiry): opened, touched (checked and kept alive), saved and ended in one script each.
 * Errors (Redis unavailable) are the caller's to answer.
 *
 * @example
 * import { redisConnection } from "@mcpforge/core/redis";
 * import { SessionStore } from "./store.js";
 * const conn = redisConnection({
 *   url: "redis://127.0.0.1:6379",
 *   owner: "example",
 *   connectTimeoutMs: 2000,
 * });
 * const records = new SessionRecords(new SessionStore(conn, "mcpforge:sessions:", 1000));
 * const fields = { p: "hash", v: "2025-11-25", r: "1", ll: "", sub: "[]", st: "[]" };
 * if (await records.open("session-id", fields, 300_000, 1000)) {
 *   const record = await records.touch("session-id", 300_000, "1"); // { fields, full: false }
 * }
 */
export class SessionRecords {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    this.#store = store;
  }

  /** Writes a new record; false when `maxSessions` records are live already. */
  async open(
    id: string,
    fields: RecordFields,
    ttlMs: number,
    maxSessions: number,
  ): Promise<boolean> {
    const store = this.#store;
    const now = Date.now();
    const opened = await store.eval(
      OPEN,
      [store.key("s", id), store.indexKey],
      [now, ttlMs, maxSessions, id, ...Object.entries(fields).flat(), "t", now],
    );
    return opened !== 0;
  }

  /**
   * Refreshes a record's idle expiry and reads it (all of it when `knownRev` is not its
   * revision); undefined when the session is gone.
   */
  async touch(id: string, ttlMs: number, knownRev: string): Promise<TouchedRecord | undefined> {
    const store = this.#store;
    const head = (await store.eval(
      TOUCH,
      [store.key("s", id), store.indexKey],
      [Date.now(), ttlMs, id, knownRev],
    )) as (string | null)[] | null;
    if (!head) return undefined;
    const fields: RecordFields = { p: head[0] as string, v: head[1] ?? "", r: head[2] ?? "" };
    const full = head.length > 3;
    if (full) {
      [fields.ci, fields.cc, fields.ll, fields.sub, fields.st] = head.slice(3).map((v) => v ?? "");
    }
    return { fields, full };
  }

  /** Writes `field, value, …` to a record; the new revision, or undefined when it is gone. */
  async save(id: string, changes: readonly string[]): Promise<string | undefined> {
    const rev = await this.#store.eval(SAVE, [this.#store.key("s", id)], changes);
    return rev !== null && rev !== undefined ? String(rev) : undefined;
  }

  /** Deletes a record and tells every instance (a `del` entry on the bus). */
  async end(id: string): Promise<void> {
    const store = this.#store;
    await store.eval(END, [store.key("s", id), store.indexKey, store.busKey], [id, BUS_MAX]);
  }

  /** The resource URIs a session subscribed to (a missing record has none). */
  async subscriptions(id: string): Promise<string[]> {
    const subs = (await this.#store.call("HGET", this.#store.key("s", id), "sub")) as string | null;
    return parseField<string[]>(subs ?? "") ?? [];
  }
}
