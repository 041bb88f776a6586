import type { JSONRPCMessage, JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import type { IncomingExtra } from "../protocol/types.js";
import type { EventStore } from "./event-store.js";
import type { Reply, ReplyOptions, ResponseMode } from "./reply.js";
import type { SessionEntry } from "./session-table.js";
import type { HttpSessionTransport } from "./session-transport.js";
import type { HttpRequest } from "./types.js";

/** What every POST of one listener shares (its options, its answers in flight). */
export interface SessionPostSettings {
  readonly responseMode: ResponseMode;
  readonly retryMs: number;
  readonly keepAliveMs: number;
  readonly inflight: Set<Reply>;
}

/**
 * One POST to a stateful session, as one object: the options of its {@link Reply}, that
 * reply's resumable stream (`events` is this object), and the {@link IncomingExtra} its
 * requests are delivered with. Its stream id, `onDone()` and `closeSSEStream` cost nothing
 * until used: a POST answered in JSON (the usual one) never makes the id string, and the
 * object's methods are on its prototype instead of closures made per request.
 *
 * @example
 * import { createServer } from "node:http";
 * import { memoryEventStore } from "./event-store.js";
 * import { Reply } from "./reply.js";
 * import { HttpSessionTransport } from "./session-transport.js";
 * const store = memoryEventStore();
 * const transport = new HttpSessionTransport("s1", {
 *   store,
 *   keepAliveMs: 15_000,
 *   transportClosed: () => {},
 * });
 * const entry = {
 *   id: "s1",
 *   transport,
 *   session: undefined,
 *   lastSeen: 0,
 *   protocolVersion: "2025-11-25",
 *   streams: 0,
 *   principal: undefined,
 * };
 * const settings = {
 *   responseMode: "auto" as const,
 *   retryMs: 1000,
 *   keepAliveMs: 15_000,
 *   inflight: new Set<Reply>(),
 * };
 * createServer((req, res) => {
 *   const request = { jsonrpc: "2.0" as const, id: 1, method: "tools/call" };
 *   const post = new SessionPost(settings, entry, req, [request], undefined, store);
 *   post.reply = new Reply(res, request.id, post);
 *   transport.setReply(request.id, post.reply);
 *   // answered in JSON: the stream id "s1.1" is never made
 *   void transport.send({ jsonrpc: "2.0", id: 1, result: {} });
 * }).listen(3000, "127.0.0.1");
 */
export class SessionPost implements ReplyOptions, IncomingExtra {
  readonly mode: ResponseMode;
  /** The answer's headers, which handlers may add to (`responseHeaders`). */
  readonly headers: Record<string, string>;
  readonly prime: boolean;
  readonly retryMs: number;
  readonly keepAliveMs: number;
  readonly inflight: Set<Reply>;
  readonly answered: readonly JSONRPCMessage[] | undefined;
  /** The session's event store (marked used by the session). */
  readonly store: EventStore;
  /** Where the stream registers once it streams (the session's transport). */
  readonly streams: HttpSessionTransport;
  readonly authInfo: IncomingExtra["authInfo"];
  readonly requestInfo: IncomingExtra["requestInfo"];
  /** The reply this POST opened (set right after it is made). */
  reply: Reply | undefined;
  readonly #entry: SessionEntry;
  readonly #requests: readonly JSONRPCRequest[];
  /** The session's POST stream number of this POST. */
  readonly #n: number;
  #streamId: string | undefined;
  #close: (() => boolean) | undefined;

  constructor(
    settings: SessionPostSettings,
    entry: SessionEntry,
    req: HttpRequest,
    requests: readonly JSONRPCRequest[],
    answered: readonly JSONRPCMessage[] | undefined,
    store: EventStore,
  ) {
    this.mode = settings.responseMode;
    this.headers = { "mcp-session-id": entry.id };
    this.prime = entry.protocolVersion >= "2025-11-25";
    this.retryMs = settings.retryMs;
    this.keepAliveMs = settings.keepAliveMs;
    this.inflight = settings.inflight;
    this.answered = answered;
    this.store = store;
    this.streams = entry.transport;
    this.authInfo = req.auth;
    this.requestInfo = { headers: req.headers, remoteAddress: req.socket.remoteAddress };
    this.reply = undefined;
    this.#entry = entry;
    this.#requests = requests;
    this.#n = ++entry.streams;
    this.#streamId = undefined;
    this.#close = undefined;
  }

  /** The reply's resumable stream: this object (`store`, `streamId`, `streams`). */
  get events(): this {
    return this;
  }

  /** The stream id (`<session id>.<n>`), made on first read. */
  get streamId(): string {
    this.#streamId ??= `${this.#entry.id}.${this.#n}`;
    return this.#streamId;
  }

  get responseHeaders(): Record<string, string> {
    return this.headers;
  }

  /** Closes the reply's SSE stream early (SEP-1699); the function is made on first read. */
  get closeSSEStream(): () => boolean {
    this.#close ??= () => this.reply?.closeStream() ?? false;
    return this.#close;
  }

  /** The answer is done: stop routing its requests, forget its stream, and touch the session. */
  onDone(): void {
    const transport = this.#entry.transport;
    // only a stream that streamed was registered, and it read its id then
    if (this.#streamId !== undefined) transport.deleteStream(this.#streamId);
    for (const r of this.#requests) transport.deleteReply(r.id, this.reply);
    this.#entry.lastSeen = Date.now();
  }
}
