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
import type { DirectProtocol, IncomingExtra } from "../protocol/types.js";
import { LazyMap } from "../utils/lazy-map.js";
import type { EventStore } from "./event-store.js";
import type { Reply } from "./reply.js";
import { keepAlive, startSse, writeEvent } from "./sse.js";

const DONE: Promise<void> = Promise.resolve();

/** What a session's transport needs from the listener that owns it (one object for all sessions). */
export interface SessionOwner {
  /** The event store the listener's sessions share. */
  readonly store: EventStore;
  /** Interval of SSE keep-alive comments (ms). */
  readonly keepAliveMs: number;
  /** The transport closed: forget its session. */
  transportClosed(transport: HttpSessionTransport): void;
}

/**
 * The SDK transport of one stateful HTTP session: routes each outgoing message to the POST
 * stream of the request it belongs to, or to the standalone GET stream. It points at its
 * listener ({@link SessionOwner}) and its protocol layer instead of holding closures, and
 * keeps its open answers in maps made when needed: an idle session is a few fields.
 *
 * @example
 * import { memoryEventStore } from "./event-store.js";
 * const owner: SessionOwner = {
 *   store: memoryEventStore(),
 *   keepAliveMs: 15_000,
 *   transportClosed: (t) => console.error(`session ${t.sessionId} closed`),
 * };
 * const transport = new HttpSessionTransport("s1", owner);
 * await app.connect(transport, { transportName: "http" });
 */
export class HttpSessionTransport implements Transport {
  readonly sessionId: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** The open POST answers by request id (one at a time, usually: kept without a hash table). */
  readonly #replies = new LazyMap<RequestId, Reply>();
  /** Resumable POST streams by stream id (kept until the session ends or they finish). */
  #streams: Map<string, Reply> | undefined;
  #get: ServerResponse | undefined;
  #closed = false;
  #everOpened = false;
  readonly #owner: SessionOwner;
  /** The protocol layer, when it attached itself (else `onmessage`/`onclose` are used). */
  #protocol: DirectProtocol | undefined;
  /** The event store, once this session used it (so its events are forgotten with it). */
  events: EventStore | undefined;

  constructor(sessionId: string, owner: SessionOwner) {
    this.sessionId = sessionId;
    this.#owner = owner;
  }

  /** The stream id of the standalone GET stream. */
  get getStreamId(): string {
    return `${this.sessionId}.get`;
  }

  /** The session's event store (the listener's shared store), marking it used. */
  eventStore(): EventStore {
    this.events ??= this.#owner.store;
    return this.events;
  }

  attachProtocol(protocol: DirectProtocol): void {
    this.#protocol = protocol;
  }

  async start(): Promise<void> {}

  // --- open answers by request id ---

  /** Answers in flight. */
  get replyCount(): number {
    return this.#replies.size;
  }

  /** The open answer of request `id`. */
  reply(id: RequestId): Reply | undefined {
    return this.#replies.get(id);
  }

  /** Whether request `id` is in flight. */
  hasReply(id: RequestId): boolean {
    return this.#replies.has(id);
  }

  /** Routes request `id`'s messages to `reply`. */
  setReply(id: RequestId, reply: Reply): void {
    this.#replies.set(id, reply);
  }

  /** Stops routing request `id` (only to `reply` when given). */
  deleteReply(id: RequestId, reply?: Reply): void {
    if (reply !== undefined && this.#replies.get(id) !== reply) return;
    this.#replies.delete(id);
  }

  // --- resumable POST streams by stream id ---

  /** The open POST stream `streamId`. */
  stream(streamId: string): Reply | undefined {
    return this.#streams?.get(streamId);
  }

  /** Keeps POST stream `streamId` resumable. */
  setStream(streamId: string, reply: Reply): void {
    this.#streams ??= new Map();
    this.#streams.set(streamId, reply);
  }

  /** Forgets POST stream `streamId`. */
  deleteStream(streamId: string): void {
    const map = this.#streams;
    if (!map?.delete(streamId)) return;
    if (map.size === 0) this.#streams = undefined;
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.#closed) return DONE;
    if ("id" in message && ("result" in message || "error" in message)) {
      // a response goes to its request's answer (no async frame: this is every call's path)
      const reply = this.reply(message.id as RequestId);
      if (!reply) return DONE;
      this.deleteReply(message.id as RequestId);
      return reply.send(message);
    }
    return this.#sendOther(message, options);
  }

  /** A notification or a server-to-client request: on its request's stream, or the GET stream. */
  async #sendOther(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const related = options?.relatedRequestId;
    if (related !== undefined) {
      const reply = this.reply(related);
      if (reply) {
        await reply.send(message);
        return;
      }
    }
    // Only a client that opened the standalone stream can resume it: store nothing before that.
    if (!this.#everOpened) return;
    const id = await this.eventStore().storeEvent(this.getStreamId, message);
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
    keepAlive(res, this.#owner.keepAliveMs);
    res.once("close", () => {
      if (this.#get === res) this.#get = undefined;
    });
  }

  /** The client cancelled a request: end its answer stream (no response will follow). */
  requestCancelled(id: RequestId): void {
    const reply = this.reply(id);
    if (!reply) return;
    this.deleteReply(id);
    reply.cancel(id);
  }

  /** Closes the standalone GET stream (the client may reconnect). */
  closeGetStream(): void {
    this.#get?.end();
    this.#get = undefined;
  }

  /** Hands an incoming message to the session's protocol layer. */
  deliver(message: JSONRPCMessage, extra: IncomingExtra): void {
    if (this.#protocol) this.#protocol.receive(message, extra);
    else this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const replies = this.#replies.values();
    this.#replies.clear();
    this.#streams = undefined;
    for (const reply of replies) reply.abandon();
    this.closeGetStream();
    this.#protocol?.transportClosed();
    this.onclose?.();
    this.#owner.transportClosed(this);
  }
}
