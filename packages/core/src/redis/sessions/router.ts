import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { BroadcastNotification, HttpHost } from "../../http/types.js";
import type { ServerLogger } from "../../internal/logger.js";
import { BUS_MAX, type ClusterSettings } from "./cluster-settings.js";
import type { ClusterTransport } from "./cluster-transport.js";
import type { EventStreams } from "./event-streams.js";
import type { SessionRecords } from "./records.js";
import type { StreamEntry } from "./store.js";

/**
 * What the {@link ClusterRouter} needs of the sessions this instance serves.
 *
 * @example
 * import type { ClusterTransport } from "./cluster-transport.js";
 * const transports = new Map<string, ClusterTransport>();
 * const local: LocalSessions = {
 *   transportOf: (id) => transports.get(id),
 *   standaloneSessions: () => [],
 *   endLocal: (id) => void transports.get(id)?.close(),
 * };
 */
export interface LocalSessions {
  /** The transport of a session's local copy on this instance, when it has one. */
  transportOf(sessionId: string): ClusterTransport | undefined;
  /** The sessions whose standalone stream this instance holds. */
  standaloneSessions(): Iterable<string>;
  /** A session was deleted (on any instance): end its local copy and the streams held here. */
  endLocal(sessionId: string): void;
}

/**
 * What a {@link ClusterRouter} is built from.
 *
 * @example
 * import type { ClusterSettings } from "./cluster-settings.js";
 * import type { EventStreams } from "./event-streams.js";
 * import type { SessionRecords } from "./records.js";
 * declare const settings: ClusterSettings;
 * declare const records: SessionRecords;
 * declare const streams: EventStreams;
 * declare const local: LocalSessions;
 * const parts: RouterParts = { settings, logger, records, streams, local, host: {} };
 */
export interface RouterParts {
  readonly settings: ClusterSettings;
  readonly logger: ServerLogger;
  readonly records: SessionRecords;
  readonly streams: EventStreams;
  readonly local: LocalSessions;
  /** The host whose broadcasts (list changes, resource updates) go to every instance. */
  readonly host: Pick<HttpHost, "watchBroadcasts">;
}

/**
 * The messages between instances: the bus stream (session deletes, cancellations, list changes
 * and resource updates, read by every instance) and this instance's inbox stream (clients'
 * answers to the requests this instance sent, POSTed to another instance).
 *
 * @example
 * declare const parts: RouterParts;
 * const router = new ClusterRouter(parts); // follows the inbox and the bus
 * router.publishCancel("session-id", {
 *   jsonrpc: "2.0",
 *   method: "notifications/cancelled",
 *   params: { requestId: 7 },
 * });
 * router.close();
 */
export class ClusterRouter {
  readonly #s: ClusterSettings;
  readonly #logger: ServerLogger;
  readonly #records: SessionRecords;
  readonly #streams: EventStreams;
  readonly #local: LocalSessions;
  readonly #inbox: string;
  readonly #unwatch: (() => void) | undefined;
  #pendingBroadcasts: Map<string, BroadcastNotification> | undefined;
  #closed = false;

  constructor(parts: RouterParts) {
    this.#s = parts.settings;
    this.#logger = parts.logger;
    this.#records = parts.records;
    this.#streams = parts.streams;
    this.#local = parts.local;
    this.#inbox = this.#s.store.key("inbox", this.#s.instance);
    this.#s.reader.add(this.#inbox, { lastId: "0-0", onEntries: (e) => this.#onInbox(e) });
    void this.#followBus();
    this.#unwatch = parts.host.watchBroadcasts?.((n) => this.#queueBroadcast(n));
  }

  async #followBus(): Promise<void> {
    const store = this.#s.store;
    let start = "$";
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        start = await store.lastId(store.busKey);
        break;
      } catch (err) {
        if (attempt === 0)
          this.#logger.warn("redis sessions: bus not reachable yet", { error: String(err) });
        await new Promise((r) => setTimeout(r, 250).unref());
      }
    }
    if (this.#closed) return;
    this.#s.reader.add(store.busKey, { lastId: start, onEntries: (e) => this.#onBus(e) });
    this.wake();
  }

  /** Makes the reader start over with the keys it follows now (it blocks on the older set). */
  wake(): void {
    this.#s.store.append(this.#inbox, { wake: "1" }, BUS_MAX, this.#s.eventTtlMs).catch(() => {});
  }

  /** A client cancelled a request of a session: tells the instance running it. */
  publishCancel(sessionId: string, message: JSONRPCMessage): void {
    this.#publish({
      t: "cancel",
      s: sessionId,
      m: JSON.stringify(message),
      from: this.#s.instance,
    });
  }

  /**
   * A client's answer to a server-to-client request: to the instance that sent the request
   * (its id carries the instance's id). False when Redis did not take it.
   */
  async routeAnswer(
    sessionId: string,
    transport: ClusterTransport,
    message: JSONRPCMessage,
  ): Promise<boolean> {
    const id = String((message as { id?: RequestId }).id);
    const tilde = id.indexOf("~");
    if (tilde < 0) return true;
    const target = id.slice(0, tilde);
    const answer = { ...message, id: id.slice(tilde + 1) } as JSONRPCMessage;
    if (target === this.#s.instance) {
      transport.deliver(answer, {});
      return true;
    }
    try {
      await this.#s.store.append(
        this.#s.store.key("inbox", target),
        { s: sessionId, m: JSON.stringify(answer) },
        BUS_MAX,
        this.#s.eventTtlMs,
      );
      return true;
    } catch {
      return false;
    }
  }

  #onInbox(entries: readonly StreamEntry[]): void {
    for (const { fields } of entries) {
      if (!fields.m || !fields.s) continue;
      this.#local.transportOf(fields.s)?.deliver(JSON.parse(fields.m) as JSONRPCMessage, {});
    }
  }

  #publish(fields: Record<string, string>): void {
    this.#s.store
      .append(this.#s.store.busKey, fields, BUS_MAX, this.#s.eventTtlMs)
      .catch((err: unknown) => {
        this.#logger.warn("redis sessions: could not publish on the bus", { error: String(err) });
      });
  }

  #onBus(entries: readonly StreamEntry[]): void {
    for (const { fields } of entries) {
      if (fields.t === "del" && fields.s) this.#local.endLocal(fields.s);
      else if (fields.t === "cancel" && fields.s && fields.m && fields.from !== this.#s.instance) {
        const transport = this.#local.transportOf(fields.s);
        const n = JSON.parse(fields.m) as { params?: { requestId?: RequestId } };
        const rid = n.params?.requestId;
        if (transport && rid !== undefined && transport.hasReply(rid)) {
          transport.deliver(n as JSONRPCMessage, {});
        }
      } else if (fields.t === "n" && fields.m) {
        void this.#fanOut(JSON.parse(fields.m) as BroadcastNotification);
      }
    }
  }

  #queueBroadcast(n: BroadcastNotification): void {
    if (!this.#pendingBroadcasts) {
      this.#pendingBroadcasts = new Map();
      queueMicrotask(() => {
        const queued = this.#pendingBroadcasts;
        this.#pendingBroadcasts = undefined;
        for (const b of queued?.values() ?? []) this.#publish({ t: "n", m: JSON.stringify(b) });
      });
    }
    this.#pendingBroadcasts.set(`${n.method} ${JSON.stringify(n.params ?? {})}`, n);
  }

  /** A list change or resource update: onto the standalone streams this instance holds. */
  async #fanOut(n: BroadcastNotification): Promise<void> {
    const uri = n.method === "notifications/resources/updated" ? n.params?.uri : undefined;
    const message = { jsonrpc: "2.0", ...n } as JSONRPCMessage;
    await Promise.all(
      [...this.#local.standaloneSessions()].map(async (sid) => {
        try {
          if (uri !== undefined) {
            const subs = await this.#records.subscriptions(sid);
            if (!subs.includes(String(uri))) return;
          }
          await this.#streams.toStandalone(sid, message);
        } catch (err) {
          this.#logger.warn("redis sessions: could not deliver a notification", {
            error: String(err),
          });
        }
      }),
    );
  }

  /** Stops following the bus and the host's broadcasts. */
  close(): void {
    this.#closed = true;
    this.#unwatch?.();
  }
}
