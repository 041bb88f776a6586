import type { ServerResponse } from "node:http";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { type ErrorKind, McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import type { EventStore } from "./event-store.js";
import { keepAlive, startSse, writeEvent, writePriming } from "./sse.js";

const DONE: Promise<void> = Promise.resolve();

/** How a POST's answer is sent: JSON when nothing streams first (auto), always JSON, or always SSE. */
export type ResponseMode = "auto" | "json" | "sse";

/** Where a resumable answer registers its stream once it streams (the session's transport). */
export interface ReplyStreams {
  setStream(streamId: string, reply: Reply): void;
}

/** Options of {@link Reply}. */
export interface ReplyOptions {
  mode: ResponseMode;
  headers: Record<string, string>;
  /**
   * Present when the stream is resumable (stateful sessions). With `streams`, the stream is
   * registered there when it becomes SSE (a JSON answer is never resumed, so it never is).
   */
  events?: { store: EventStore; streamId: string; streams?: ReplyStreams } | undefined;
  prime: boolean;
  retryMs: number;
  keepAliveMs: number;
  /** Called once the answer is done (sent, cancelled or abandoned). */
  onDone?: (() => void) | undefined;
  /** The listener's answers in flight: this one is removed from it once done. */
  inflight?: Set<Reply> | undefined;
  /** Batches: responses already known (errors of invalid elements), sent with the others. */
  answered?: readonly JSONRPCMessage[];
}

/**
 * The answer channel of one POSTed request: a JSON body, or an SSE stream carrying the
 * request's notifications and server-to-client requests before its final response.
 *
 * @example
 * const reply = new Reply(res, 1, { mode: "auto", headers: {}, prime: false, retryMs: 1000, keepAliveMs: 15000, onDone() {} });
 * await reply.send({ jsonrpc: "2.0", id: 1, result: {} });
 */
export class Reply {
  /** The request this reply answers (the first one, for a batch). */
  readonly requestId: RequestId;
  #res: ServerResponse | undefined;
  #state: "pending" | "sse" | "done" = "pending";
  #queue: Promise<void> = DONE;
  /** Operations queued and not yet settled (0: a final JSON answer can go out at once). */
  #queued = 0;
  readonly #o: ReplyOptions;
  #stopKeepAlive: (() => void) | undefined;
  /** A batch's requests still waiting for their final response (undefined for one request). */
  readonly #waiting: Set<RequestId> | undefined;
  /** Whether the one request (not a batch) still waits for its final response. */
  #oneWaiting: boolean;
  /** A batch (protocol 2025-03-26) answers with an array. */
  readonly #batch: boolean;
  /** Final responses of a batch collected for its JSON array (errors of bad elements first). */
  #finals: JSONRPCMessage[] | undefined;
  /** See {@link Reply.lostClient}. */
  #lost = false;

  constructor(
    res: ServerResponse,
    requestIds: RequestId | readonly RequestId[],
    options: ReplyOptions,
  ) {
    // No "close" listener: a response the client closed is `destroyed` (see #live()).
    this.#res = res;
    this.#o = options;
    if (Array.isArray(requestIds)) {
      this.#batch = true;
      this.requestId = requestIds[0] as RequestId;
      this.#waiting = new Set(requestIds);
      this.#oneWaiting = false;
      this.#finals = options.answered ? [...options.answered] : undefined;
    } else {
      this.#batch = false;
      this.requestId = requestIds as RequestId;
      this.#waiting = undefined;
      this.#oneWaiting = true;
      this.#finals = undefined;
    }
  }

  /** The response, while the client can still receive on it (not ended, not closed). */
  #live(): ServerResponse | undefined {
    const res = this.#res;
    return res !== undefined && !res.writableEnded && !res.destroyed ? res : undefined;
  }

  #waits(id: RequestId): boolean {
    return this.#waiting ? this.#waiting.has(id) : this.#oneWaiting && id === this.requestId;
  }

  /** Stops waiting for request `id`; returns whether it was waited for. */
  #settle(id: RequestId): boolean {
    if (this.#waiting) return this.#waiting.delete(id);
    if (!this.#oneWaiting || id !== this.requestId) return false;
    this.#oneWaiting = false;
    return true;
  }

  /** Requests still waiting for their final response. */
  get #pending(): number {
    return this.#waiting ? this.#waiting.size : this.#oneWaiting ? 1 : 0;
  }

  #isFinal(message: JSONRPCMessage): boolean {
    if (!("result" in message || "error" in message)) return false;
    return this.#waits((message as { id: RequestId }).id);
  }

  get done(): boolean {
    return this.#state === "done";
  }

  /** Whether the answer ended after the client had gone away (it never got the final response). */
  get lostClient(): boolean {
    return this.#lost;
  }

  /** Whether the client is still connected to this answer. */
  get connected(): boolean {
    return this.#live() !== undefined;
  }

  #enqueue(fn: () => Promise<void> | void): Promise<void> {
    this.#queued++;
    const next = this.#queue.then(fn);
    const settled = () => {
      this.#queued--;
    };
    this.#queue = next.then(settled, settled);
    return next;
  }

  /** Sends a message belonging to this request (a notification, a request, or the final response). */
  send(message: JSONRPCMessage): Promise<void> {
    // The common case — one request's final response, nothing streamed or queued before it —
    // is written now: what `#send` would do one queue hop later.
    if (
      this.#queued === 0 &&
      this.#state === "pending" &&
      !this.#batch &&
      this.#o.mode !== "sse" &&
      this.#isFinal(message)
    ) {
      this.#settle((message as { id: RequestId }).id);
      try {
        this.#json(message);
      } catch (err) {
        return Promise.reject(err);
      }
      return DONE;
    }
    return this.#enqueue(() => this.#send(message));
  }

  async #send(message: JSONRPCMessage): Promise<void> {
    if (this.#state === "done") return;
    const final = this.#isFinal(message);
    if (final) this.#settle((message as { id: RequestId }).id);
    if (this.#state === "pending") {
      if (final && this.#o.mode !== "sse") {
        if (!this.#batch) {
          this.#json(message);
          return;
        }
        this.#finals ??= [];
        this.#finals.push(message);
        if (this.#pending === 0) this.#json(this.#finals);
        return;
      }
      if (this.#o.mode === "json") {
        if ("method" in message && "id" in message) {
          throw new Error(
            "Server-to-client requests need an SSE response (JSON response mode is on)",
          );
        }
        return; // notifications cannot be delivered on a JSON answer
      }
      await this.#startSse();
      const earlier = this.#finals ?? [];
      this.#finals = undefined;
      for (const m of earlier) await this.#event(m);
    }
    await this.#event(message);
    if (final && this.#pending === 0) this.#finish();
  }

  async #event(message: JSONRPCMessage): Promise<void> {
    const events = this.#o.events;
    const id = events ? await events.store.storeEvent(events.streamId, message) : undefined;
    const res = this.#live();
    if (res) writeEvent(res, id, message);
  }

  #json(message: JSONRPCMessage | JSONRPCMessage[]): void {
    const res = this.#live();
    this.#state = "done";
    this.#lost = this.#res?.destroyed === true;
    if (res) {
      const body = JSON.stringify(message);
      // copied key by key: an object spread here cost as much as the JSON.stringify above
      const headers: Record<string, string | number> = {};
      const extra = this.#o.headers;
      for (const name in extra) headers[name] = extra[name] as string;
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
      res.writeHead(200, headers);
      res.end(body);
    }
    this.#done();
  }

  #done(): void {
    this.#o.inflight?.delete(this);
    this.#o.onDone?.();
  }

  async #startSse(): Promise<void> {
    this.#state = "sse";
    this.#o.events?.streams?.setStream(this.#o.events.streamId, this);
    const res = this.#live();
    if (!res) return;
    startSse(res, this.#o.headers);
    this.#stopKeepAlive = keepAlive(res, this.#o.keepAliveMs);
    const events = this.#o.events;
    if (events && this.#o.prime) {
      const id = await events.store.storeEvent(events.streamId, undefined);
      if (!res.writableEnded) writePriming(res, id, this.#o.retryMs);
    }
  }

  #finish(): void {
    this.#state = "done";
    this.#stopKeepAlive?.();
    const res = this.#live();
    const delivered = res !== undefined;
    this.#lost = this.#res?.destroyed === true;
    res?.end();
    this.#res = undefined;
    const events = this.#o.events;
    // Events are kept for a client that may resume; one that got the final response will not.
    if (events) void events.store.streamDone?.(events.streamId, delivered);
    this.#done();
  }

  /**
   * Closes the SSE stream early (SEP-1699); the client resumes with GET + Last-Event-ID.
   * Only resumable streams can be closed; returns whether it was.
   */
  closeStream(): boolean {
    // Only primed SSE streams can be resumed: never for JSON answers or pre-2025-11-25 clients.
    if (!this.#o.events || !this.#o.prime || this.#o.mode === "json" || this.#state === "done") {
      return false;
    }
    void this.#enqueue(async () => {
      if (this.#state === "pending") await this.#startSse();
      this.#stopKeepAlive?.();
      this.#live()?.end();
      this.#res = undefined;
    });
    return true;
  }

  /** Continues this stream on a resumed GET (after the missed events were replayed). */
  attach(res: ServerResponse): void {
    void this.#enqueue(() => {
      if (this.#state === "done") {
        res.end();
        return;
      }
      this.#res = res;
      this.#stopKeepAlive = keepAlive(res, this.#o.keepAliveMs);
      res.once("close", () => {
        if (this.#res === res) this.#res = undefined;
      });
    });
  }

  /** Answers every request still waiting with a JSON-RPC error (used at the shutdown deadline). */
  async fail(kind: ErrorKind, message: string): Promise<void> {
    const error = toJsonRpcError(new McpForgeError(kind, message));
    const ids = this.#waiting ? [...this.#waiting] : this.#oneWaiting ? [this.requestId] : [];
    for (const id of ids) await this.send({ jsonrpc: "2.0", id, error });
  }

  /**
   * The client cancelled request `id`: it gets no response. Once nothing else is awaited the
   * answer ends — 202 with no body when nothing was sent yet, else the SSE stream ends (the
   * other answers of a batch still go out).
   */
  cancel(id: RequestId): Promise<void> {
    return this.#enqueue(() => {
      if (this.#state === "done" || !this.#settle(id) || this.#pending > 0) return;
      if (this.#state === "sse") {
        this.#finish();
        return;
      }
      if (this.#finals && this.#finals.length > 0) {
        this.#json(this.#finals);
        return;
      }
      this.#state = "done";
      const res = this.#live();
      if (res && !res.headersSent) res.writeHead(202).end();
      else res?.end();
      this.#res = undefined;
      this.#done();
    });
  }

  /** Ends the connection without an answer (session closed). */
  abandon(): void {
    if (this.#state === "done") return;
    this.#state = "done";
    this.#stopKeepAlive?.();
    const res = this.#live();
    if (res && !res.headersSent) res.writeHead(404).end();
    else res?.end();
    this.#res = undefined;
    this.#done();
  }
}
