import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../../errors/errors.js";
import { toJsonRpcError } from "../../errors/json-rpc.js";
import type { EventStore } from "../../http/event-store.js";
import type { ServerLogger } from "../../internal/logger.js";
import type { ClusterSettings } from "./cluster-settings.js";
import { APPEND, FINISH, ORPHAN } from "./scripts.js";

/**
 * The SSE streams of a session in Redis and who owns them: one Redis Stream per stream
 * (`<prefix>ev:<stream id>`: the event store of `Last-Event-ID` and the route every instance
 * reads a held stream from), and the ownership lease of each request running on this instance
 * (`<prefix>lease:<stream id>`, renewed by {@link EventStreams.renewLeases}). A stream whose
 * lease lapsed (its instance died) is ended with an error for each of its requests.
 *
 * @example
 * import type { ClusterSettings } from "./cluster-settings.js";
 * declare const settings: ClusterSettings;
 * const streams = new EventStreams(settings, logger);
 * const events = streams.requestEvents("session-id.a11", 7); // a Reply's event store
 * await events.storeEvent("session-id.a11", { jsonrpc: "2.0", id: 7, result: {} });
 */
export class EventStreams {
  readonly #s: ClusterSettings;
  readonly #logger: ServerLogger;
  /** Streams of requests running here (their leases are renewed). */
  readonly #leases = new Set<string>();
  /** The error a request gets when the instance running it stopped (JSON). */
  readonly #orphanError: string;

  constructor(settings: ClusterSettings, logger: ServerLogger) {
    this.#s = settings;
    this.#logger = logger;
    this.#orphanError = JSON.stringify(
      toJsonRpcError(
        new McpForgeError(
          "unavailable",
          "The server instance running this request stopped; its outcome is unknown",
        ),
      ),
    );
  }

  /** The keys of one stream: its events, its ownership lease, its request ids. */
  #keys(streamId: string): string[] {
    const store = this.#s.store;
    return [store.key("ev", streamId), store.key("lease", streamId), store.key("meta", streamId)];
  }

  /** The event store of one request's stream: a Redis Stream, with the request's ownership lease. */
  requestEvents(streamId: string, requestId: RequestId): EventStore {
    const store = this.#s.store;
    const keys = this.#keys(streamId);
    let first = true;
    return {
      storeEvent: async (_stream, message) => {
        const ids = first ? JSON.stringify([requestId]) : "";
        if (first) this.#leases.add(streamId);
        first = false;
        const fields = message === undefined ? ["p", ""] : ["m", JSON.stringify(message)];
        try {
          const id = await store.eval(APPEND, keys, [
            this.#s.maxEventsPerStream,
            this.#s.eventTtlMs,
            this.#s.leaseMs,
            this.#s.instance,
            ids,
            ...fields,
          ]);
          return `${streamId}_${String(id)}`;
        } catch (err) {
          this.#logger.warn("redis sessions: could not store an event", { error: String(err) });
          return "";
        }
      },
      replayEventsAfter: () => undefined,
      streamDone: async () => {
        this.#leases.delete(streamId);
        await store
          .eval(FINISH, keys.slice(0, 2), [this.#s.maxEventsPerStream, this.#s.eventTtlMs])
          .catch(() => {});
      },
    };
  }

  /** The request of `streamId` is done here: its lease is no longer renewed. */
  release(streamId: string): void {
    this.#leases.delete(streamId);
  }

  /** Appends a message to a session's standalone stream (whichever instance holds it). */
  async toStandalone(sessionId: string, message: JSONRPCMessage): Promise<void> {
    const key = this.#s.store.key("ev", `${sessionId}.get`);
    await this.#s.store.append(
      key,
      { m: JSON.stringify(message) },
      this.#s.maxEventsPerStream,
      this.#s.eventTtlMs,
    );
  }

  /** Renews the leases of the requests running here. */
  renewLeases(): void {
    const store = this.#s.store;
    for (const streamId of this.#leases) {
      store.call("PEXPIRE", store.key("lease", streamId), this.#s.leaseMs).catch(() => {});
    }
  }

  /** Ends a stream run elsewhere whose owner died (its lease lapsed) with an error per request. */
  settleOrphan(streamId: string): void {
    if (this.#leases.has(streamId)) return;
    this.#s.store
      .eval(ORPHAN, this.#keys(streamId), [
        this.#s.maxEventsPerStream,
        this.#s.eventTtlMs,
        this.#orphanError,
      ])
      .catch(() => {});
  }
}
