import type { ServerResponse } from "node:http";
import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { IncomingExtra } from "../protocol/types.js";
import { LazyMap } from "../utils/lazy-map.js";
import type { EventStore } from "./event-store.js";
import type { Reply } from "./reply.js";
import { keepAlive, startSse, writeEvent } from "./sse.js";

/**
 * The SDK transport of one stateful HTTP session: routes each outgoing message to the POST
 * stream of the request it belongs to, or to the standalone GET stream.
 *
 * @example
 * import { memoryEventStore } from "./event-store.js";
 * const events = memoryEventStore();
 * const transport = new HttpSessionTransport("s1", () => events, 15_000);
 * await app.connect(transport, { transportName: "http" });
 */
export class HttpSessionTransport implements Transport {
  readonly sessionId: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** Open POST answers by request id. */
  readonly replies = new LazyMap<RequestId, Reply>();
  /** Resumable POST streams by stream id (kept until the session ends or they finish). */
  readonly streams = new LazyMap<string, Reply>();
  #get: ServerResponse | undefined;
  #closed = false;
  #everOpened = false;
  readonly #events: () => EventStore;
  readonly #keepAliveMs: number;

  constructor(sessionId: string, events: () => EventStore, keepAliveMs: number) {
    this.sessionId = sessionId;
    this.#events = events;
    this.#keepAliveMs = keepAliveMs;
  }

  /** The stream id of the standalone GET stream. */
  get getStreamId(): string {
    return `${this.sessionId}.get`;
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.#closed) return;
    if ("id" in message && ("result" in message || "error" in message)) {
      const reply = this.replies.get(message.id as RequestId);
      if (!reply) return;
      this.replies.delete(message.id as RequestId);
      await reply.send(message);
      return;
    }
    const related = options?.relatedRequestId;
    if (related !== undefined) {
      const reply = this.replies.get(related);
      if (reply) {
        await reply.send(message);
        return;
      }
    }
    // Only a client that opened the standalone stream can resume it: store nothing before that.
    if (!this.#everOpened) return;
    const id = await this.#events().storeEvent(this.getStreamId, message);
    if (this.#get && !this.#get.writableEnded) writeEvent(this.#get, id, message);
  }

  /** Whether a standalone GET stream is open. */
  get hasGetStream(): boolean {
    return this.#get !== undefined && !this.#get.writableEnded;
  }

  /** Opens (or resumes) the standalone GET stream on `res`; SSE headers must already be sent when `started`. */
  openGetStream(res: ServerResponse, headers: Record<string, string>, started = false): void {
    if (!started) startSse(res, headers);
    this.#get = res;
    this.#everOpened = true;
    keepAlive(res, this.#keepAliveMs);
    res.once("close", () => {
      if (this.#get === res) this.#get = undefined;
    });
  }

  /** The client cancelled a request: end its answer stream (no response will follow). */
  requestCancelled(id: RequestId): void {
    const reply = this.replies.get(id);
    if (!reply) return;
    this.replies.delete(id);
    reply.cancel(id);
  }

  /** Closes the standalone GET stream (the client may reconnect). */
  closeGetStream(): void {
    this.#get?.end();
    this.#get = undefined;
  }

  /** Hands an incoming message to the session's protocol layer. */
  deliver(message: JSONRPCMessage, extra: IncomingExtra): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const reply of this.replies.values()) reply.abandon();
    this.replies.clear();
    this.streams.clear();
    this.closeGetStream();
    this.onclose?.();
  }
}
