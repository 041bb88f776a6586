import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  ClientCapabilities,
  Implementation,
  JSONRPCMessage,
  JSONRPCRequest,
  LoggingLevel,
  RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { McpForgeError } from "../../errors/errors.js";
import { toJsonRpcError } from "../../errors/json-rpc.js";
import type {
  AttachedSessions,
  SessionBackendContext,
  SessionBackendOptions,
} from "../../http/backend.js";
import { httpError } from "../../http/errors.js";
import type { EventStore } from "../../http/event-store.js";
import { header, sessionStep } from "../../http/negotiation.js";
import { Reply } from "../../http/reply.js";
import { keepAlive, startSse } from "../../http/sse.js";
import type { BroadcastNotification, HttpHost, HttpRequest } from "../../http/types.js";
import type { ServerLogger } from "../../internal/logger.js";
import type { Session } from "../../protocol/session.js";
import type { IncomingExtra } from "../../protocol/types.js";
import { negotiateVersion } from "../../protocol/version.js";
import { principalKey } from "../../utils/principal.js";
import { ClusterTransport } from "./cluster-transport.js";
import type { StreamReader, Tail } from "./reader.js";
import { APPEND, FINISH, LOCK, OPEN, ORPHAN, SAVE, TOUCH, UNLOCK } from "./scripts.js";
import type { SessionStore, StreamEntry } from "./store.js";

/** The tuning of a {@link ClusterSessions}. */
export interface ClusterSettings {
  readonly store: SessionStore;
  readonly reader: StreamReader;
  readonly instance: string;
  readonly maxEventsPerStream: number;
  readonly eventTtlMs: number;
  readonly leaseMs: number;
  readonly localIdleMs: number;
  /** Called once the backend stopped (to close the connections it opened). */
  readonly onClose: () => Promise<void>;
}

/** The fields of a session record, as stored. */
interface RecordFields {
  p: string;
  v: string;
  r: string;
  ci?: string;
  cc?: string;
  ll?: string;
  sub?: string;
  st?: string;
}

/** One session's local copy on this instance. */
interface Replica {
  readonly id: string;
  readonly transport: ClusterTransport;
  session: Session | undefined;
  rev: string;
  version: string;
  saved: { st: string; ll: string; sub: string };
  lastSeen: number;
  streams: number;
}

/** A client stream this instance holds and feeds from Redis. */
interface Held {
  readonly sessionId: string;
  readonly streamId: string;
  readonly res: ServerResponse;
  readonly tail: Tail;
}

const BUS_MAX = 10_000;
const UNKNOWN = "-";

function principalHash(req: HttpRequest): string {
  const key = principalKey(req.auth);
  return key === undefined ? UNKNOWN : createHash("sha256").update(key).digest("base64url");
}

function unavailable(res: ServerResponse, id?: RequestId): void {
  httpError(res, 503, "unavailable", "Session store unavailable (Redis): retry later", {
    headers: { "retry-after": "5" },
    ...(id === undefined ? {} : { id }),
  });
}

function writeRaw(res: ServerResponse, id: string, data: string): void {
  if (!res.writableEnded) res.write(`event: message\nid: ${id}\ndata: ${data}\n\n`);
}

function parse<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  return (JSON.parse(text) ?? undefined) as T | undefined;
}

/**
 * Stateful sessions shared by every instance through Redis: records (bound to a hash of the
 * principal), a local copy of each session rebuilt on demand, per-stream Redis Streams (the
 * event store and the route of every server message), a bus stream (deletes, cancellations,
 * list changes), a per-instance inbox (clients' answers to this instance's requests) and
 * ownership leases on running requests.
 *
 * @example
 * import { redisSessions } from "@mcpforge/core/redis";
 * await app.listen({ port: 3000, sessions: redisSessions({ url: "redis://127.0.0.1:6379" }) });
 */
export class ClusterSessions implements AttachedSessions {
  readonly #host: HttpHost;
  readonly #o: SessionBackendOptions;
  readonly #inflight: Set<Reply>;
  readonly #s: ClusterSettings;
  readonly #store: SessionStore;
  readonly #logger: ServerLogger;
  readonly #replicas = new Map<string, Replica>();
  readonly #building = new Map<string, Promise<Replica>>();
  /** Streams of requests running here (their leases are renewed). */
  readonly #leases = new Set<string>();
  /** Standalone streams held here, by session id. */
  readonly #gets = new Map<string, Held>();
  /** Resumed request streams held here, by stream id. */
  readonly #resumed = new Map<string, Held>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unwatch: (() => void) | undefined;
  readonly #inbox: string;
  readonly #orphanError: string;
  #pendingBroadcasts: Map<string, BroadcastNotification> | undefined;
  /** Local copies are freed after this long without a request (never later than the record). */
  readonly #localIdleMs: number;
  #closed = false;

  constructor(context: SessionBackendContext, settings: ClusterSettings) {
    this.#host = context.host;
    this.#o = context.options;
    this.#inflight = context.inflight;
    this.#s = settings;
    this.#store = settings.store;
    this.#logger = context.host.logger;
    this.#inbox = this.#store.key("inbox", settings.instance);
    this.#localIdleMs = Math.min(settings.localIdleMs, context.options.sessionIdleTimeoutMs);
    this.#orphanError = JSON.stringify(
      toJsonRpcError(
        new McpForgeError(
          "unavailable",
          "The server instance running this request stopped; its outcome is unknown",
        ),
      ),
    );
    this.#s.reader.add(this.#inbox, { lastId: "0-0", onEntries: (e) => this.#onInbox(e) });
    void this.#followBus();
    this.#unwatch = context.host.watchBroadcasts?.((n) => this.#queueBroadcast(n));
    const beat = setInterval(() => this.#heartbeat(), Math.max(100, settings.leaseMs / 3));
    const reap = setInterval(
      () => this.reap(Date.now()),
      Math.min(Math.max(this.#localIdleMs / 4, 10), 60_000),
    );
    beat.unref();
    reap.unref();
    this.#timers.push(beat, reap);
  }

  get size(): number {
    return this.#replicas.size;
  }

  async #followBus(): Promise<void> {
    let start = "$";
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        start = await this.#store.lastId(this.#store.busKey);
        break;
      } catch (err) {
        if (attempt === 0)
          this.#logger.warn("redis sessions: bus not reachable yet", { error: String(err) });
        await new Promise((r) => setTimeout(r, 250).unref());
      }
    }
    if (this.#closed) return;
    this.#s.reader.add(this.#store.busKey, { lastId: start, onEntries: (e) => this.#onBus(e) });
    this.#wake();
  }

  // ---- POST ------------------------------------------------------------------------------

  async post(req: HttpRequest, res: ServerResponse, message: JSONRPCMessage): Promise<void> {
    const principal = principalHash(req);
    let replica: Replica | undefined;
    const pending = sessionStep(req, res, message);
    const step = pending === "lookup" ? pending : await pending;
    if (step === "answered") return;
    if (step === "open") {
      replica = await this.#open(res, principal, message as JSONRPCRequest);
    } else {
      replica = await this.#lookup(req, res, principal, (message as { id?: RequestId }).id);
    }
    if (!replica) return;
    const extra: IncomingExtra = {
      requestInfo: { headers: req.headers, remoteAddress: req.socket.remoteAddress },
      authInfo: req.auth,
    };
    if (!("method" in message)) {
      if (!(await this.#routeAnswer(replica, message))) return unavailable(res);
      res.writeHead(202).end();
      return;
    }
    if (!("id" in message)) {
      if (message.method === "notifications/cancelled") {
        this.#publish({
          t: "cancel",
          s: replica.id,
          m: JSON.stringify(message),
          from: this.#s.instance,
        });
      }
      replica.transport.deliver(message, extra);
      res.writeHead(202).end();
      return;
    }
    const request = message as JSONRPCRequest;
    if (replica.transport.replies.has(request.id)) {
      return httpError(
        res,
        400,
        "invalid_request",
        "Invalid Request: this id is already in flight",
        {
          id: request.id,
        },
      );
    }
    this.#openReply(replica, res, request, extra);
  }

  async #open(
    res: ServerResponse,
    principal: string,
    message: JSONRPCRequest,
  ): Promise<Replica | undefined> {
    const params = (message.params ?? {}) as {
      protocolVersion?: unknown;
      capabilities?: ClientCapabilities;
      clientInfo?: Implementation;
    };
    const id = randomBytes(24).toString("base64url");
    const fields: RecordFields = {
      p: principal,
      v: negotiateVersion(params.protocolVersion),
      r: "1",
      ci: JSON.stringify(params.clientInfo ?? null),
      cc: JSON.stringify(params.capabilities ?? null),
      ll: "",
      sub: "[]",
      st: "[]",
    };
    const now = Date.now();
    let opened: unknown;
    try {
      opened = await this.#store.eval(
        OPEN,
        [this.#store.key("s", id), this.#store.indexKey],
        [
          now,
          this.#o.sessionIdleTimeoutMs,
          this.#o.maxSessions,
          id,
          ...Object.entries(fields).flat(),
          "t",
          now,
        ],
      );
    } catch (err) {
      this.#logger.debug("redis sessions: cannot open a session", { error: String(err) });
      unavailable(res, message.id);
      return undefined;
    }
    if (opened === 0) {
      httpError(res, 503, "unavailable", "Too many sessions, retry later", {
        headers: { "retry-after": "30" },
      });
      return undefined;
    }
    return this.#replica(id, fields);
  }

  /** The session named by `Mcp-Session-Id` when it exists and belongs to the caller; else answers. */
  async #lookup(
    req: IncomingMessage,
    res: ServerResponse,
    principal: string,
    requestId?: RequestId,
  ): Promise<Replica | undefined> {
    const id = header(req, "mcp-session-id");
    if (!id) {
      httpError(res, 400, "http_error", "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    if (id.length > 64 || !/^[A-Za-z0-9_-]+$/.test(id)) {
      httpError(res, 404, "session_not_found", "Session not found");
      return undefined;
    }
    const known = this.#replicas.get(id);
    let head: (string | null)[] | null;
    try {
      head = (await this.#store.eval(
        TOUCH,
        [this.#store.key("s", id), this.#store.indexKey],
        [Date.now(), this.#o.sessionIdleTimeoutMs, id, known?.rev ?? ""],
      )) as (string | null)[] | null;
    } catch (err) {
      this.#logger.debug("redis sessions: lookup failed", { error: String(err) });
      unavailable(res, requestId);
      return undefined;
    }
    if (!head || head[0] !== principal) {
      if (!head && known) void known.transport.close();
      httpError(res, 404, "session_not_found", "Session not found");
      return undefined;
    }
    const fields: RecordFields = { p: head[0] as string, v: head[1] ?? "", r: head[2] ?? "" };
    if (head.length > 3) {
      [fields.ci, fields.cc, fields.ll, fields.sub, fields.st] = head.slice(3).map((v) => v ?? "");
    }
    if (known) {
      if (head.length > 3) this.#apply(known, fields);
      known.lastSeen = Date.now();
      return known;
    }
    return this.#replica(id, fields);
  }

  /** This instance's copy of a session, built once from its record. */
  #replica(id: string, fields: RecordFields): Promise<Replica> {
    let building = this.#building.get(id);
    if (!building) {
      building = this.#build(id, fields).finally(() => this.#building.delete(id));
      this.#building.set(id, building);
    }
    return building;
  }

  async #build(id: string, fields: RecordFields): Promise<Replica> {
    const transport = new ClusterTransport(id, {
      instance: this.#s.instance,
      save: (sid) => this.#save(sid),
      toStandalone: (sid, message) => this.#toStandalone(sid, message),
    });
    const replica: Replica = {
      id,
      transport,
      session: undefined,
      rev: "",
      version: fields.v,
      saved: { st: "[]", ll: "", sub: "[]" },
      lastSeen: Date.now(),
      streams: 0,
    };
    replica.session = await this.#host.connect(transport, { transportName: "http" });
    const previous = transport.onclose;
    transport.onclose = () => {
      previous?.();
      if (this.#replicas.get(id) === replica) this.#replicas.delete(id);
    };
    this.#apply(replica, fields);
    this.#replicas.set(id, replica);
    return replica;
  }

  /** Copies a record into a local copy. */
  #apply(replica: Replica, f: RecordFields): void {
    const session = replica.session;
    replica.rev = f.r;
    replica.version = f.v;
    if (!session) return;
    const protocol = session.protocol;
    if (protocol) {
      protocol.protocolVersion = f.v;
      protocol.clientInfo = parse<Implementation>(f.ci);
      protocol.clientCapabilities = parse<ClientCapabilities>(f.cc);
    }
    session.logLevel = (f.ll || undefined) as LoggingLevel | undefined;
    const subs = parse<string[]>(f.sub) ?? [];
    session.subscriptions.clear();
    for (const uri of subs) session.subscriptions.add(uri);
    const state = parse<[string, unknown][]>(f.st) ?? [];
    session.state.clear();
    for (const [k, v] of state) session.state.set(k, v);
    replica.saved = { st: f.st || "[]", ll: f.ll ?? "", sub: f.sub || "[]" };
  }

  /** Writes what changed of a session (state, log level, subscriptions) to its record. */
  async #save(id: string): Promise<void> {
    const replica = this.#replicas.get(id);
    const session = replica?.session;
    if (!replica || !session) return;
    const now = {
      st: JSON.stringify([...session.state]),
      ll: session.logLevel ?? "",
      sub: JSON.stringify([...session.subscriptions]),
    };
    const args: string[] = [];
    if (now.st !== replica.saved.st) args.push("st", now.st);
    if (now.ll !== replica.saved.ll) args.push("ll", now.ll);
    if (now.sub !== replica.saved.sub) args.push("sub", now.sub);
    if (args.length === 0) return;
    try {
      const rev = await this.#store.eval(SAVE, [this.#store.key("s", id)], args);
      if (rev !== null && rev !== undefined) replica.rev = String(rev);
      replica.saved = now;
    } catch (err) {
      this.#logger.warn("redis sessions: could not save session state", { error: String(err) });
    }
  }

  /** Opens the answer channel of one POSTed request and hands the request over. */
  #openReply(r: Replica, res: ServerResponse, request: JSONRPCRequest, extra: IncomingExtra): void {
    const streamId = `${r.id}.${this.#s.instance}${++r.streams}`;
    const headers: Record<string, string> = { "mcp-session-id": r.id };
    const reply: Reply = new Reply(res, request.id, {
      mode: this.#o.responseMode,
      headers,
      events: { store: this.#events(streamId, request.id), streamId },
      prime: r.version >= "2025-11-25",
      retryMs: this.#o.retryMs,
      keepAliveMs: this.#o.keepAliveMs,
      onDone: () => {
        this.#inflight.delete(reply);
        this.#leases.delete(streamId);
        if (r.transport.replies.get(request.id) === reply) r.transport.replies.delete(request.id);
        r.lastSeen = Date.now();
      },
    });
    this.#inflight.add(reply);
    r.transport.replies.set(request.id, reply);
    r.transport.deliver(request, {
      ...extra,
      responseHeaders: headers,
      closeSSEStream: () => reply.closeStream(),
      closeStandaloneSSEStream: () => this.#gets.get(r.id)?.res.end(),
    });
  }

  /** The event store of one request's stream: a Redis Stream, with the request's ownership lease. */
  #events(streamId: string, requestId: RequestId): EventStore {
    const store = this.#store;
    const keys = [
      store.key("ev", streamId),
      store.key("lease", streamId),
      store.key("meta", streamId),
    ];
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

  async #toStandalone(sessionId: string, message: JSONRPCMessage): Promise<void> {
    const key = this.#store.key("ev", `${sessionId}.get`);
    await this.#store.append(
      key,
      { m: JSON.stringify(message) },
      this.#s.maxEventsPerStream,
      this.#s.eventTtlMs,
    );
  }

  /** A client's answer to a server-to-client request: to the instance that sent the request. */
  async #routeAnswer(r: Replica, message: JSONRPCMessage): Promise<boolean> {
    const id = String((message as { id?: RequestId }).id);
    const tilde = id.indexOf("~");
    if (tilde < 0) return true;
    const target = id.slice(0, tilde);
    const answer = { ...message, id: id.slice(tilde + 1) } as JSONRPCMessage;
    if (target === this.#s.instance) {
      r.transport.deliver(answer, {});
      return true;
    }
    try {
      await this.#store.append(
        this.#store.key("inbox", target),
        { s: r.id, m: JSON.stringify(answer) },
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
      this.#replicas.get(fields.s)?.transport.deliver(JSON.parse(fields.m) as JSONRPCMessage, {});
    }
  }

  #publish(fields: Record<string, string>): void {
    this.#store
      .append(this.#store.busKey, fields, BUS_MAX, this.#s.eventTtlMs)
      .catch((err: unknown) => {
        this.#logger.warn("redis sessions: could not publish on the bus", { error: String(err) });
      });
  }

  #wake(): void {
    this.#store.append(this.#inbox, { wake: "1" }, BUS_MAX, this.#s.eventTtlMs).catch(() => {});
  }

  #onBus(entries: readonly StreamEntry[]): void {
    for (const { fields } of entries) {
      if (fields.t === "del" && fields.s) this.#endLocal(fields.s);
      else if (fields.t === "cancel" && fields.s && fields.m && fields.from !== this.#s.instance) {
        const r = this.#replicas.get(fields.s);
        const n = JSON.parse(fields.m) as { params?: { requestId?: RequestId } };
        const rid = n.params?.requestId;
        if (r && rid !== undefined && r.transport.replies.has(rid)) {
          r.transport.deliver(n as JSONRPCMessage, {});
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
      [...this.#gets.keys()].map(async (sid) => {
        try {
          if (uri !== undefined) {
            const subs = (await this.#store.call("HGET", this.#store.key("s", sid), "sub")) as
              | string
              | null;
            if (!parse<string[]>(subs ?? "")?.includes(String(uri))) return;
          }
          await this.#toStandalone(sid, message);
        } catch (err) {
          this.#logger.warn("redis sessions: could not deliver a notification", {
            error: String(err),
          });
        }
      }),
    );
  }

  // ---- GET -------------------------------------------------------------------------------

  async get(req: HttpRequest, res: ServerResponse): Promise<void> {
    const r = await this.#lookup(req, res, principalHash(req));
    if (!r) return;
    const headers = { "mcp-session-id": r.id };
    const last = header(req, "last-event-id");
    if (last === undefined) {
      if (this.#gets.has(r.id) || !(await this.#lock(r.id, res, false))) return;
      let start: string;
      try {
        start = await this.#store.lastId(this.#store.key("ev", `${r.id}.get`));
      } catch {
        return unavailable(res);
      }
      return this.#follow(r.id, `${r.id}.get`, start, res, headers);
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
    if (!streamId.startsWith(`${r.id}.`))
      return httpError(res, 404, "http_error", "Unknown event id");
    if (streamId === `${r.id}.get`) {
      if (!(await this.#lock(r.id, res, true))) return;
      return this.#follow(r.id, streamId, entry, res, headers);
    }
    let exists: unknown;
    try {
      exists = await this.#store.call("EXISTS", this.#store.key("ev", streamId));
    } catch {
      return unavailable(res);
    }
    if (exists !== 1) return httpError(res, 404, "http_error", "Unknown event id");
    this.#follow(r.id, streamId, entry, res, headers);
  }

  /** Takes the session's standalone-stream lock (one GET stream per session, cluster-wide). */
  async #lock(sessionId: string, res: ServerResponse, takeOver: boolean): Promise<boolean> {
    const key = this.#store.key("get", sessionId);
    try {
      if (takeOver) await this.#store.call("SET", key, this.#s.instance, "PX", this.#s.leaseMs * 3);
      else {
        const got = await this.#store.eval(LOCK, [key], [this.#s.instance, this.#s.leaseMs * 3]);
        if (got !== 1) {
          httpError(res, 409, "http_error", "Conflict: a standalone SSE stream is already open");
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
    const standalone = streamId === `${sessionId}.get`;
    const key = this.#store.key("ev", streamId);
    const table = standalone ? this.#gets : this.#resumed;
    const slot = standalone ? sessionId : streamId;
    startSse(res, headers);
    keepAlive(res, this.#o.keepAliveMs);
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
        this.#store
          .eval(UNLOCK, [this.#store.key("get", sessionId)], [this.#s.instance])
          .catch(() => {});
      }
    });
  }

  /** Renews this instance's leases and locks; ends resumed streams whose owner died. */
  #heartbeat(): void {
    const store = this.#store;
    for (const streamId of this.#leases) {
      store.call("PEXPIRE", store.key("lease", streamId), this.#s.leaseMs).catch(() => {});
    }
    for (const held of this.#gets.values()) {
      store
        .eval(LOCK, [store.key("get", held.sessionId)], [this.#s.instance, this.#s.leaseMs * 3])
        .then((got) => {
          if (got !== 1) held.res.end(); // another instance took the stream over
        })
        .catch(() => {});
    }
    for (const held of this.#resumed.values()) {
      if (this.#leases.has(held.streamId)) continue;
      const keys = ["ev", "lease", "meta"].map((k) => store.key(k, held.streamId));
      store
        .eval(ORPHAN, keys, [this.#s.maxEventsPerStream, this.#s.eventTtlMs, this.#orphanError])
        .catch(() => {});
    }
  }

  // ---- DELETE, lifecycle -----------------------------------------------------------------

  async delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const r = await this.#lookup(req, res, principalHash(req as HttpRequest));
    if (!r) return;
    try {
      await this.#end(r.id);
    } catch {
      return unavailable(res);
    }
    res.writeHead(200).end();
  }

  async #end(id: string): Promise<void> {
    const s = this.#store;
    await s.eval(
      "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 't', 'del', 's', ARGV[1]) return 1",
      [s.key("s", id), s.indexKey, s.busKey],
      [id, BUS_MAX],
    );
    this.#endLocal(id);
  }

  /** Ends a session's local copy and the streams held here (its handlers are aborted). */
  #endLocal(id: string): void {
    void this.#replicas.get(id)?.transport.close();
    this.#gets.get(id)?.res.end();
    for (const held of this.#resumed.values()) if (held.sessionId === id) held.res.end();
  }

  async closeSession(id: string): Promise<boolean> {
    const existed = this.#replicas.has(id);
    await this.#end(id);
    return existed;
  }

  reap(now: number): number {
    let freed = 0;
    for (const r of [...this.#replicas.values()]) {
      if (r.transport.replies.size > 0 || now - r.lastSeen < this.#localIdleMs) continue;
      freed++;
      void r.transport.close();
    }
    return freed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    this.#unwatch?.();
    for (const held of [...this.#gets.values(), ...this.#resumed.values()]) held.res.end();
    await Promise.allSettled([...this.#replicas.values()].map((r) => r.transport.close()));
    await this.#s.onClose();
  }
}
