import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import {
  isInitializeRequest,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type JSONRPCRequest,
  LATEST_PROTOCOL_VERSION,
  type RequestId,
  type ServerNotification,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../errors/errors.js";
import type { McpForgeApp } from "../server/app.js";
import type { RequestExtra } from "../server/protocol-session.js";
import { Session } from "../server/session.js";
import { BodyError, readJsonBody } from "./body.js";
import { type EventStore, memoryEventStore } from "./event-store.js";
import type { ResolvedListenOptions } from "./options.js";
import { Reply } from "./reply.js";
import { applyCors, checkCors, type HostPolicy, hostAllowed, originAllowed } from "./security.js";
import { HttpSessionTransport } from "./session-transport.js";
import { startSse, writeEvent } from "./sse.js";

/** An HTTP hook added with `app.useHttp()`: return true (or end the response) to stop. */
export type HttpHook = (
  req: IncomingMessage & { auth?: AuthInfo },
  res: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined> | void | Promise<void>;

/** An HTTP route handler added with `app.route()`. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

interface SessionEntry {
  id: string;
  transport: HttpSessionTransport;
  session: Session;
  lastSeen: number;
  protocolVersion: string;
  events: EventStore | undefined;
  streams: number;
  /** The principal that created the session; other principals get 404. */
  principal: string | undefined;
}

type Extra = RequestExtra;

/**
 * Writes a JSON-RPC error body with an HTTP status. Bodies never carry stack frames or paths.
 *
 * @example
 * rpcError(res, 404, -32001, "Session not found");
 */
export function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: RequestId | null = null,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } });
  res.writeHead(status, { ...headers, "content-type": "application/json" });
  res.end(body);
}

function accepts(req: IncomingMessage, type: string): boolean {
  const accept = (req.headers.accept ?? "").toLowerCase();
  if (accept.includes(type) || accept.includes("*/*")) return true;
  return accept.includes(`${type.split("/")[0]}/*`);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The principal of a request authenticated by an HTTP hook (`req.auth`), if any. */
function principalOf(req: IncomingMessage): string | undefined {
  const auth = (req as { auth?: { clientId?: string; extra?: { subject?: unknown } } }).auth;
  if (!auth) return undefined;
  const subject = auth.extra?.subject;
  return typeof subject === "string" ? subject : auth.clientId;
}

function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

function negotiated(requested: unknown): string {
  return typeof requested === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION;
}

/**
 * The Streamable HTTP request handler: security checks, routes, sessions, and the MCP endpoint.
 *
 * @example
 * const handler = new McpHttpHandler(app, resolveListenOptions({}));
 * http.createServer((req, res) => handler.handle(req, res));
 */
export class McpHttpHandler {
  readonly #app: McpForgeApp;
  readonly #o: ResolvedListenOptions;
  readonly #policy: HostPolicy;
  readonly #entries = new Map<string, SessionEntry>();
  readonly #stateless: Session;
  readonly #inflight = new Set<Reply>();
  #reaper: NodeJS.Timeout | undefined;
  #draining = false;

  constructor(app: McpForgeApp, options: ResolvedListenOptions) {
    checkCors(options.cors);
    this.#app = app;
    this.#o = options;
    this.#policy = {
      allowedHosts: options.allowedHosts,
      allowedOrigins: [...options.allowedOrigins, ...(options.cors?.origins ?? [])].filter(
        (o) => o !== "*",
      ),
      anyHost: options.dangerouslyAllowAnyHost,
    };
    this.#stateless = new Session("stateless", undefined, "http");
    if (options.mode === "stateful") {
      const every = Math.min(Math.max(options.sessionIdleTimeoutMs / 4, 10), 60_000);
      this.#reaper = setInterval(() => this.reap(), every);
      this.#reaper.unref();
    }
  }

  /** Open sessions. */
  get sessionCount(): number {
    return this.#entries.size;
  }

  /** Requests being answered right now. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /** Handles one HTTP request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.#handle(req, res);
    } catch (err) {
      this.#app.logger.error("http handler failed", {
        error: (err as Error).message,
        stack: (err as Error).stack,
      });
      if (!res.headersSent) rpcError(res, 500, -32603, "Internal server error");
      else res.destroy();
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, this.#policy)) {
      return rpcError(res, 403, -32000, "Forbidden: Host header not allowed");
    }
    if (!originAllowed(header(req, "origin"), this.#policy)) {
      return rpcError(res, 403, -32000, "Forbidden: Origin not allowed");
    }
    if (applyCors(req, res, this.#o.cors)) return;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const route = this.#app.routeFor(req.method ?? "GET", path);
    if (route) {
      await route(req, res);
      return;
    }
    if (path !== this.#o.path) return rpcError(res, 404, -32000, "Not found");
    for (const hook of this.#app.httpHooks) {
      const stop = await hook(req, res);
      if (stop === true || res.writableEnded || res.headersSent) return;
    }
    const stateless = this.#o.mode === "stateless";
    const allow = stateless ? "POST, OPTIONS" : "GET, POST, DELETE, OPTIONS";
    if (req.method === "POST") return this.#post(req, res);
    if ((req.method === "GET" || req.method === "DELETE") && !stateless) {
      return req.method === "GET" ? this.#get(req, res) : this.#delete(req, res);
    }
    return rpcError(res, 405, -32000, "Method not allowed", { allow });
  }

  #protocolHeaderOk(req: IncomingMessage, res: ServerResponse): boolean {
    const v = header(req, "mcp-protocol-version");
    if (v === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(v)) return true;
    rpcError(res, 400, -32000, `Unsupported MCP-Protocol-Version: ${v.slice(0, 40)}`);
    return false;
  }

  #entry(req: IncomingMessage, res: ServerResponse): SessionEntry | undefined {
    const id = header(req, "mcp-session-id");
    if (!id) {
      rpcError(res, 400, -32000, "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    const entry = this.#entries.get(id);
    if (!entry || entry.principal !== principalOf(req)) {
      rpcError(res, 404, -32001, "Session not found");
      return undefined;
    }
    entry.lastSeen = Date.now();
    return entry;
  }

  async #post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!accepts(req, "application/json") || !accepts(req, "text/event-stream")) {
      return rpcError(
        res,
        406,
        -32000,
        "Not Acceptable: Accept must list application/json and text/event-stream",
      );
    }
    const type = (header(req, "content-type") ?? "").toLowerCase();
    if (!/^application\/json\s*(;|$)/.test(type)) {
      return rpcError(
        res,
        415,
        -32000,
        "Unsupported Media Type: Content-Type must be application/json",
      );
    }
    if (!this.#protocolHeaderOk(req, res)) return;
    if (this.#draining)
      return rpcError(res, 503, -32000, "Server is shutting down", { "retry-after": "5" });
    let body: unknown;
    try {
      body = await readJsonBody(req, this.#o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyError) {
        if (err.status === 413) res.setHeader("connection", "close");
        return rpcError(res, err.status, err.rpcCode, err.message);
      }
      throw err;
    }
    if (Array.isArray(body)) {
      return rpcError(res, 400, -32600, "Invalid Request: JSON-RPC batches are not supported");
    }
    const parsed = JSONRPCMessageSchema.safeParse(body);
    if (!parsed.success) {
      const id = (body as { id?: unknown } | null)?.id;
      const validId = typeof id === "string" || typeof id === "number" ? id : null;
      return rpcError(res, 400, -32600, "Invalid Request: not a JSON-RPC 2.0 message", {}, validId);
    }
    const message = parsed.data;
    if (this.#o.mode === "stateless") return this.#statelessPost(req, res, message);
    return this.#statefulPost(req, res, message);
  }

  async #statefulPost(
    req: IncomingMessage,
    res: ServerResponse,
    message: JSONRPCMessage,
  ): Promise<void> {
    let entry: SessionEntry | undefined;
    if (isInitializeRequest(message)) {
      if (header(req, "mcp-session-id")) {
        return rpcError(
          res,
          400,
          -32600,
          "Invalid Request: initialize must not carry a session id",
        );
      }
      if (this.#entries.size >= this.#o.maxSessions) {
        return rpcError(res, 503, -32000, "Too many sessions, retry later", {
          "retry-after": "30",
        });
      }
      entry = await this.#open(negotiated(message.params.protocolVersion), principalOf(req));
    } else {
      entry = this.#entry(req, res);
      if (!entry) return;
    }
    const extra = {
      requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress } as never,
      authInfo: (req as { auth?: never }).auth,
    };
    if (!("method" in message) || !("id" in message)) {
      entry.transport.deliver(message, extra);
      res.writeHead(202).end();
      return;
    }
    const request = message as JSONRPCRequest;
    const e = entry;
    if (e.transport.replies.has(request.id)) {
      return rpcError(
        res,
        400,
        -32600,
        "Invalid Request: this id is already in flight",
        {},
        request.id,
      );
    }
    const streamId = `${e.id}.${++e.streams}`;
    const responseHeaders: Record<string, string> = { "mcp-session-id": e.id };
    const reply: Reply = new Reply(res, request.id, {
      mode: this.#o.responseMode,
      headers: responseHeaders,
      events: { store: this.#events(e), streamId },
      prime: e.protocolVersion >= "2025-11-25",
      retryMs: this.#o.retryMs,
      keepAliveMs: this.#o.keepAliveMs,
      onDone: () => {
        this.#inflight.delete(reply);
        e.transport.streams.delete(streamId);
        e.lastSeen = Date.now();
      },
    });
    this.#inflight.add(reply);
    e.transport.replies.set(request.id, reply);
    e.transport.streams.set(streamId, reply);
    e.transport.deliver(message, {
      ...extra,
      responseHeaders,
      // Typed `() => void` by the SDK; core's ctx.closeSSEStream() reads the boolean.
      closeSSEStream: () => reply.closeStream(),
      closeStandaloneSSEStream: () => e.transport.closeGetStream(),
    });
  }

  #events(entry: SessionEntry): EventStore {
    entry.events ??= this.#o.eventStore ?? memoryEventStore({ maxStreams: 1000 });
    return entry.events;
  }

  async #open(protocolVersion: string, principal: string | undefined): Promise<SessionEntry> {
    const id = newSessionId();
    const entry: SessionEntry = {
      id,
      transport: undefined as never,
      session: undefined as never,
      lastSeen: Date.now(),
      protocolVersion,
      events: undefined,
      streams: 0,
      principal,
    };
    entry.transport = new HttpSessionTransport(id, () => this.#events(entry), this.#o.keepAliveMs);
    this.#entries.set(id, entry);
    entry.session = await this.#app.connect(entry.transport, { transportName: "http" });
    entry.transport.onclose = chain(entry.transport.onclose, () => this.#forget(entry));
    return entry;
  }

  #forget(entry: SessionEntry): void {
    if (this.#entries.get(entry.id) !== entry) return;
    this.#entries.delete(entry.id);
    void entry.events?.forget?.(`${entry.id}.`);
    entry.events = undefined;
  }

  /** Ends a session: aborts its in-flight handlers, closes its streams, frees its state. */
  async closeSession(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#forget(entry);
    await entry.transport.close();
    return true;
  }

  async #get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!accepts(req, "text/event-stream")) {
      return rpcError(res, 406, -32000, "Not Acceptable: Accept must list text/event-stream");
    }
    if (!this.#protocolHeaderOk(req, res)) return;
    const entry = this.#entry(req, res);
    if (!entry) return;
    const headers = { "mcp-session-id": entry.id };
    const last = header(req, "last-event-id");
    if (last !== undefined) {
      if (!last.startsWith(`${entry.id}.`)) return rpcError(res, 404, -32000, "Unknown event id");
      startSse(res, headers);
      const streamId = await this.#events(entry).replayEventsAfter(last, (id, message) => {
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
      const reply = entry.transport.streams.get(streamId);
      if (reply) reply.attach(res);
      else res.end();
      return;
    }
    if (entry.transport.hasGetStream) {
      return rpcError(res, 409, -32000, "Conflict: a standalone SSE stream is already open");
    }
    entry.transport.openGetStream(res, headers);
  }

  async #delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#protocolHeaderOk(req, res)) return;
    const entry = this.#entry(req, res);
    if (!entry) return;
    await this.closeSession(entry.id);
    res.writeHead(200).end();
  }

  async #statelessPost(
    req: IncomingMessage,
    res: ServerResponse,
    message: JSONRPCMessage,
  ): Promise<void> {
    if (!("method" in message) || !("id" in message)) {
      res.writeHead(202).end();
      return;
    }
    const request = message as JSONRPCRequest;
    const responseHeaders: Record<string, string> = {};
    const reply: Reply = new Reply(res, request.id, {
      mode: this.#o.responseMode,
      headers: responseHeaders,
      events: undefined,
      prime: false,
      retryMs: this.#o.retryMs,
      keepAliveMs: this.#o.keepAliveMs,
      onDone: () => this.#inflight.delete(reply),
    });
    this.#inflight.add(reply);
    // The abort signal is made on first use: most handlers never look at it.
    let controller: AbortController | undefined;
    let gone = false;
    res.once("close", () => {
      if (reply.done) return;
      gone = true;
      controller?.abort();
    });
    const extra = {
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (gone) controller.abort();
        }
        return controller.signal;
      },
      requestId: request.id,
      _meta: request.params?._meta,
      authInfo: (req as { auth?: never }).auth,
      requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress } as never,
      responseHeaders,
      sendNotification: (n: ServerNotification) =>
        reply.send({ jsonrpc: "2.0", ...n } as JSONRPCMessage),
      sendRequest: () =>
        Promise.reject(
          new McpForgeError(
            "capability_missing",
            "Server-to-client requests (sampling, elicitation, roots) need a stateful session",
          ),
        ),
    } as unknown as Extra;
    let answer: JSONRPCMessage;
    try {
      const result =
        request.method === "initialize"
          ? this.#app.initializeResult(request.params?.protocolVersion)
          : request.method === "ping"
            ? {}
            : await this.#app.dispatch(this.#stateless, request, extra);
      answer = { jsonrpc: "2.0", id: request.id, result: result as Record<string, unknown> };
    } catch (err) {
      const e = err as { code?: unknown; message?: string; data?: unknown };
      const code = Number.isSafeInteger(e.code) ? (e.code as number) : -32603;
      const error: { code: number; message: string; data?: unknown } = {
        code,
        message:
          code === -32603 && !(err instanceof McpForgeError)
            ? "Internal error"
            : (e.message ?? "Error"),
      };
      if (e.data !== undefined && err instanceof McpForgeError) error.data = e.data;
      answer = { jsonrpc: "2.0", id: request.id, error };
    }
    await reply.send(answer);
  }

  /** Closes sessions idle for longer than the timeout (those with calls in flight are kept). */
  reap(now = Date.now()): number {
    let closed = 0;
    for (const entry of [...this.#entries.values()]) {
      if (entry.transport.replies.size > 0) continue;
      if (now - entry.lastSeen < this.#o.sessionIdleTimeoutMs) continue;
      closed++;
      void this.closeSession(entry.id);
    }
    return closed;
  }

  /** Stops taking new calls; answers the ones still running at the deadline with an error. */
  async drain(deadlineMs: number): Promise<void> {
    this.#draining = true;
    const end = Date.now() + deadlineMs;
    while (this.#inflight.size > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(
      [...this.#inflight].map((reply) => reply.fail(-32603, "Server is shutting down")),
    );
  }

  /** Closes every session and stops the reaper. */
  async close(): Promise<void> {
    if (this.#reaper) clearInterval(this.#reaper);
    await Promise.all([...this.#entries.keys()].map((id) => this.closeSession(id)));
  }
}

function chain(first: (() => void) | undefined, second: () => void): () => void {
  return () => {
    first?.();
    second();
  };
}
