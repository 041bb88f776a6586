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
import type { EventStore } from "./event-store.js";
import type { Reply } from "./reply.js";
import { ReplyRoutes } from "./reply-routes.js";
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
export class HttpSessionTransport extends ReplyRoutes implements Transport {
  readonly sessionId: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
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
    super();
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
      const reply = this.takeReply(message.id as RequestId);
      return reply ? reply.send(message) : DONE;
    }
    return this.#sendOther(message, options);
  }

  /** A notification or a server-to-client request: on its request's stream, or the GET stream. */
  async #sendOther(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const reply = this.relatedReply(options);
    if (reply) {
      await reply.send(message);
      return;
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
    this.#streams = undefined;
    this.abandonReplies();
    this.closeGetStream();
    this.#protocol?.transportClosed();
    this.onclose?.();
    this.#owner.transportClosed(this);
  }
}
