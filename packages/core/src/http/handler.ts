import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONRPCMessage, JSONRPCRequest, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { ErrorCodes, McpForgeError } from "../errors/errors.js";
import { toJsonRpcError } from "../errors/json-rpc.js";
import { requestedVersion } from "../protocol/initialize.js";
import { Session } from "../protocol/session.js";
import { checkMessage } from "../protocol/validate.js";
import { allowsBatches, negotiateVersion } from "../protocol/version.js";
import { principalKey } from "../utils/principal.js";
import type { AttachedSessions } from "./backend.js";
import { BodyError, readJsonBody } from "./body.js";
import { httpError, idInFlight, tooManySessions, writeJson } from "./errors.js";
import type { EventStoreStats, MemoryEventStore } from "./event-store.js";
import {
  accepts,
  header,
  postHeadersOk,
  protocolHeaderOk,
  type SessionStep,
  sessionStep,
} from "./negotiation.js";
import type { ResolvedListenOptions } from "./options.js";
import { Reply } from "./reply.js";
import { applyCors, checkCors, type HostPolicy, hostAllowed, originAllowed } from "./security.js";
import { SessionPost, type SessionPostSettings } from "./session-post.js";
import { type SessionEntry, SessionTable } from "./session-table.js";
import { startSse, writeEvent } from "./sse.js";
import { type StatelessContext, statelessAnswer } from "./stateless.js";
import type { HttpHost, HttpRequest } from "./types.js";

/**
 * The Streamable HTTP request handler: security checks, routes, hooks, and the MCP endpoint
 * (stateful sessions or stateless). It sees the app only through {@link HttpHost}.
 *
 * @example
 * import { createServer } from "node:http";
 * import { McpForgeError } from "@mcpforge/core";
 * import { createStderrLogger } from "@mcpforge/core/authoring";
 * import {
 *   type HttpHost,
 *   McpHttpHandler,
 *   ProtocolSession,
 *   resolveListenOptions,
 *   Session,
 * } from "@mcpforge/core/transport";
 * // A server wired by hand that answers tools/list (app.listen() does all of this for an app).
 * const answer = async (request: { method: string }) => {
 *   if (request.method === "tools/list") return { tools: [] };
 *   throw new McpForgeError("method_not_found", `Method not found: ${request.method}`);
 * };
 * const initializeResult = (protocolVersion: string) => ({
 *   protocolVersion,
 *   capabilities: { tools: {} },
 *   serverInfo: { name: "by-hand", version: "1.0.0" },
 * });
 * const host: HttpHost = {
 *   logger: createStderrLogger("by-hand"),
 *   authenticated: false,
 *   httpHooks: [],
 *   routeFor: () => undefined,
 *   async connect(transport, { transportName }) {
 *     const protocolHost = { dispatch: answer, notification: () => {}, initializeResult };
 *     const protocol = new ProtocolSession(protocolHost, transport);
 *     await protocol.start();
 *     return new Session(transport.sessionId ?? "", protocol, transportName);
 *   },
 *   dispatch: (_session, request) => answer(request),
 *   initializeResult,
 * };
 * const handler = new McpHttpHandler(host, resolveListenOptions({}));
 * createServer((req, res) => void handler.handle(req, res)).listen(3000, "127.0.0.1");
 */
export class McpHttpHandler {
  readonly #host: HttpHost;
  readonly #o: ResolvedListenOptions;
  readonly #policy: HostPolicy;
  readonly #sessions: SessionTable | undefined;
  /** Stateful sessions served by a backend (`listen({ sessions })`) instead of the table. */
  readonly #shared: AttachedSessions | undefined;
  readonly #stateless: StatelessContext | undefined;
  readonly #inflight = new Set<Reply>();
  /** What every stateful POST's answer shares. */
  readonly #postSettings: SessionPostSettings;
  #draining = false;

  constructor(host: HttpHost, options: ResolvedListenOptions) {
    checkCors(options.cors);
    this.#host = host;
    this.#o = options;
    this.#postSettings = {
      responseMode: options.responseMode,
      retryMs: options.retryMs,
      keepAliveMs: options.keepAliveMs,
      inflight: this.#inflight,
    };
    this.#policy = {
      allowedHosts: options.allowedHosts,
      allowedOrigins: [...options.allowedOrigins, ...(options.cors?.origins ?? [])].filter(
        (o) => o !== "*",
      ),
      anyHost: options.dangerouslyAllowAnyHost,
    };
    if (options.mode === "stateful" && options.sessions) {
      this.#shared = options.sessions.attach({ host, options, inflight: this.#inflight });
    } else if (options.mode === "stateful") {
      this.#sessions = new SessionTable(host, options);
    } else {
      this.#stateless = {
        host,
        options,
        session: new Session("stateless", undefined, "http"),
        inflight: this.#inflight,
      };
    }
  }

  /** Open sessions. */
  get sessionCount(): number {
    return this.#sessions?.size ?? this.#shared?.size ?? 0;
  }

  /** Requests being answered right now. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /**
   * Open sessions, requests in flight, and the event store's counters (bytes held, streams,
   * evictions) when it keeps any.
   *
   * @example
   * const http = await app.listen({ port: 0 });
   * const { sessions, inflight, events } = http.handler.stats();
   * console.error(`${sessions} sessions, ${inflight} in flight, ${events?.bytes ?? 0} event bytes`);
   * await http.close();
   */
  stats(): { sessions: number; inflight: number; events: EventStoreStats | undefined } {
    const store = this.#sessions?.store as Partial<MemoryEventStore> | undefined;
    return {
      sessions: this.sessionCount,
      inflight: this.#inflight.size,
      events: typeof store?.stats === "function" ? store.stats() : undefined,
    };
  }

  /** Handles one HTTP request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.#handle(req, res);
    } catch (err) {
      this.#host.logger.error("http handler failed", {
        error: (err as Error).message,
        stack: (err as Error).stack,
      });
      if (!res.headersSent) httpError(res, 500, "internal", "Internal server error");
      else res.destroy();
    }
  }

  async #handle(req: HttpRequest, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const route = this.#host.routeFor(req.method ?? "GET", path);
    if (route?.public) {
      await route.handler(req, res);
      return;
    }
    if (!hostAllowed(req.headers.host, this.#policy)) {
      return httpError(res, 403, "http_error", "Forbidden: Host header not allowed");
    }
    if (!originAllowed(header(req, "origin"), this.#policy)) {
      return httpError(res, 403, "http_error", "Forbidden: Origin not allowed");
    }
    if (applyCors(req, res, this.#o.cors)) return;
    if (route) {
      await route.handler(req, res);
      return;
    }
    if (path !== this.#o.path) return httpError(res, 404, "http_error", "Not found");
    for (const hook of this.#host.httpHooks) {
      // Most hooks answer synchronously: await only a promise.
      let stop = hook(req, res);
      if (stop instanceof Promise) stop = await stop;
      if (stop === true || res.writableEnded || res.headersSent) return;
    }
    if (req.method === "POST") {
      // awaited, not returned: an async function returning a promise costs two more microtasks
      await this.#post(req, res);
      return;
    }
    if (this.#shared) {
      if (req.method === "GET" && this.#streamHeadersOk(req, res))
        return this.#shared.get(req, res);
      if (req.method === "DELETE" && protocolHeaderOk(req, res))
        return this.#shared.delete(req, res);
      if (req.method === "GET" || req.method === "DELETE") return;
    }
    if (this.#sessions && req.method === "GET") return this.#get(this.#sessions, req, res);
    if (this.#sessions && req.method === "DELETE") return this.#delete(this.#sessions, req, res);
    const stateful = this.#sessions !== undefined || this.#shared !== undefined;
    const allow = stateful ? "GET, POST, DELETE, OPTIONS" : "POST, OPTIONS";
    return httpError(res, 405, "http_error", "Method not allowed", { headers: { allow } });
  }

  async #post(req: HttpRequest, res: ServerResponse): Promise<void> {
    if (!postHeadersOk(req, res)) return;
    if (this.#draining) {
      return httpError(res, 503, "unavailable", "Server is shutting down", {
        headers: { "retry-after": "5" },
      });
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, this.#o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyError) {
        if (err.status === 413) res.setHeader("connection", "close");
        return httpError(res, err.status, err.kind, err.message);
      }
      throw err;
    }
    if (Array.isArray(body)) return this.#batch(req, res, body);
    const checked = checkMessage(body);
    if (!checked.ok) {
      if (!checked.answer) {
        res.writeHead(202).end();
        return;
      }
      // A well-formed request with bad params is a JSON-RPC answer (200), not a transport error.
      const status = checked.error.code === ErrorCodes.invalid_params ? 200 : 400;
      return writeJson(res, status, { jsonrpc: "2.0", id: checked.id, error: checked.error });
    }
    if (this.#stateless) {
      const message = checked.message;
      if (!("method" in message) || !("id" in message)) {
        res.writeHead(202).end();
        return;
      }
      await statelessAnswer(this.#stateless, req, res, [message as JSONRPCRequest]);
      return;
    }
    if (this.#shared) return this.#shared.post(req, res, checked.message);
    if (this.#sessions) {
      // a promise only for an initialize: the usual request is answered without one
      const opening = this.#statefulPost(this.#sessions, req, res, checked.message);
      if (opening) await opening;
    }
  }

  /**
   * A JSON-RPC batch: allowed for clients on protocol 2025-03-26 or earlier (the session's
   * negotiated revision; in stateless mode the `MCP-Protocol-Version` header, absent meaning
   * 2025-03-26), refused with 400/-32600 from 2025-06-18 on. Each element is answered (errors per
   * element); a batch of only notifications gets 202.
   */
  async #batch(req: HttpRequest, res: ServerResponse, items: unknown[]): Promise<void> {
    if (items.length === 0) {
      return httpError(res, 400, "invalid_request", "Invalid Request: an empty batch");
    }
    if (this.#shared) {
      return httpError(
        res,
        400,
        "invalid_request",
        "Invalid Request: JSON-RPC batches are not supported with a shared session backend",
      );
    }
    let entry: SessionEntry | undefined;
    let version = header(req, "mcp-protocol-version") ?? "2025-03-26";
    if (this.#sessions) {
      entry = this.#sessions.lookup(req, res);
      if (!entry) return;
      version = entry.protocolVersion;
    }
    if (!allowsBatches(version)) {
      return httpError(
        res,
        400,
        "invalid_request",
        `Invalid Request: JSON-RPC batches are not supported in protocol revision ${version}`,
      );
    }
    const answered: JSONRPCMessage[] = [];
    const requests: JSONRPCRequest[] = [];
    const others: JSONRPCMessage[] = [];
    const ids = new Set<RequestId>();
    const refuse = (id: RequestId, message: string) =>
      answered.push({
        jsonrpc: "2.0",
        id,
        error: toJsonRpcError(new McpForgeError("invalid_request", message)),
      });
    for (const item of items) {
      const checked = checkMessage(item);
      if (!checked.ok) {
        if (checked.answer)
          answered.push({ jsonrpc: "2.0", id: checked.id, error: checked.error } as JSONRPCMessage);
        continue;
      }
      const message = checked.message;
      if (!("method" in message) || !("id" in message)) {
        others.push(message);
        continue;
      }
      const request = message as JSONRPCRequest;
      if (request.method === "initialize") {
        refuse(request.id, "Invalid Request: initialize must not be part of a batch");
      } else if (ids.has(request.id) || entry?.transport.hasReply(request.id)) {
        refuse(request.id, "Invalid Request: this id is already in flight");
      } else {
        ids.add(request.id);
        requests.push(request);
      }
    }
    const extra = {
      requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
      authInfo: req.auth,
    };
    if (entry) for (const m of others) entry.transport.deliver(m, extra);
    if (requests.length === 0) {
      if (answered.length === 0) {
        res.writeHead(202).end();
        return;
      }
      return writeJson(res, 200, answered);
    }
    if (this.#stateless) {
      return statelessAnswer(this.#stateless, req, res, requests, { answered });
    }
    if (entry && this.#sessions) {
      this.#openReply(this.#sessions, entry, req, res, requests, answered);
    }
  }

  /**
   * A message POSTed to a stateful session. Synchronous (no promise made) unless it is an
   * `initialize`, which waits for its schema check and may open a session.
   */
  #statefulPost(
    sessions: SessionTable,
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCMessage,
  ): Promise<void> | undefined {
    const pending = sessionStep(req, res, message);
    if (pending !== "lookup") return this.#statefulInitialize(sessions, req, res, message, pending);
    const entry = sessions.lookup(req, res);
    if (entry) this.#statefulDeliver(sessions, entry, req, res, message);
    return undefined;
  }

  async #statefulInitialize(
    sessions: SessionTable,
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCMessage,
    pending: Promise<SessionStep>,
  ): Promise<void> {
    let entry: SessionEntry | undefined;
    const step = await pending;
    if (step === "answered") return;
    if (step === "open") {
      if (sessions.full) {
        return tooManySessions(res);
      }
      const version = negotiateVersion(requestedVersion(message));
      entry = await sessions.open(version, principalKey(req.auth));
    } else {
      entry = sessions.lookup(req, res);
      if (!entry) return;
    }
    this.#statefulDeliver(sessions, entry, req, res, message);
  }

  /** Hands a message to its session: a notification or response gets 202, a request its answer. */
  #statefulDeliver(
    sessions: SessionTable,
    entry: SessionEntry,
    req: HttpRequest,
    res: ServerResponse,
    message: JSONRPCMessage,
  ): void {
    if (!("method" in message) || !("id" in message)) {
      entry.transport.deliver(message, {
        requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
        authInfo: req.auth,
      });
      res.writeHead(202).end();
      return;
    }
    const request = message as JSONRPCRequest;
    if (entry.transport.hasReply(request.id)) {
      idInFlight(res, request.id);
      return;
    }
    this.#openReply(sessions, entry, req, res, [request]);
  }

  /** Opens the answer channel of one POST (one request, or a batch) and hands the requests over. */
  #openReply(
    sessions: SessionTable,
    e: SessionEntry,
    req: HttpRequest,
    res: ServerResponse,
    requests: readonly JSONRPCRequest[],
    answered?: readonly JSONRPCMessage[],
  ): void {
    const post = new SessionPost(
      this.#postSettings,
      e,
      req,
      requests,
      answered,
      sessions.events(e),
    );
    const ids = answered ? requests.map((r) => r.id) : (requests[0] as JSONRPCRequest).id;
    const reply = new Reply(res, ids, post);
    post.reply = reply;
    this.#inflight.add(reply);
    for (const r of requests) e.transport.setReply(r.id, reply);
    for (const r of requests) e.transport.deliver(r, post);
  }

  /** A GET must accept SSE and carry a supported protocol version; answers 406/400 otherwise. */
  #streamHeadersOk(req: HttpRequest, res: ServerResponse): boolean {
    if (!accepts(req, "text/event-stream")) {
      httpError(res, 406, "http_error", "Not Acceptable: Accept must list text/event-stream");
      return false;
    }
    return protocolHeaderOk(req, res);
  }

  async #get(sessions: SessionTable, req: HttpRequest, res: ServerResponse): Promise<void> {
    if (!this.#streamHeadersOk(req, res)) return;
    const entry = sessions.lookup(req, res);
    if (!entry) return;
    const headers = { "mcp-session-id": entry.id };
    const last = header(req, "last-event-id");
    if (last !== undefined) {
      const store = sessions.events(entry);
      if (last.length > 256 || (store.isEventId && !store.isEventId(last))) {
        return httpError(res, 400, "http_error", "Bad Request: malformed Last-Event-ID");
      }
      if (!last.startsWith(`${entry.id}.`)) {
        return httpError(res, 404, "http_error", "Unknown event id");
      }
      startSse(res, headers);
      const streamId = await store.replayEventsAfter(last, (id, message) => {
        if (!res.writableEnded) writeEvent(res, id, message);
      });
      if (streamId === undefined) {
        res.end();
        return;
      }
      if (streamId === entry.transport.getStreamId) {
        entry.transport.openGetStream(res, headers, true);
        return;
      }
      const reply = entry.transport.stream(streamId);
      if (reply) reply.attach(res);
      else res.end();
      return;
    }
    if (entry.transport.hasGetStream) {
      return httpError(res, 409, "http_error", "Conflict: a standalone SSE stream is already open");
    }
    entry.transport.openGetStream(res, headers);
  }

  async #delete(sessions: SessionTable, req: HttpRequest, res: ServerResponse): Promise<void> {
    if (!protocolHeaderOk(req, res)) return;
    const entry = sessions.lookup(req, res);
    if (!entry) return;
    await sessions.close(entry.id);
    res.writeHead(200).end();
  }

  /** Ends a session: aborts its in-flight handlers, closes its streams, frees its state. */
  closeSession(id: string): Promise<boolean> {
    return this.#sessions?.close(id) ?? this.#shared?.closeSession(id) ?? Promise.resolve(false);
  }

  /** Closes sessions idle for longer than the timeout (those with calls in flight are kept). */
  reap(now = Date.now()): number {
    return this.#sessions?.reap(now) ?? this.#shared?.reap(now) ?? 0;
  }

  /** Stops taking new calls; answers the ones still running at the deadline with an error. */
  async drain(deadlineMs: number): Promise<void> {
    this.#draining = true;
    const end = Date.now() + deadlineMs;
    while (this.#inflight.size > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(
      [...this.#inflight].map((reply) => reply.fail("unavailable", "Server is shutting down")),
    );
  }

  /** Closes every session and stops the reaper. */
  async close(): Promise<void> {
    await this.#sessions?.closeAll();
    await this.#shared?.close();
  }
}
