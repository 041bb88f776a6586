import type { RedisConnection } from "../connection.js";
import { fieldsOf, type StreamEntry } from "./store.js";

/**
 * A stream followed by a {@link StreamReader}: entries after `lastId` go to `onEntries`.
 *
 * @example
 * const tail: Tail = {
 *   lastId: "0-0",
 *   onEntries: (entries) => console.error(entries.map((e) => e.fields)),
 * };
 */
export interface Tail {
  lastId: string;
  onEntries(entries: readonly StreamEntry[]): void;
}

type Entries = [string, string[]][];
type XReadReply = [string, Entries][] | (string | Entries)[] | null;

/** XREAD's answer as `[key, entries]` pairs (RESP2 nests them; a RESP3 map comes flat). */
function pairs(reply: NonNullable<XReadReply>): [string, Entries][] {
  if (typeof reply[0] !== "string") return reply as [string, Entries][];
  const out: [string, Entries][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2)
    out.push([reply[i] as string, reply[i + 1] as Entries]);
  return out;
}

/**
 * Follows many Redis Streams with one blocking connection (`XREAD BLOCK` over every followed
 * key). A reader that loses Redis retries from the ids it had: nothing appended meanwhile is
 * lost (unlike pub/sub, where a disconnected subscriber misses what was published).
 *
 * @example
 * import { redisConnection } from "@mcpforge/core/redis";
 * const conn = redisConnection({
 *   url: "redis://127.0.0.1:6379",
 *   owner: "example",
 *   connectTimeoutMs: 2000,
 * });
 * const reader = new StreamReader(conn, 1000, console.error);
 * reader.add("mcpforge:sessions:bus", { lastId: "$", onEntries: (e) => console.error(e) });
 * await reader.close();
 */
export class StreamReader {
  readonly #conn: RedisConnection;
  readonly #blockMs: number;
  readonly #tails = new Map<string, Tail>();
  readonly #onError: (err: unknown) => void;
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(conn: RedisConnection, blockMs: number, onError: (err: unknown) => void) {
    this.#conn = conn;
    this.#blockMs = blockMs;
    this.#onError = onError;
  }

  /** Follows `key` (replacing an earlier tail of the same key). */
  add(key: string, tail: Tail): void {
    this.#tails.set(key, tail);
    this.#loop ??= this.#run();
  }

  /** Stops following `key` (when `tail` is still the one following it). */
  remove(key: string, tail: Tail): void {
    if (this.#tails.get(key) === tail) this.#tails.delete(key);
  }

  has(key: string): boolean {
    return this.#tails.has(key);
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const keys = [...this.#tails.keys()];
      if (keys.length === 0) {
        await sleep(50);
        continue;
      }
      const ids = keys.map((k) => (this.#tails.get(k) as Tail).lastId);
      let reply: XReadReply;
      try {
        reply = (await this.#conn.run(
          (c) => c.call("XREAD", "COUNT", 512, "BLOCK", this.#blockMs, "STREAMS", ...keys, ...ids),
          this.#blockMs + 3000,
        )) as XReadReply;
      } catch (err) {
        if (this.#stopped) return;
        this.#onError(err);
        await sleep(250);
        continue;
      }
      if (!reply) continue;
      for (const [key, raw] of pairs(reply)) {
        const tail = this.#tails.get(key);
        const last = raw[raw.length - 1];
        if (!tail || !last) continue;
        tail.lastId = last[0];
        const entries = raw.map(([id, list]) => ({ id, fields: fieldsOf(list) }));
        try {
          tail.onEntries(entries);
        } catch (err) {
          this.#onError(err);
        }
      }
    }
  }

  /** Stops reading and closes the blocking connection. */
  async close(): Promise<void> {
    this.#stopped = true;
    await this.#conn.close();
    await this.#loop;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
