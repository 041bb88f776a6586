import type { ServerResponse } from "node:http";
import { httpError } from "../../http/errors.js";
import { keepAlive, startSse } from "../../http/sse.js";
import type { ClusterSettings } from "./cluster-settings.js";
import type { Tail } from "./reader.js";
import { LOCK, UNLOCK } from "./scripts.js";
import { unavailable } from "./unavailable.js";

/** A client stream this instance holds and feeds from Redis. */
interface Held {
  readonly sessionId: string;
  readonly streamId: string;
  readonly res: ServerResponse;
  readonly tail: Tail;
}

function writeRaw(res: ServerResponse, id: string, data: string): void {
  if (!res.writableEnded) res.write(`event: message\nid: ${id}\ndata: ${data}\n\n`);
}

/** The 409 for a second standalone stream of a session (one per session, cluster-wide). */
function alreadyOpen(res: ServerResponse): void {
  httpError(res, 409, "http_error", "Conflict: a standalone SSE stream is already open");
}

/**
 * The client streams (GET) this instance holds: each is fed the entries of its Redis Stream by
 * the instance's {@link StreamReader}, whichever instance appended them. A session's standalone
 * stream is held by one instance cluster-wide (a lock, renewed by {@link HeldStreams.renewLocks});
 * a request's stream can be resumed (`Last-Event-ID`) on any instance.
 *
 * @example
 * import type { ClusterSettings } from "./cluster-settings.js";
 * declare const settings: ClusterSettings;
 * const held = new HeldStreams(settings, 15_000, () => {});
 * await held.open("session-id", undefined, res); // the session's standalone stream, held here
 * held.hasStandalone("session-id"); // true
 */
export class HeldStreams {
  readonly #s: ClusterSettings;
  readonly #keepAliveMs: number;
  /** Makes the reader start over with the keys it follows now (a stream was added). */
  readonly #wake: () => void;
  /** Standalone streams held here, by session id. */
  readonly #gets = new Map<string, Held>();
  /** Resumed request streams held here, by stream id. */
  readonly #resumed = new Map<string, Held>();
  #closed = false;

  constructor(settings: ClusterSettings, keepAliveMs: number, wake: () => void) {
    this.#s = settings;
    this.#keepAliveMs = keepAliveMs;
    this.#wake = wake;
  }

  /** Whether this instance holds the session's standalone stream. */
  hasStandalone(sessionId: string): boolean {
    return this.#gets.has(sessionId);
  }

  /** The sessions whose standalone stream this instance holds. */
  standaloneSessions(): IterableIterator<string> {
    return this.#gets.keys();
  }

  /** The ids of the request streams resumed here. */
  resumedStreams(): string[] {
    return [...this.#resumed.values()].map((held) => held.streamId);
  }

  /**
   * Serves a GET of a session (already looked up): its standalone stream when `last` (the
   * `Last-Event-ID`) is undefined, else the stream `last` names from the event after it.
   */
  async open(sessionId: string, last: string | undefined, res: ServerResponse): Promise<void> {
    const store = this.#s.store;
    const headers = { "mcp-session-id": sessionId };
    if (last === undefined) {
      if (this.#gets.has(sessionId)) return alreadyOpen(res);
      if (!(await this.#lock(sessionId, res, false))) return;
      let start: string;
      try {
        start = await store.lastId(store.key("ev", `${sessionId}.get`));
      } catch {
        return unavailable(res);
      }
      return this.#follow(sessionId, `${sessionId}.get`, start, res, headers);
    }
    const sep = last.lastIndexOf("_");
    const streamId = last.slice(0, Math.max(sep, 0));
    const entry = last.slice(sep + 1);
    if (
      last.length > 256 ||
      sep <= 0 ||
      !/^\d+-\d+$/.test(entry) ||
      !/^[A-Za-z0-9_-]+\.[a-z0-9]+$/.test(streamId)
    ) {
      return httpError(res, 400, "http_error", "Bad Request: malformed Last-Event-ID");
    }
    if (!streamId.startsWith(`${sessionId}.`))
      return httpError(res, 404, "http_error", "Unknown event id");
    if (streamId === `${sessionId}.get`) {
      if (!(await this.#lock(sessionId, res, true))) return;
      return this.#follow(sessionId, streamId, entry, res, headers);
    }
    let exists: unknown;
    try {
      exists = await store.call("EXISTS", store.key("ev", streamId));
    } catch {
      return unavailable(res);
    }
    if (exists !== 1) return httpError(res, 404, "http_error", "Unknown event id");
    this.#follow(sessionId, streamId, entry, res, headers);
  }

  /** Takes the session's standalone-stream lock (one GET stream per session, cluster-wide). */
  async #lock(sessionId: string, res: ServerResponse, takeOver: boolean): Promise<boolean> {
    const store = this.#s.store;
    const key = store.key("get", sessionId);
    try {
      if (takeOver) await store.call("SET", key, this.#s.instance, "PX", this.#s.leaseMs * 3);
      else {
        const got = await store.eval(LOCK, [key], [this.#s.instance, this.#s.leaseMs * 3]);
        if (got !== 1) {
          alreadyOpen(res);
          return false;
        }
      }
      return true;
    } catch {
      unavailable(res);
      return false;
    }
  }

  /** Holds a client stream and feeds it the events of a Redis Stream after `start`. */
  #follow(
    sessionId: string,
    streamId: string,
    start: string,
    res: ServerResponse,
    headers: Record<string, string>,
  ): void {
    const store = this.#s.store;
    const standalone = streamId === `${sessionId}.get`;
    const key = store.key("ev", streamId);
    const table = standalone ? this.#gets : this.#resumed;
    const slot = standalone ? sessionId : streamId;
    startSse(res, headers);
    keepAlive(res, this.#keepAliveMs);
    const tail: Tail = {
      lastId: start,
      onEntries: (entries) => {
        for (const { id, fields } of entries) {
          if (fields.end) {
            res.end();
            return;
          }
          if (fields.m) writeRaw(res, `${streamId}_${id}`, fields.m);
        }
      },
    };
    const held: Held = { sessionId, streamId, res, tail };
    table.get(slot)?.res.end();
    table.set(slot, held);
    this.#s.reader.add(key, tail);
    this.#wake();
    res.once("close", () => {
      this.#s.reader.remove(key, tail);
      if (table.get(slot) !== held) return;
      table.delete(slot);
      if (standalone && !this.#closed) {
        store.eval(UNLOCK, [store.key("get", sessionId)], [this.#s.instance]).catch(() => {});
      }
    });
  }

  /** Renews the standalone-stream locks held here; ends a stream another instance took over. */
  renewLocks(): void {
    const store = this.#s.store;
    for (const held of this.#gets.values()) {
      store
        .eval(LOCK, [store.key("get", held.sessionId)], [this.#s.instance, this.#s.leaseMs * 3])
        .then((got) => {
          if (got !== 1) held.res.end(); // another instance took the stream over
        })
        .catch(() => {});
    }
  }

  /** Ends the session's standalone stream held here (the client may reconnect). */
  endStandalone(sessionId: string): void {
    this.#gets.get(sessionId)?.res.end();
  }

  /** Ends every stream of the session held here (the session ended). */
  endSession(sessionId: string): void {
    this.#gets.get(sessionId)?.res.end();
    for (const held of this.#resumed.values()) if (held.sessionId === sessionId) held.res.end();
  }

  /** Ends every stream held here, for good (their locks lapse on their own). */
  endAll(): void {
    this.#closed = true;
    for (const held of [...this.#gets.values(), ...this.#resumed.values()]) held.res.end();
  }
}
